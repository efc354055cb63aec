// Layer → cluster levels, as MAESTRO's parser, ConfigConvTensors and ClusterAnalysis build them
// (MAESTRO-SEMANTICS.md §1.3, §2.4–§2.6).
#include <algorithm>
#include <set>

#include "baton/dataflow/diagnostic.h"
#include "model.h"

namespace baton::maestro::detail {
namespace {

[[noreturn]] void fail(const SourceLoc& loc, const std::string& msg, const std::string& hint = "") {
  Diagnostic d;
  d.loc = loc;
  d.message = msg;
  d.hint = hint;
  throw InputError(std::move(d));
}

LayerInfo make_info(const LayerDecl& layer, bool has_n) {
  LayerInfo info;
  const std::string& t = layer.type;
  std::vector<std::string> n = has_n ? std::vector<std::string>{"N"} : std::vector<std::string>{};
  auto cat = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  if (t == "CONV" || t == "TRCONV") {
    info.in_vars = cat(n, {"C", "Y", "X"});
    info.w_vars = {"K", "C", "R", "S"};
    info.out_vars = cat(n, {"K", "Y", "X"});
  } else if (t == "DSCONV") {
    info.in_vars = cat(n, {"C", "Y", "X"});
    info.w_vars = {"C", "R", "S"};
    info.out_vars = cat(n, {"C", "Y", "X"});
  } else if (t == "NGCONV") {
    info.in_vars = cat(n, {"G", "C", "Y", "X"});
    info.w_vars = {"G", "K", "C", "R", "S"};
    info.out_vars = cat(n, {"G", "K", "C", "Y", "X"});
  } else if (t == "GEMM") {
    info.in_vars = {"M", "K"};
    info.w_vars = {"K", "N"};
    info.out_vars = {"M", "N"};
    info.conv_like = false;
  } else {
    fail(layer.type_loc, "layer type '" + t + "' is not analysed by MAESTRO",
         "MAESTRO accepts CONV, TRCONV, DSCONV, NGCONV and GEMM");
  }
  return info;
}

// MAESTRO's AnalyzeSpatialEdgeCase on the nominal dims: active units of an edge fold.
int64_t edge_units(const Level& lv) {
  const Dir& d = lv.df[lv.first_spatial];
  const int64_t dim = lv.dims.get(d.dim), s = d.size, o = d.ofs, p = lv.units;
  const int64_t full = o * (p - 1) + s;
  int64_t n = 1;
  if (dim > full) {
    const int64_t steady = ((dim - s) / o + 1) / p - 1;
    const int64_t rem = dim - (steady + 1) * o * p;
    n = rem < s ? 1 : (rem - s) / o + 1;
  } else if (dim > s) {
    n = (dim - s) / o + 1;
    if (o * (n - 1) + s < dim) ++n;
  }
  return dim <= s ? 1 : n;
}

int find_dir(const std::vector<Dir>& df, const std::string& dim) {
  for (size_t i = 0; i < df.size(); ++i)
    if (df[i].dim == dim) return static_cast<int>(i);
  return -1;
}

// ConvertToInputCentric: Y' → Y with size + R − 1 (R from this level), same for X'.
void to_input_centric(std::vector<Dir>& df, const SourceLoc& loc) {
  const auto convert = [&](const char* in, const char* out, const char* win) {
    if (find_dir(df, in) >= 0 || find_dir(df, out) < 0) return;
    int w = -1;
    for (size_t i = 0; i < df.size(); ++i)
      if (df[i].dim == win) w = static_cast<int>(i);  // MAESTRO keeps the last one
    if (w < 0)
      fail(loc, std::string("a ") + out + " directive needs a " + win +
                    " directive in the same cluster level (MAESTRO reads an uninitialised size)");
    int64_t out_size = 0;
    for (const Dir& d : df)
      if (d.dim == out) out_size = d.size;
    Dir& d = df[find_dir(df, out)];
    d.dim = in;
    d.size = out_size + df[w].size - 1;
  };
  convert("X", "X'", "S");
  convert("Y", "Y'", "R");
}

// ApplyOuterStride (§2.6).
void apply_stride(std::vector<Dir>& df, const DimTable& dims, const DimTable& full,
                  const LayerInfo& info, bool top) {
  for (size_t i = 0; i < df.size(); ++i) {
    const std::string var = df[i].dim;
    const std::string win = info.sliding_of(var);
    const int64_t sigma = dims.stride(var);
    if (win.empty() || sigma == 1) continue;
    Dir& d = df[find_dir(df, var)];
    const int64_t r = full.get(win);
    if (d.size < r) continue;
    const int64_t out = (d.size + sigma - r) / sigma;
    d.size = out * std::min(sigma, r) + std::max<int64_t>(r - sigma, 0);
    d.ofs = (!top && r < sigma) ? out * r : out * sigma;
  }
}

}  // namespace

LayerModel build_model(const LayerDecl& layer, const DataflowDecl& dataflow, const MaestroHw& hw) {
  LayerModel m;
  std::map<std::string, int64_t> declared;
  for (const DimDecl& d : layer.dims)
    if (declared.emplace(d.name, d.value).second) m.declared.push_back(d.name);
  m.info = make_info(layer, declared.count("N") > 0);
  const bool out_centric = declared.count("Y'") || declared.count("X'");
  for (const auto& [name, value] : declared) {
    if (name == "Y'" || name == "X'") continue;
    m.top_dims.add(name, value);
  }
  if (m.info.conv_like) {
    for (const auto& [ref, out, win] : {std::tuple<const char*, const char*, const char*>{
                                            "Y", "Y'", "R"},
                                        {"X", "X'", "S"}}) {
      if (declared.count(ref) && declared.count(out))
        fail(layer.loc, "both input- and output-centric dimension definition is used");
      if (!declared.count(ref) && declared.count(out))
        m.top_dims.add(ref, declared.at(out) + m.top_dims.get(win) - 1);
    }
    int64_t sy = 1, sx = 1;
    for (const DimDecl& s : layer.strides) {
      if (s.name == "Y" || s.name == "Y'") sy = s.value;
      if (s.name == "X" || s.name == "X'") sx = s.value;
    }
    if (out_centric) std::swap(sy, sx);
    m.top_dims.outer_stride["Y"] = sy;
    m.top_dims.outer_stride["X"] = sx;
  }
  for (const auto* vars : {&m.info.in_vars, &m.info.w_vars, &m.info.out_vars})
    for (const std::string& v : *vars)
      if (!m.top_dims.has(v)) fail(layer.loc, "dimension " + v + " not found in layer " + layer.name);

  // Sz(D): the layer's size of D (Y' derived ignoring stride).
  const auto size_of = [&](const SizeExpr& e) -> int64_t {
    if (e.kind == SizeExpr::Kind::kLiteral) return e.value;
    std::string d = e.dim;
    if (d == "Y'" || d == "X'") {
      const std::string ref = d == "Y'" ? "Y" : "X", win = d == "Y'" ? "R" : "S";
      return declared.count(d) ? declared.at(d) : m.top_dims.get(ref) - m.top_dims.get(win) + 1;
    }
    if (!m.top_dims.has(d)) fail(e.loc, "Sz(" + d + "): dimension not declared");
    return m.top_dims.get(d);
  };

  // Split at Cluster directives; the innermost level gets the last cluster size.
  std::vector<std::vector<Dir>> raw(1);
  std::vector<int64_t> cluster_sizes;
  for (const DirectiveDecl& d : dataflow.directives) {
    if (d.kind == DirectiveDecl::Kind::kCluster) {
      cluster_sizes.push_back(size_of(d.size));
      raw.emplace_back();
      continue;
    }
    const bool known = m.top_dims.has(d.dim) ||
                       (m.info.conv_like && (d.dim == "Y'" || d.dim == "X'"));
    if (!known) fail(d.dim_loc, "Dimension " + d.dim + " not found");
    const Dir dir{d.kind == DirectiveDecl::Kind::kSpatial, size_of(d.size), size_of(d.offset), d.dim};
    if (dir.size <= 0 || dir.ofs <= 0) fail(d.loc, "directive sizes and offsets must be > 0");
    raw.back().push_back(dir);
  }
  if (cluster_sizes.size() > 3) fail(dataflow.loc, "more than 3 Cluster directives (MAESTRO aborts)");
  int64_t prod = 1;
  for (int64_t c : cluster_sizes) prod *= c;
  if (prod > hw.num_pes)
    fail(dataflow.loc, "Cluster sizes multiply to more than num_pes (MAESTRO crashes with SIGFPE)");

  std::set<std::string> in_set(m.info.in_vars.begin(), m.info.in_vars.end());
  in_set.insert(m.info.w_vars.begin(), m.info.w_vars.end());
  DimTable dims = m.top_dims;
  for (size_t k = 0; k < raw.size(); ++k) {
    Level lv;
    lv.df = raw[k];
    to_input_centric(lv.df, dataflow.loc);
    if (k > 0) {
      for (const Dir& up : m.levels.back().df)
        if (find_dir(lv.df, up.dim) < 0) lv.df.insert(lv.df.begin(), Dir{false, up.size, up.ofs, up.dim});
    }
    for (const std::string& v : in_set)
      if (find_dir(lv.df, v) < 0 && dims.has(v)) lv.df.push_back(Dir{false, dims.get(v), dims.get(v), v});
    apply_stride(lv.df, dims, m.top_dims, m.info, k == 0);
    lv.units = k == 0 ? hw.num_pes / prod : cluster_sizes[k - 1];
    lv.dims = dims;
    int spatial = 0;
    for (size_t i = 0; i < lv.df.size(); ++i)
      if (lv.df[i].spatial && spatial++ == 0) lv.first_spatial = static_cast<int>(i);
    if (spatial == 0) fail(dataflow.loc, "No spatial map in cluster level " + std::to_string(k));
    if (spatial > 2) fail(dataflow.loc, "Found too many spatial maps in cluster level " + std::to_string(k));
    lv.edge_units = edge_units(lv);
    DimTable lower;
    lower.outer_stride = dims.outer_stride;
    for (const std::string& v : in_set) {
      const int i = find_dir(lv.df, v);
      if (i >= 0) lower.add(v, std::min(lv.df[i].size, dims.get(v)));
    }
    m.levels.push_back(std::move(lv));
    dims = std::move(lower);
  }
  return m;
}

}  // namespace baton::maestro::detail
