// LayerSpec: layer types, dimension declarations, derived output sizes, tensor couplings.
#include "baton/dataflow/layer.h"

#include <algorithm>

#include "layer_internal.h"

namespace baton {
namespace detail {

const std::vector<TypeInfo>& type_table() {
  static const std::vector<TypeInfo> kTable = {
      {LayerType::kConv, "CONV", {"N", "K", "C", "R", "S", "Y", "X", "Y'", "X'"}},
      {LayerType::kFc, "FC", {"N", "K", "C", "R", "S", "Y", "X"}},
      {LayerType::kDsconv, "DSCONV", {"N", "K", "C", "R", "S", "Y", "X", "Y'", "X'"}},
      {LayerType::kNgconv, "NGCONV", {"N", "G", "K", "C", "R", "S", "Y", "X", "Y'", "X'"}},
      {LayerType::kTrconv, "TRCONV", {"N", "K", "C", "R", "S", "Y", "X"}},
      {LayerType::kPool, "POOL", {"N", "K", "C", "R", "S", "Y", "X", "Y'", "X'"}},
      {LayerType::kGemm, "GEMM", {"M", "N", "K"}},
  };
  return kTable;
}

namespace {
TensorCoord c1(Dim d) { return TensorCoord{d, std::nullopt, 1}; }

}  // namespace

void set_couplings(LayerSpec& L) {
  auto& I = L.coords_[0];
  auto& W = L.coords_[1];
  auto& O = L.coords_[2];
  const TensorCoord rows{Dim::P, Dim::R, L.stride_y}, cols{Dim::Q, Dim::S, L.stride_x};
  switch (L.type) {
    case LayerType::kGemm:
      I = {c1(Dim::M), c1(Dim::K)};
      W = {c1(Dim::K), c1(Dim::N)};
      O = {c1(Dim::M), c1(Dim::N)};
      return;
    case LayerType::kDsconv:
    case LayerType::kPool:
      I = {c1(Dim::N), c1(Dim::C), rows, cols};
      if (L.type == LayerType::kDsconv) W = {c1(Dim::C), c1(Dim::R), c1(Dim::S)};
      O = {c1(Dim::N), c1(Dim::C), c1(Dim::P), c1(Dim::Q)};
      return;
    case LayerType::kNgconv:
      I = {c1(Dim::N), c1(Dim::G), c1(Dim::C), rows, cols};
      W = {c1(Dim::G), c1(Dim::K), c1(Dim::C), c1(Dim::R), c1(Dim::S)};
      O = {c1(Dim::N), c1(Dim::G), c1(Dim::K), c1(Dim::P), c1(Dim::Q)};
      return;
    default:
      I = {c1(Dim::N), c1(Dim::C), rows, cols};
      W = {c1(Dim::K), c1(Dim::C), c1(Dim::R), c1(Dim::S)};
      O = {c1(Dim::N), c1(Dim::K), c1(Dim::P), c1(Dim::Q)};
  }
}

}  // namespace detail

namespace {
// Non-zero (p, r) pairs of a lowered TRCONV axis: lowered row p + r maps to an original row iff
// it lies in the zero-inserted body and on the upsampling grid.
int64_t nonzero_pairs(int64_t out, int64_t k, int64_t orig, int64_t up) {
  int64_t n = 0;
  for (int64_t y = 0; y < out + k - 1; ++y) {
    const int64_t body = y - (k - 1);
    if (body < 0 || body > (orig - 1) * up || body % up != 0) continue;
    const int64_t lo = std::max<int64_t>(0, y - (out - 1)), hi = std::min<int64_t>(k - 1, y);
    n += hi - lo + 1;  // r in [lo, hi], p = y - r
  }
  return n;
}

}  // namespace

const char* dim_name(Dim d) {
  static const char* kNames[] = {"N", "G", "K", "C", "M", "Y'", "X'", "R", "S"};
  return kNames[idx(d)];
}

const char* layer_type_name(LayerType t) {
  for (const auto& ti : detail::type_table())
    if (ti.type == t) return ti.name;
  return "?";
}

const char* tensor_name(Tensor t) {
  static const char* kNames[] = {"input", "weight", "output"};
  return kNames[static_cast<int>(t)];
}

int64_t LayerSpec::macs() const {
  int64_t m = 1;
  for (Dim d : kAllDims) m *= extent[idx(d)];
  return m;
}

int64_t LayerSpec::zero_macs() const {
  if (type != LayerType::kTrconv) return 0;
  const int64_t P = dim(Dim::P), Q = dim(Dim::Q), R = dim(Dim::R), S = dim(Dim::S);
  const int64_t nz = nonzero_pairs(P, R, orig_y, up_y) * nonzero_pairs(Q, S, orig_x, up_x);
  return dim(Dim::N) * dim(Dim::K) * dim(Dim::C) * (P * R * Q * S - nz);
}

bool LayerSpec::couples(Tensor t, Dim d) const {
  for (const auto& c : coords(t))
    if (c.a == d || (c.b && *c.b == d)) return true;
  return false;
}

int64_t LayerSpec::tensor_elements(Tensor t) const {
  if (!has_tensor(t)) return 0;
  int64_t n = 1;
  for (const auto& c : coords(t))
    n *= c.b ? (dim(c.a) - 1) * c.stride + dim(*c.b) : dim(c.a);
  return n;
}

std::optional<int64_t> LayerSpec::size_of(const std::string& dim_text) const {
  auto declared_or_derived = [&](const std::string& a, const std::string& b) {
    for (const auto& d : declared)
      if (d == a || d == b) return true;
    return false;
  };
  if (dim_text == "Y" || dim_text == "Y'") {
    if (type == LayerType::kGemm || !declared_or_derived("Y", "Y'")) return std::nullopt;
    return dim_text == "Y" ? input_rows : dim(Dim::P);
  }
  if (dim_text == "X" || dim_text == "X'") {
    if (type == LayerType::kGemm || !declared_or_derived("X", "X'")) return std::nullopt;
    return dim_text == "X" ? input_cols : dim(Dim::Q);
  }
  for (Dim d : kAllDims) {
    if (dim_text == dim_name(d) && used[idx(d)] && declared_or_derived(dim_text, dim_text))
      return dim(d);
  }
  return std::nullopt;
}

}  // namespace baton
