// Internal: per-dimension loop chains of a Schedule, enumerated per unit combination.
//
// A dimension's chain is the list of loops on it in global loop order. Its unit combinations are
// the unit indices of the levels whose spatial loop is on it. For each unit combination the
// chain's *active* index tuples (those where the unit's tile along the dimension is non-empty)
// are listed in lexicographic (= step) order with the unit's range. docs/ANALYTICAL.md explains
// why the model can work per dimension.
#pragma once

#include <cstdint>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "baton/dataflow/step_walker.h"

namespace baton::detail {

struct ChainLoop {
  int pos = 0;  // global loop position (levels top to bottom, loops outer to inner)
  LoopKind kind = LoopKind::kTemporal;
  int64_t tile = 1;
  int64_t units = 1;
  int level = 0;
};

struct ChainEntry {
  std::vector<int32_t> idx;  // index per chain loop
  Range r;                   // the unit's range along the dimension
};

struct DimChain {
  Dim dim = Dim::K;
  std::vector<ChainLoop> loops;
  std::vector<int> spatial_levels;  // levels whose spatial loop is on this dim (chain order)
  int64_t combos = 1;               // Π units over spatial_levels
  std::vector<std::vector<ChainEntry>> active;  // [combo] -> active tuples in step order

  // Index of the chain loop at global position `pos`, or -1.
  int loop_at(int pos) const;
  // Number of chain loops with global position < pos.
  int loops_before(int pos) const;
};

// Chains of every dimension of the schedule (dims without loops get one empty tuple per combo).
std::vector<DimChain> build_chains(const Schedule& s);
// Total number of loops in global order.
int num_global_loops(const Schedule& s);

}  // namespace baton::detail
