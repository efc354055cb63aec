// Layer → cluster levels, as MAESTRO's parser, ConfigConvTensors and ClusterAnalysis build them
// (MAESTRO-SEMANTICS.md §1.3, §2.4–§2.6).
#include <algorithm>

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

const char* const kFixedNames[kFirstOtherDim] = {"N", "G", "K", "C", "M", "R", "S", "Y", "X", "Y'", "X'"};
// The tensor dims in name order (MAESTRO iterates a std::set of names).
constexpr int kByName[] = {kC, kG, kK, kM, kN, kR, kS, kX, kY};

LayerInfo make_info(const LayerDecl& layer, bool has_n) {
  LayerInfo info;
  const std::string& t = layer.type;
  const auto set = [&](int k, std::initializer_list<int> dims, bool batch) {
    if (batch && has_n) info.vars[k].push(kN);
    for (int d : dims) info.vars[k].push(d);
  };
  if (t == "CONV" || t == "TRCONV") {
    set(0, {kC, kY, kX}, true);
    set(1, {kK, kC, kR, kS}, false);
    set(2, {kK, kY, kX}, true);
  } else if (t == "DSCONV") {
    set(0, {kC, kY, kX}, true);
    set(1, {kC, kR, kS}, false);
    set(2, {kC, kY, kX}, true);
  } else if (t == "NGCONV") {
    set(0, {kG, kC, kY, kX}, true);
    set(1, {kG, kK, kC, kR, kS}, false);
    set(2, {kG, kK, kC, kY, kX}, true);
  } else if (t == "GEMM") {
    set(0, {kM, kK}, false);
    set(1, {kK, kN}, false);
    set(2, {kM, kN}, false);
    info.conv_like = false;
  } else {
    fail(layer.type_loc, "layer type '" + t + "' is not analysed by MAESTRO",
         "MAESTRO accepts CONV, TRCONV, DSCONV, NGCONV and GEMM");
  }
  for (int k = 0; k < 3; ++k)
    for (int d : info.vars[k]) info.mask[k] |= bit(d);
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

int find_dir(const std::vector<Dir>& df, int dim) {
  for (size_t i = 0; i < df.size(); ++i)
    if (df[i].dim == dim) return static_cast<int>(i);
  return -1;
}

// ConvertToInputCentric: Y' → Y with size + R − 1 (R from this level), same for X'.
void to_input_centric(std::vector<Dir>& df, const SourceLoc& loc) {
  const auto convert = [&](int in, int out, int win) {
    if (find_dir(df, in) >= 0 || find_dir(df, out) < 0) return;
    int w = -1;
    for (size_t i = 0; i < df.size(); ++i)
      if (df[i].dim == win) w = static_cast<int>(i);  // MAESTRO keeps the last one
    if (w < 0)
      fail(loc, std::string("a ") + kFixedNames[out] + " directive needs a " + kFixedNames[win] +
                    " directive in the same cluster level (MAESTRO reads an uninitialised size)");
    int64_t out_size = 0;
    for (const Dir& d : df)
      if (d.dim == out) out_size = d.size;
    Dir& d = df[find_dir(df, out)];
    d.dim = in;
    d.size = out_size + df[w].size - 1;
  };
  convert(kX, kXo, kS);
  convert(kY, kYo, kR);
}

// ApplyOuterStride (§2.6); the outer stride is the layer's (sy, sx) at every level.
void apply_stride(std::vector<Dir>& df, const DimTable& full, const LayerInfo& info,
                  int64_t sy, int64_t sx, bool top) {
  for (size_t i = 0; i < df.size(); ++i) {
    const int var = df[i].dim;
    const int win = info.sliding_of(var);
    if (win < 0) continue;
    const int64_t sigma = var == kY ? sy : sx;
    if (sigma == 1) continue;
    Dir& d = df[find_dir(df, var)];
    const int64_t r = full.get(win);
    if (d.size < r) continue;
    const int64_t out = (d.size + sigma - r) / sigma;
    d.size = out * std::min(sigma, r) + std::max<int64_t>(r - sigma, 0);
    d.ofs = (!top && r < sigma) ? out * r : out * sigma;
  }
}

// The first/last directive indices and the id → first directive table of a finished level.
void index_level(Level& lv) {
  lv.first_of.fill(-1);
  const int n = static_cast<int>(lv.df.size());
  for (int i = 0; i < n; ++i) {
    Dir& d = lv.df[i];
    if (lv.first_of[d.dim] < 0) lv.first_of[d.dim] = i;
    d.first = lv.first_of[d.dim];
    d.last = i;
    for (int j = n - 1; j > i; --j)
      if (lv.df[j].dim == d.dim) {
        d.last = j;
        break;
      }
  }
}

}  // namespace
LayerModel build_model(const LayerDecl& layer, const DataflowDecl& dataflow, const MaestroHw& hw) {
  LayerModel m;
  DimTable declared;  // the first declaration of a name wins
  const DimDecl* too_many = nullptr;
  for (const DimDecl& d : layer.dims) {
    const int id = m.others.intern(d.name);
    if (id >= 0) declared.add(id, d.value);
    else if (!too_many) too_many = &d;
  }
  m.declared = declared.present;
  m.info = make_info(layer, declared.has(kN));
  if (too_many)
    fail(too_many->loc, "more than " + std::to_string(kMaxDims - kFirstOtherDim) +
                            " dimension names besides N, G, K, C, M, R, S, Y, X, Y', X'");
  const bool out_centric = declared.has(kYo) || declared.has(kXo);
  m.top_dims = declared;
  for (int id : {kYo, kXo}) {
    m.top_dims.present &= ~bit(id);
    m.top_dims.val[id] = 0;
  }
  int64_t sy = 1, sx = 1;  // the outer strides of Y and X
  if (m.info.conv_like) {
    for (const auto& [ref, out, win] : {std::array<int, 3>{kY, kYo, kR}, {kX, kXo, kS}}) {
      if (declared.has(ref) && declared.has(out))
        fail(layer.loc, "both input- and output-centric dimension definition is used");
      if (!declared.has(ref) && declared.has(out))
        m.top_dims.add(ref, declared.get(out) + m.top_dims.get(win) - 1);
    }
    for (const DimDecl& s : layer.strides) {
      if (s.name == "Y" || s.name == "Y'") sy = s.value;
      if (s.name == "X" || s.name == "X'") sx = s.value;
    }
    if (out_centric) std::swap(sy, sx);
  }
  for (const DimList& vars : m.info.vars)
    for (int v : vars)
      if (!m.top_dims.has(v))
        fail(layer.loc, std::string("dimension ") + kFixedNames[v] + " not found in layer " + layer.name);

  // Sz(D): the layer's size of D (Y' derived ignoring stride).
  const auto size_of = [&](const SizeExpr& e) -> int64_t {
    if (e.kind == SizeExpr::Kind::kLiteral) return e.value;
    const int id = m.others.find(e.dim);
    if (id == kYo || id == kXo) {
      const int ref = id == kYo ? kY : kX, win = id == kYo ? kR : kS;
      return declared.has(id) ? declared.get(id) : m.top_dims.get(ref) - m.top_dims.get(win) + 1;
    }
    if (id < 0 || !m.top_dims.has(id)) fail(e.loc, "Sz(" + e.dim + "): dimension not declared");
    return m.top_dims.get(id);
  };

  // Split at Cluster directives; the innermost level gets the last cluster size.
  std::vector<Dir> flat;
  flat.reserve(dataflow.directives.size());
  size_t starts[4] = {0, 0, 0, 0}, n_clusters = 0;
  int64_t cluster_sizes[3] = {1, 1, 1}, prod = 1;
  for (const DirectiveDecl& d : dataflow.directives) {
    if (d.kind == DirectiveDecl::Kind::kCluster) {
      const int64_t c = size_of(d.size);
      if (n_clusters < 3) {
        cluster_sizes[n_clusters] = c;
        starts[n_clusters + 1] = flat.size();
      }
      ++n_clusters;
      prod *= c;
      continue;
    }
    const int id = m.others.find(d.dim);
    const bool known = (id >= 0 && m.top_dims.has(id)) ||
                       (m.info.conv_like && (id == kYo || id == kXo));
    if (!known) fail(d.dim_loc, "Dimension " + d.dim + " not found");
    Dir dir;
    dir.spatial = d.kind == DirectiveDecl::Kind::kSpatial;
    dir.size = size_of(d.size);
    dir.ofs = size_of(d.offset);
    dir.dim = id;
    if (dir.size <= 0 || dir.ofs <= 0) fail(d.loc, "directive sizes and offsets must be > 0");
    flat.push_back(dir);
  }
  if (n_clusters > 3) fail(dataflow.loc, "more than 3 Cluster directives (MAESTRO aborts)");
  if (prod > hw.num_pes)
    fail(dataflow.loc, "Cluster sizes multiply to more than num_pes (MAESTRO crashes with SIGFPE)");

  const DimMask in_set = m.info.mask[0] | m.info.mask[1];
  DimTable dims = m.top_dims;
  m.levels.resize(n_clusters + 1);
  for (size_t k = 0; k <= n_clusters; ++k) {
    Level& lv = m.levels[k];
    lv.df.reserve(flat.size() + kMaxDims);
    lv.df.assign(flat.begin() + static_cast<std::ptrdiff_t>(starts[k]),
                 k == n_clusters ? flat.end() : flat.begin() + static_cast<std::ptrdiff_t>(starts[k + 1]));
    to_input_centric(lv.df, dataflow.loc);
    if (k > 0) {  // inherited upper directives, each inserted first (so in reverse order)
      for (const Dir& up : m.levels[k - 1].df)
        if (find_dir(lv.df, up.dim) < 0) {
          Dir d;
          d.size = up.size;
          d.ofs = up.ofs;
          d.dim = up.dim;
          lv.df.insert(lv.df.begin(), d);
        }
    }
    for (int v : kByName)
      if ((in_set & bit(v)) && find_dir(lv.df, v) < 0 && dims.has(v)) {
        Dir d;
        d.size = d.ofs = dims.get(v);
        d.dim = v;
        lv.df.push_back(d);
      }
    apply_stride(lv.df, m.top_dims, m.info, sy, sx, k == 0);
    lv.units = k == 0 ? hw.num_pes / prod : cluster_sizes[k - 1];
    lv.dims = dims;
    int spatial = 0;
    for (size_t i = 0; i < lv.df.size(); ++i)
      if (lv.df[i].spatial && spatial++ == 0) lv.first_spatial = static_cast<int>(i);
    if (spatial == 0) fail(dataflow.loc, "No spatial map in cluster level " + std::to_string(k));
    if (spatial > 2) fail(dataflow.loc, "Found too many spatial maps in cluster level " + std::to_string(k));
    lv.edge_units = edge_units(lv);
    DimTable lower;
    for (int v : kByName) {
      const int i = (in_set & bit(v)) ? find_dir(lv.df, v) : -1;
      if (i >= 0) lower.add(v, std::min(lv.df[i].size, dims.get(v)));
    }
    index_level(lv);
    build_tiles(lv, m.info);
    dims = lower;
  }
  return m;
}

}  // namespace baton::maestro::detail
