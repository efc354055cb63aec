// baton::analytical — the brute-force reference counter (tests and cross-validation only).
//
// Walks the Schedule step by step, PE by PE, with explicit element sets, and applies
// DIRECTIVES.md rules 8–14 literally. It is the executable specification that the closed-form
// analytical model and the simulator must match exactly; cost is O(steps × PEs × tile size), so
// use it on small layers only. docs/ANALYTICAL.md states every rule it implements.
#pragma once

#include <cstdint>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"

namespace baton {

struct StepTrace {
  int64_t v = 0;       // V_t: elements the distribution NoC carries for step t
  int64_t w = 0;       // W_t: elements leaving the PEs after step t (after reduction)
  int64_t c = 0;       // C_t: busiest PE's ⌈MACs / lanes⌉
  bool raw = false;    // an element written back by t−1 is read back for t+1 (slot t)
};

struct ReferenceResult {
  LayerCost cost;
  std::vector<StepTrace> steps;        // per global step
  std::vector<int64_t> top_slots_end;  // index of the last global step of each top-level step
};

ReferenceResult reference_count(const Schedule& schedule, const HardwareSpec& hw);

}  // namespace baton
