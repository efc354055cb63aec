// Internal: per-dimension loop chains of a Schedule, enumerated per unit combination.
//
// A dimension's chain is the list of loops on it in global loop order. Its unit combinations are
// the unit indices of the levels whose spatial loop is on it. For each unit combination the
// chain's *active* index tuples (those where the unit's tile along the dimension is non-empty)
// are listed in lexicographic (= step) order with the unit's range. docs/ANALYTICAL.md explains
// why the model can work per dimension.
//
// Every distinct tuple of a dim gets a dense id (tuples in lexicographic order); a tuple's code
// is its mixed-radix number over the chain loops' largest trip counts.
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
  int32_t id = 0;            // dense id of idx among the dim's distinct tuples
};

struct DimChain {
  Dim dim = Dim::K;
  std::vector<ChainLoop> loops;
  std::vector<int> spatial_levels;  // levels whose spatial loop is on this dim (chain order)
  int64_t combos = 1;               // Π units over spatial_levels
  std::vector<std::vector<ChainEntry>> active;  // [combo] -> active tuples in step order
  std::vector<int64_t> radix;       // per chain loop: largest index + 1
  std::vector<int64_t> stride;      // per chain loop: mixed-radix weight of its index
  int64_t code_space = 1;           // Π radix
  int32_t ids = 0;                  // number of distinct tuples
  std::vector<int32_t> code_to_id;  // [code] -> id or -1
  std::vector<int64_t> maxlen;      // [id] -> longest unit range at that tuple

  // Index of the chain loop at global position `pos`, or -1.
  int loop_at(int pos) const;
  // Number of chain loops with global position < pos.
  int loops_before(int pos) const;
  // Dense id of the tuple with global loop indices `index` (-1 if no unit is active there).
  int32_t id_at(const int64_t* index) const {
    int64_t code = 0;
    for (size_t j = 0; j < loops.size(); ++j) {
      const int64_t i = index[loops[j].pos];
      if (i >= radix[j]) return -1;
      code += i * stride[j];
    }
    return code_to_id[code];
  }
};

// Chains of every dimension of the schedule (dims without loops get one empty tuple per combo).
std::vector<DimChain> build_chains(const Schedule& s);
// Total number of loops in global order.
int num_global_loops(const Schedule& s);

}  // namespace baton::detail
