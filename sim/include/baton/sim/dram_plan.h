// baton::sim — DRAM transfers per top-level step (DIRECTIVES.md rule 12), from the PEs' held
// tiles: the L2 tile of a top-level step is the union of every PE's held tile over its global
// steps (idle PEs keep theirs). Inputs/weights read what the L2 tile gains; outputs are written
// back when they leave it and read back when they return after having been written.
//
// The union of the tiles the PEs compute in a top-level step is the top-level tile of each
// cluster (the lower loops cover it exactly), so the L2 tile is the union of the clusters'
// top-level tiles plus the older tiles of PEs idle at the step's start. Top-level steps that are
// translates of an earlier one reuse its counts; output ids are still tracked per element.
// Packets carry counts and first ids (no element lists).
#pragma once

#include <memory>
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

// Top-level steps one at a time (the simulator keeps one step of look-ahead).
class DramPlanner {
 public:
  explicit DramPlanner(const Schedule& schedule, bool reuse = true);
  ~DramPlanner();
  DramPlanner(const DramPlanner&) = delete;
  DramPlanner& operator=(const DramPlanner&) = delete;

  // The next top-level step; false after the last one (then final_writes() is set).
  bool next(TopStepDram& out);
  const std::vector<Packet>& final_writes() const;  // outputs left in L2 at the end

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DramPlan {
  std::vector<TopStepDram> steps;  // per top-level step
  std::vector<Packet> final_writes;
};

DramPlan plan_dram(const Schedule& schedule);  // every top-level step at once

}  // namespace baton
