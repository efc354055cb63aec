// Internal: closed-form traffic counts of one tensor (docs/ANALYTICAL.md, points 1–6).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "chains.h"
#include "tables.h"

namespace baton::detail {

struct TensorCounts {
  // Per PE (summed over PEs): elements entering PE tiles (fetches / output entries, including the
  // first tile), elements leaving them (output write-backs incl. the final one), distinct
  // elements each PE ever holds.
  int64_t enter = 0, leave = 0, held = 0;
  // The same with PEs that hold equal tiles in a step counted once (multicast / reduction).
  int64_t enter_distinct = 0, leave_distinct = 0, held_distinct = 0;
};

TensorCounts tensor_counts(const Schedule& s, const Chains& chains, Tensor t);
TensorCounts tensor_counts(const Schedule& s, const Chains& chains, Tables& tab,
                           Tensor t);

}  // namespace baton::detail
