// Internal: rule-12 L2 tiles of top-level steps when a PE can idle for a whole top-level step
// (docs/ANALYTICAL.md point 10).
//
// A unit of dim d is *short* when the last index n − 1 of d's top-level loop leaves it idle (an
// edge tile or a partial fold; it is active at every other index). At top-level step x a PE p is
// idle iff some top-level loop at position k has x_k = n_k − 1 and p's unit on its dim is short;
// with k* the outermost such position, p's last active top-level step is y = x with k* at
// n − 2, loops inner to k* at n − 1 (n − 2 where p's unit is short), outer ones as in x, and p
// keeps its tile of y's last active inner step: per dim, its unit's last entry under y_d.
// Grouping the idle PEs by k* gives product sets of PEs (per dim: short units on k*'s dim,
// non-short units on the outer dims at their end, all units elsewhere), so their kept tiles form
// one box per k*: per tensor coordinate the union of its units' kept ranges. The L2 tile is the
// union of the active PEs' box (the top-level tiles, l2_tiles.h) and these boxes; sizes and
// intersections follow by inclusion–exclusion over boxes.
//
// Along a non-window dim the units' last entries under one top-level index are disjoint leaves
// of its tiling, so a coordinate set is a list of *pieces* (top-level slot, parts: the short
// units' last ranges, the other units' last ranges, the rest of the top-level tile) whose sizes
// are weighted sums over the (class) unit combinations. Window coordinates (units explicit in
// the chains) keep explicit row intervals.
#pragma once

#include <array>
#include <cstdint>

#include "chains.h"
#include "l2_tiles.h"
#include "rows.h"

namespace baton::detail {

class IdleTiles {
 public:
  // `chains` must list, for every top-level loop from the outermost one with short units
  // inwards, the indices n − 1 and n − 2 and every index the class pass visits
  // (plan_top with the short dims); `base` is built on them.
  IdleTiles(const Schedule& s, const Chains& chains, const L2Tiles& base, Mem* mem);

  enum : uint8_t { kShort = 1, kLong = 2, kRest = 4, kFull = 7 };
  struct Piece {
    const int64_t* size = nullptr;  // SlotInfo::size of the dim at `slot`
    int32_t slot = 0;  // listed top-level index of the dim (0 without a top-level loop)
    uint8_t mask = 0;  // parts of that top-level tile
  };
  // One coordinate of a box: pieces of a non-window dim, or rows [off, off + n) of a row pool.
  struct Coord {
    Small<Piece, 2> p;
    int32_t off = 0, n = 0;
  };
  struct Box {
    std::array<Coord, 8> c;
  };
  // Every tensor's L2 tile of one top-level step.
  struct Tile {
    explicit Tile(Mem* m = heap_mem()) : rows(m) {}
    std::array<Small<Box, kNumDims + 1>, 3> boxes;
    Rows rows;  // window coordinates' rows
    std::array<int64_t, 3> size{};
  };
  void tile(const int64_t* top, Tile& out) const;
  std::array<int64_t, 3> sizes(const Tile& x) const { return x.size; }
  std::array<int64_t, 3> common(const Tile& x, const Tile& y) const;
  bool revisit(const int64_t* top) const { return base_.revisit(top); }

 private:
  struct SlotInfo {
    int64_t lo = 0, hi = 0;        // the top-level tile
    int64_t s = 0, l = 0;          // Σ |last range| of short / other units
    std::array<int64_t, 8> size{};  // per mask of parts (kShort | kLong | kRest)
    int64_t cs = 0, cl = 0;        // short / other units with a last range here
    std::array<int32_t, 3> off{};  // window dims: rows of short, other, all units' last ranges
    std::array<int32_t, 3> n{};
  };
  struct DimInfo {
    int top = -1;       // position of the dim's top-level loop, or -1
    int64_t trips = 1;  // of that loop
    bool window = false;
    const DimChain* chain = nullptr;
    int32_t begin = 0;  // first SlotInfo
  };
  struct CoordSpec {
    int a = 0, b = -1;  // dims (b >= 0: window pair)
    int64_t sigma = 1;
  };
  const SlotInfo& info(int d, int32_t slot) const { return slots_[dims_[d].begin + slot]; }
  int32_t slot_of(int d, int64_t x) const;
  // Rows of the parts `mask` of a window dim's top-level tile at `slot`.
  void piece_rows(int d, int32_t slot, uint8_t mask, Rows& out) const;
  // Size of a box of tensor t; rows in `pool`.
  int64_t box_size(int t, const Box& b, const Rows& pool) const;
  // |∪ boxes| of tensor t, the boxes' rows in `pool` (scratch rows are appended and dropped).
  int64_t union_size(int t, const Box* const* boxes, int m, Rows& pool) const;

  const Schedule& s_;
  const L2Tiles& base_;
  std::array<DimInfo, kNumDims> dims_{};
  Vec<SlotInfo> slots_;
  Rows dim_rows_;  // window dims' rows of last ranges
  std::array<Small<CoordSpec, 8>, 3> coords_;
  std::array<bool, 3> has_{};
  Small<int, kNumDims> top_dim_;  // dim of each top-level loop
  mutable Rows pool_;             // scratch of common() and tile()
  mutable Rows tmp_;
  mutable std::array<Box, 2 * (kNumDims + 1)> stack_, both_;  // scratch boxes
};

}  // namespace baton::detail
