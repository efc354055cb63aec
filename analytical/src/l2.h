// Internal: rule 12 — the L2 tile of every top-level step, L2 capacity and DRAM traffic.
//
// The L2 tile of tensor T during top-level step j is the union of every PE's held tile over j.
// PEs active in j contribute a product set (per tensor coordinate: the union of its units' ranges
// over the inner steps of j — docs/ANALYTICAL.md point 2); PEs idle for all of j keep the tile
// of their last active step, added as explicit elements.
#pragma once

#include <array>
#include <vector>

#include "chains.h"

namespace baton::detail {

struct L2Result {
  int64_t l2_elems_needed = 0;               // max_j 2·(|I| + |W|) + 3·|O|
  std::array<int64_t, 3> dram_reads{};       // per tensor (outputs: read-backs)
  std::array<int64_t, 3> dram_writes{};      // outputs only
  std::vector<int64_t> reads;                // per top-level step j: elements fetched for j
  std::vector<int64_t> writes;               // per j: output elements leaving L2 at its start
  int64_t final_writes = 0;                  // the last tile's outputs, drained at the end
};

L2Result exact_l2_pass(const Schedule& s, const Chains& chains);

}  // namespace baton::detail
