// Internal: product part of the rule-12 L2 tiles, per top-level step (docs/ANALYTICAL.md).
//
// The L2 tile of tensor T during top-level step j is the union of every PE's held tile over j.
// When no PE can be idle for a whole top-level step (idle_possible() false) it is exactly the
// product part computed here: per tensor coordinate, the union of the active units' ranges over
// the inner steps of j. Otherwise idle PEs' kept tiles join it (exact_l2_pass handles that).
#pragma once

#include <array>
#include <map>
#include <vector>

#include "chains.h"

namespace baton::detail {

class L2Tiles {
 public:
  L2Tiles(const Schedule& s, const std::vector<DimChain>& chains);
  bool idle_possible() const { return idle_possible_; }
  // |tile| per tensor of the top-level step with top-level loop indices `top`.
  std::array<int64_t, 3> sizes(const std::vector<int64_t>& top);
  // |tile(a) ∩ tile(b)| per tensor.
  std::array<int64_t, 3> common(const std::vector<int64_t>& a, const std::vector<int64_t>& b);
  // A non-output top-level index is non-zero: output elements return from DRAM.
  bool revisit(const std::vector<int64_t>& top) const;

 private:
  using Sorted = std::vector<int64_t>;
  using Prefix = std::vector<int32_t>;
  struct Span {
    int64_t first = -1, last = -1;
    bool active() const { return first >= 0; }
  };
  struct Tile {
    bool any = false;
    std::vector<Sorted> coord;  // per tensor coordinate
    int64_t size() const;
  };
  const std::array<Tile, 3>& tiles(const std::vector<int64_t>& top);
  Sorted coord_union(int t, size_t ci, const std::array<Prefix, kNumDims>& prefix,
                     const std::array<const std::vector<Span>*, kNumDims>& span_ptr);

  const Schedule& s_;
  const std::vector<DimChain>& chains_;
  std::vector<const Loop*> top_loops_;
  std::array<std::map<Prefix, std::vector<Span>>, kNumDims> spans_;
  bool idle_possible_ = false;
  std::map<std::pair<int, std::pair<Prefix, Prefix>>, Sorted> union_memo_;
  std::map<std::vector<int64_t>, std::array<Tile, 3>> tile_memo_;
};

}  // namespace baton::detail
