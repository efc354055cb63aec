// make_layer: checks a LayerDecl's type and dimensions and derives the internal loop nest.
#include <algorithm>
#include <map>

#include "baton/dataflow/layer.h"
#include "layer_internal.h"

namespace baton {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

struct DimTable {
  std::map<std::string, DimDecl> decl;
  bool has(const std::string& n) const { return decl.count(n) != 0; }
  int64_t get(const std::string& n, int64_t dflt) const {
    auto it = decl.find(n);
    return it == decl.end() ? dflt : it->second.value;
  }
  SourceLoc loc(const std::string& n, const SourceLoc& dflt) const {
    auto it = decl.find(n);
    return it == decl.end() ? dflt : it->second.loc;
  }
};

}  // namespace

std::optional<LayerSpec> make_layer(const LayerDecl& decl, int index,
                                    std::vector<Diagnostic>& errors) {
  const size_t errors_before = std::count_if(errors.begin(), errors.end(), [](const auto& d) {
    return d.severity == Severity::kError;
  });
  auto err = [&](const SourceLoc& loc, std::string msg, std::string hint = {}) {
    errors.push_back(make_error(loc, std::move(msg), std::move(hint)));
  };
  LayerSpec L;
  L.name = decl.name;
  L.index = index;
  L.loc = decl.loc;
  const detail::TypeInfo* info = nullptr;
  std::vector<std::string> type_names;
  for (const auto& ti : detail::type_table()) {
    type_names.push_back(ti.name);
    if (decl.type == ti.name) info = &ti;
  }
  if (decl.type.empty()) {
    err(decl.loc, "layer '" + decl.name + "' has no `Type`", "add `Type: CONV` (or " +
        join(type_names) + ")");
    return std::nullopt;
  }
  if (!info) {
    err(decl.type_loc, "unsupported layer type '" + decl.type + "' in layer '" + decl.name + "'",
        "supported types: " + join(type_names));
    return std::nullopt;
  }
  L.type = info->type;
  const std::string tname = info->name;

  DimTable dims;
  bool rejected_dim = false;  // an unknown name: skip the "declares neither" follow-up error
  for (const auto& d : decl.dims) {
    if (std::find(info->dims.begin(), info->dims.end(), d.name) == info->dims.end()) {
      const bool g = d.name == "G";
      const bool tr_out = L.type == LayerType::kTrconv && (d.name == "Y'" || d.name == "X'");
      err(d.loc, "unknown dimension '" + d.name + "' for a " + tname + " layer",
          g        ? "G is a dimension of NGCONV only"
          : tr_out ? "a TRCONV layer is declared by its input size Y (X); its output size is "
                     "(Y-1)*stride + R"
                   : "allowed: " + join(info->dims));
      rejected_dim = true;
      continue;
    }
    auto it = dims.decl.find(d.name);
    if (it != dims.decl.end()) {
      if (it->second.value != d.value) {
        err(d.loc, "dimension '" + d.name + "' declared twice with different values (" +
                       std::to_string(it->second.value) + " and " + std::to_string(d.value) + ")",
            "keep one declaration");
      } else {
        errors.push_back(make_warning(d.loc, "dimension '" + d.name + "' declared twice"));
      }
      continue;
    }
    dims.decl[d.name] = d;
    L.declared.push_back(d.name);
  }
  std::map<std::string, DimDecl> strides;
  for (const auto& s : decl.strides) {
    if (L.type == LayerType::kGemm || (s.name != "Y" && s.name != "X")) {
      err(s.loc, "stride on '" + s.name + "' is not allowed", "strides are given for Y and X");
      continue;
    }
    strides[s.name] = s;
  }
  if (L.type == LayerType::kGemm) {
    for (const char* n : {"M", "N", "K"}) {
      if (!dims.has(n))
        err(decl.loc, std::string("GEMM layer '") + decl.name + "' does not declare " + n,
            "GEMM layers declare M, N and K");
    }
    L.extent.fill(1);
    L.extent[idx(Dim::M)] = dims.get("M", 1);
    L.extent[idx(Dim::N)] = dims.get("N", 1);
    L.extent[idx(Dim::K)] = dims.get("K", 1);
    for (Dim d : {Dim::M, Dim::N, Dim::K}) L.used[idx(d)] = true;
  } else {
    L.extent.fill(1);
    for (Dim d : {Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S}) L.used[idx(d)] = true;
    L.used[idx(Dim::G)] = L.type == LayerType::kNgconv;
    L.extent[idx(Dim::N)] = dims.get("N", 1);
    L.extent[idx(Dim::G)] = dims.get("G", 1);
    L.extent[idx(Dim::K)] = dims.get("K", 1);
    L.extent[idx(Dim::C)] = dims.get("C", 1);
    const int64_t R = dims.get("R", 1), S = dims.get("S", 1);
    L.extent[idx(Dim::R)] = R;
    L.extent[idx(Dim::S)] = S;
    if ((L.type == LayerType::kDsconv || L.type == LayerType::kPool) && L.dim(Dim::K) != 1) {
      err(dims.loc("K", decl.loc), tname + " layer '" + decl.name + "' has K = " +
              std::to_string(L.dim(Dim::K)) + "; it must be 1",
          L.type == LayerType::kDsconv
              ? "a depthwise layer has one filter per channel (MAESTRO silently multiplies MACs "
                "by K); declare K: 1 or use CONV/NGCONV"
              : "POOL keeps channels; declare K: 1");
    }
    if (L.type == LayerType::kFc) {
      for (const char* n : {"R", "S", "Y", "X"})
        if (dims.get(n, 1) != 1)
          err(dims.loc(n, decl.loc), std::string("FC layer '") + decl.name + "' has " + n +
                  " = " + std::to_string(dims.get(n, 1)) + "; FC needs R = S = Y = X = 1",
              "use Type: CONV for a convolution");
      rejected_dim = true;  // FC has no window: no "declares neither Y nor Y'" follow-up
    }
    // Rows then columns: (input name, output name, filter, stride key, output dim).
    struct Axis { const char* in; const char* out; int64_t k; const char* skey; Dim od; };
    for (const Axis& a : {Axis{"Y", "Y'", R, "Y", Dim::P}, Axis{"X", "X'", S, "X", Dim::Q}}) {
      const bool has_in = dims.has(a.in), has_out = dims.has(a.out);
      const bool tr = L.type == LayerType::kTrconv;
      int64_t sigma = strides.count(a.skey) ? strides[a.skey].value : (tr ? a.k : 1);
      int64_t out = 1, in = 1;
      if (has_in && has_out) {
        err(dims.loc(a.out, decl.loc), std::string("both ") + a.in + " and " + a.out +
                " are declared in layer '" + decl.name + "'",
            std::string("declare either input ") + a.in + " or output " + a.out);
      } else if (has_out) {
        out = dims.get(a.out, 1);
        in = (out - 1) * sigma + a.k;
      } else if (has_in || a.k == 1) {
        in = dims.get(a.in, a.k == 1 ? 1 : 0);
        if (tr) {
          const int64_t orig = in;
          in = (orig - 1) * sigma + 1 + 2 * (a.k - 1);
          out = (orig - 1) * sigma + a.k;
          (a.od == Dim::P ? L.orig_y : L.orig_x) = orig;
          (a.od == Dim::P ? L.up_y : L.up_x) = sigma;
          sigma = 1;
        } else if (in < a.k) {
          err(dims.loc(a.in, decl.loc), std::string(a.in) + " = " + std::to_string(in) +
                  " is smaller than the filter (" + std::to_string(a.k) + ")",
              "the input must be at least as large as the filter");
        } else {
          out = (in - a.k) / sigma + 1;
        }
      } else if (!rejected_dim) {
        err(decl.loc, std::string("layer '") + decl.name + "' has filter size " +
                std::to_string(a.k) + " but declares neither " + a.in + " nor " + a.out,
            std::string("declare ") + a.in + " (input) or " + a.out + " (output)");
      }
      L.extent[idx(a.od)] = std::max<int64_t>(out, 1);
      (a.od == Dim::P ? L.input_rows : L.input_cols) = std::max<int64_t>(in, 1);
      (a.od == Dim::P ? L.stride_y : L.stride_x) = sigma;
    }
  }
  detail::set_couplings(L);
  // Counts must stay exact in int64 arithmetic and in doubles (averages): at most 2^53.
  constexpr int64_t kMaxCount = int64_t{1} << 53;
  int64_t macs = 1, in_elems = 1;
  bool huge = false;
  for (Dim d : kAllDims) huge = huge || __builtin_mul_overflow(macs, L.dim(d), &macs);
  for (int64_t f : {L.dim(Dim::N), L.dim(Dim::G), L.dim(Dim::C), L.input_rows, L.input_cols})
    huge = huge || __builtin_mul_overflow(in_elems, f, &in_elems);
  if (huge || macs > kMaxCount || in_elems > kMaxCount) {
    err(decl.loc, "layer '" + decl.name + "' is too large: its MAC or input element count " +
                      "exceeds 2^53, the largest count baton represents exactly",
        "check the Dimensions for a typo");
  }
  const size_t errors_after = std::count_if(errors.begin(), errors.end(), [](const auto& d) {
    return d.severity == Severity::kError;
  });
  if (errors_after != errors_before) return std::nullopt;
  return L;
}

}  // namespace baton
