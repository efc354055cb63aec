// baton::sim — DRAM transfers per top-level step (DIRECTIVES.md rule 12), from the PEs' held
// tiles: the L2 tile of a top-level step is the union of every PE's held tile over its global
// steps (idle PEs keep theirs). Inputs/weights read what the L2 tile gains; outputs are written
// back when they leave it and read back when they return after having been written.
#pragma once

#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"
#include "baton/sim/transfer_plan.h"

namespace baton {

struct TopStepDram {
  std::vector<Packet> reads;   // DRAM -> L2, needed by this top-level step (pes empty)
  std::vector<Packet> writes;  // L2 -> DRAM, outputs leaving L2 at the start of this step
  int64_t l2_elements = 0;     // 2·(|I| + |W|) + 3·|O| of this step's L2 tile
};

struct DramPlan {
  std::vector<TopStepDram> steps;  // per top-level step
  std::vector<Packet> final_writes;
};

DramPlan plan_dram(const Schedule& schedule);

}  // namespace baton
