// baton::dataflow — a layer as a perfect loop nest over named dimensions (DESIGN.md §1).
//
// Internally every layer is in output coordinates: P = Y' (output rows), Q = X' (output cols).
// An input tensor row is p·σy + r (sliding window). TRCONV is lowered to a stride-1 CONV over the
// zero-inserted, padded input (DIRECTIVES.md "Layer types"). GEMM uses M, N, K.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/diagnostic.h"
#include "baton/dataflow/mfile.h"

namespace baton {

enum class Dim : uint8_t { N, G, K, C, M, P, Q, R, S };
constexpr int kNumDims = 9;
constexpr std::array<Dim, kNumDims> kAllDims = {Dim::N, Dim::G, Dim::K, Dim::C, Dim::M,
                                                Dim::P, Dim::Q, Dim::R, Dim::S};
inline int idx(Dim d) { return static_cast<int>(d); }
// "N", "G", "K", "C", "M", "Y'", "X'", "R", "S"
const char* dim_name(Dim d);

enum class LayerType { kConv, kFc, kDsconv, kNgconv, kTrconv, kPool, kGemm };
const char* layer_type_name(LayerType t);

enum class Tensor : uint8_t { kInput, kWeight, kOutput };
constexpr int kNumTensors = 3;
const char* tensor_name(Tensor t);  // "input", "weight", "output"

// One coordinate of a tensor: a dimension, or the sliding window `a·stride + b` (Y = P·σ + R).
struct TensorCoord {
  Dim a;
  std::optional<Dim> b;  // window partner (R for P, S for Q)
  int64_t stride = 1;
};

struct LayerSpec {
  std::string name;
  int index = 0;  // 0-based position in the file
  SourceLoc loc;
  LayerType type = LayerType::kConv;
  std::array<int64_t, kNumDims> extent{};  // per Dim; 1 where the type does not use it
  std::array<bool, kNumDims> used{};       // dims this layer type has
  int64_t stride_y = 1, stride_x = 1;      // σ of the (lowered) layer
  int64_t input_rows = 1, input_cols = 1;  // Y, X of the (lowered) input tensor
  // TRCONV only: the original input size and upsampling factor (1 otherwise).
  int64_t orig_y = 1, orig_x = 1, up_y = 1, up_x = 1;

  int64_t dim(Dim d) const { return extent[idx(d)]; }
  int64_t macs() const;       // product of all dims (POOL: window operations)
  int64_t zero_macs() const;  // MACs on inserted zeros / padding (TRCONV), else 0
  bool has_tensor(Tensor t) const { return !(t == Tensor::kWeight && type == LayerType::kPool); }
  const std::vector<TensorCoord>& coords(Tensor t) const { return coords_[static_cast<int>(t)]; }
  // Whether tensor t is indexed by dimension d (directly or through a window).
  bool couples(Tensor t, Dim d) const;
  int64_t tensor_elements(Tensor t) const;
  // Full size of a dimension as Sz(name) means it (Y = input rows, Y' = output rows); nullopt if
  // the name is not a declared or derivable dimension of this layer.
  std::optional<int64_t> size_of(const std::string& name) const;

  std::array<std::vector<TensorCoord>, kNumTensors> coords_;
  std::vector<std::string> declared;  // dimension names declared in the file
};

// Builds a layer from its declaration; appends every semantic error to `errors` and returns
// nullopt if there was any.
std::optional<LayerSpec> make_layer(const LayerDecl& decl, int index,
                                    std::vector<Diagnostic>& errors);

}  // namespace baton
