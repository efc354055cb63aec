// Internal: the top-level steps grouped into classes of identical behaviour (rule 12/13 pass),
// and the top-level indices the chains must materialise for them (chains.h).
//
// Top-level loops have constant trip counts (one top-level loop per dim, full extents). Along a
// top-level loop on dim d every index has a full tile except possibly the last (an edge tile or
// a partial fold), and the chain entries under an index are those of any other index with the
// same tile lengths, translated. So index x has a *signature*: first (x = 0, only when d is not
// an output dim: read-backs and DRAM revisits depend on it), last (x = n − 1, when its tile
// lengths differ) or interior. Two top-level steps behave identically (same global-step values,
// L2 tiles and deltas to their neighbours, DRAM and slot times) when their neighbourhoods have
// equal signatures. With L the innermost loop of ≥ 2 trips, a top-level step is entered by
// advancing loop a_in and left by advancing a_out, and exactly one holds:
//   x_L ∈ [1, n_L − 2]:  a_in = a_out = L; L's (x−1, x, x+1) signatures matter, the other
//                        loops only through their own signature;
//   x_L = 0:             a_out = L; a_in = a (the innermost non-zero loop, or none): a's
//                        (x−1, x) signatures, loops between a and L fixed at 0;
//   x_L = n_L − 1:       a_in = L; a_out = a (innermost loop not at its last index, or none):
//                        a's (x, x+1) signatures, loops between fixed at their last index;
// loops outside the named ones are free (one class per signature). So the classes are the
// products of these per-loop classes; each class is represented by its first top-level step.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "arena.h"
#include "baton/dataflow/schedule.h"

namespace baton::detail {

// A top-level loop's last index has a signature of its own when its tile differs from the
// interior ones: an edge tile, or a last fold with fewer tiles than units (point 8 above). Used
// by plan_top and by the class pass's neighbourhood keys (top_memo.h), which must agree.
inline bool last_index_differs(const Loop& lp, int64_t units) {
  const bool partial_fold = lp.kind == LoopKind::kSpatial && lp.tiles % units != 0;
  return lp.edge_tile != lp.tile || partial_fold;
}

struct TopClasses {
  explicit TopClasses(Mem* m = heap_mem()) : index(m), count(m) {}
  int loops = 0;        // top-level loops
  Vec<int64_t> index;   // [class * loops + k]: a representative top-level step
  Vec<int64_t> count;   // [class]: top-level steps it stands for
  size_t size() const { return count.size(); }
  const int64_t* at(size_t c) const { return index.data() + c * loops; }
};

// Indices of one dim's top-level loop that the chains materialise, with the weights that turn
// sums over the materialised indices into sums over all of them.
struct TopDim {
  static constexpr int kMax = 40;  // ≥ kMaxEndZone + 8 (plan_top: not ok beyond)
  int64_t n = 1;                 // trip count (1: no top-level loop of ≥ 2 trips on the dim)
  int size = 0;                  // listed indices
  // Only [0, size) is set (plan_top), the rest stays uninitialised (TopPlan holds nine).
  std::array<int64_t, kMax> x;   // listed indices, ascending
  std::array<int64_t, kMax> w1;  // per x: indices whose entries behave as x's (0 unless x is
                                 // the first of its signature class)
  std::array<int64_t, kMax> w2;  // per x: indices x' ≥ 1 whose (x'−1, x') behave as (x−1, x)
  TopDim() {}  // NOLINT: arrays uninitialised
};

struct TopPlan {
  explicit TopPlan(Mem* m = heap_mem()) : classes(m) {}
  bool ok = false;  // false when a dim has several top-level loops (no classes)
  std::array<TopDim, kNumDims> dim;
  TopClasses classes;
};

// Dims with units that can idle for a whole top-level step (L2Tiles::short_dims()).
using DimMask = std::array<bool, kNumDims>;
// Dims tensor t's coordinates use: LayerSpec::couples(t, d) for every d in one pass.
inline DimMask tensor_dims(const LayerSpec& L, Tensor t) {
  DimMask m{};
  for (const TensorCoord& c : L.coords(t)) {
    m[idx(c.a)] = true;
    if (c.b) m[idx(*c.b)] = true;
  }
  return m;
}
// Largest end zone planned (more: not ok, the exact passes are used).
constexpr int64_t kMaxEndZone = 24;
// With `idle`, the top-level loops from the outermost one on an idle dim inwards get their end
// zone (the indices near the end whose L2 tiles relate to idle PEs' kept tiles) as singleton
// signatures.
TopPlan plan_top(const Schedule& s, Mem* mem = heap_mem(), const DimMask* idle = nullptr);

}  // namespace baton::detail
