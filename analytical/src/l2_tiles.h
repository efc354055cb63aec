// Internal: product part of the rule-12 L2 tiles, per top-level step (docs/ANALYTICAL.md).
//
// The L2 tile of tensor T during top-level step j is the union of every PE's held tile over j.
// When no PE can be idle for a whole top-level step (idle_possible() false) it is exactly the
// product part computed here: per tensor coordinate, the union of the active units' ranges over
// the inner steps of j. Otherwise idle PEs' kept tiles join it (IdleTiles, idle_tiles.h).
//
// Along one dim the union of the active units' ranges over the inner steps of j is the interval
// of j's top-level tile (clean tilings: the lower loops cover it without gaps). A window
// coordinate {p·σ + r} over intervals of p and r is a set of equal blocks with period σ. The
// constructor checks contiguity from the chains; where it fails, exact_only() reports true so
// that the exact per-step pass is used instead.
#pragma once

#include <array>
#include <vector>

#include "chains.h"

namespace baton::detail {

class L2Tiles {
 public:
  L2Tiles(const Schedule& s, const Chains& chains, Mem* mem = heap_mem());
  // A PE can idle for a whole top-level step (then idle PEs' kept tiles join the L2 tile:
  // IdleTiles), or the chains are not of the clean shape assumed here (exact_only()).
  bool idle_possible() const { return exact_only_ || any_short(); }
  bool exact_only() const { return exact_only_; }
  // Dims with unit combinations active at some but not all of the listed top-level indices.
  const std::array<bool, kNumDims>& short_dims() const { return short_; }
  bool any_short() const {
    for (bool b : short_)
      if (b) return true;
    return false;
  }
  // The top-level tile's range along d at `top` (the union of the active units' ranges over
  // its inner steps); false when no unit of d is active there.
  bool top_range(Dim d, const int64_t* top, int64_t& lo, int64_t& hi) const {
    const DimUnion* u = dim_union(d, top);
    if (u) lo = u->lo, hi = u->hi;
    return u != nullptr;
  }
  // |tile| per tensor of the top-level step with top-level loop indices `top`.
  std::array<int64_t, 3> sizes(const int64_t* top) const;
  // |tile(a) ∩ tile(b)| per tensor.
  std::array<int64_t, 3> common(const int64_t* a, const int64_t* b) const;
  // A non-output top-level index is non-zero: output elements return from DRAM.
  bool revisit(const int64_t* top) const;

  // ∪_{p ∈ [a, b)} [p·σ + c, p·σ + d): disjoint blocks (d − c < σ) or one interval (a + 1 == b).
  struct Blocks {
    int64_t a = 0, b = 0, c = 0, d = 0, sigma = 1;
    int64_t size() const { return (b - a) * (d - c); }
  };
  static int64_t intersect(const Blocks& x, const Blocks& y);

  struct DimUnion {
    int64_t lo = 0, hi = 0, sum = 0;
    bool any = false;
  };
  // Every tensor's tile of one top-level step: its per-dim unions (the coordinates' blocks
  // follow from them); any false when no PE is active.
  struct TopTile {
    explicit TopTile(Mem* = nullptr) {}
    bool any = false;
    std::array<const DimUnion*, kNumDims> u{};
  };
  using Tile = TopTile;
  void tile(const int64_t* top, TopTile& out) const;
  std::array<int64_t, 3> sizes(const TopTile& x) const;
  std::array<int64_t, 3> common(const TopTile& x, const TopTile& y) const;

 private:
  struct Coord {
    Dim a = Dim::K;
    bool window = false;
    Dim b = Dim::K;
    int64_t sigma = 1;
  };
  const DimUnion* dim_union(Dim d, const int64_t* top) const;
  // Blocks of coordinate c from the per-dim unions.
  static Blocks coord_blocks(const Coord& c, const std::array<const DimUnion*, kNumDims>& u);
  // Coordinate blocks of tensor t at `top`; false when no PE is active.
  bool blocks(int t, const int64_t* top, Blocks* out) const;

  const Schedule& s_;
  int top_n_ = 0;                                      // top-level loops
  std::array<int, kNumDims> top_k_{};                  // top-level loop index per dim, or -1
  std::array<const DimChain*, kNumDims> chain_{};
  Vec<DimUnion> unions_;                               // per dim, per top-level slot
  std::array<int32_t, kNumDims> ubegin_{};             // first slot of each dim in unions_
  std::array<Small<Coord, 8>, 3> coords_;
  Small<Dim, kNumDims> top_dims_;  // dims with a top-level loop
  TopTile fixed_;                  // the other dims' unions (the same at every top-level step)
  std::array<bool, 3> has_{};
  Small<char, 64> non_output_top_;
  bool exact_only_ = false;
  std::array<bool, kNumDims> short_{};
};

}  // namespace baton::detail
