// Internal: closed-form traffic counts of one tensor (docs/ANALYTICAL.md, points 1–6).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "chains.h"

namespace baton::detail {

struct TensorCounts {
  // Per PE (summed over PEs): elements entering PE tiles (fetches / output entries, including the
  // first tile), elements leaving them (output write-backs incl. the final one), distinct
  // elements each PE ever holds.
  int64_t enter = 0, leave = 0, held = 0;
  // The same with PEs that hold equal tiles in a step counted once (multicast / reduction).
  int64_t enter_distinct = 0, leave_distinct = 0, held_distinct = 0;
};

TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tensor t);

// One coordinate of a tensor (a dim, or a window pair {P, R} / {Q, S}), or a free dim (a dim
// the tensor does not depend on).
struct Group {
  std::vector<Dim> dims;
  int64_t sigma = 1;
  bool coupled = true;
};
std::vector<Group> tensor_groups(const LayerSpec& L, Tensor t);

// kStep0: every PE's first step; kTransition: steps whose advancing loop is at position k;
// kFinal: every PE's last active step.
enum class Mode { kStep0, kTransition, kFinal };

// Selected entries of one dim for a mode/position: (unit combo, step entry x, previous entry y).
struct Pick {
  int64_t combo;
  const ChainEntry* x;
  const ChainEntry* y;
};
std::vector<Pick> picks(const DimChain& c, Mode mode, int k);

// Per-PE sums of |N|, |H|, |N ∩ H| over a group's units (counts for free dims), and the same
// with siblings collapsed (multicast / reduction distinct counts).
struct Sums {
  double n = 0, h = 0, i = 0;
  double nd = 0, hd = 0, id = 0;
};
// Keyed by the step's index tuple of the group's dims (concatenated); free dims at kStep0 /
// kFinal use an empty key.
using GroupTable = std::map<std::vector<int32_t>, Sums>;
GroupTable group_table(const Group& g, const std::vector<DimChain>& chains, Mode mode, int k);

}  // namespace baton::detail
