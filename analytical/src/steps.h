// Internal: the per-step values V_t, C_t, W_t of rule 13 from the closed-form group tables,
// streamed into a RuntimeAccumulator (no PE is visited; cost O(steps × groups)).
#pragma once

#include <vector>

#include "baton/analytical/cost.h"
#include "chains.h"
#include "energy.h"

namespace baton::detail {

struct StepPassResult {
  int64_t runtime_cycles = 0;
  double noc_bw_peak = 0;    // max_t max(V_t, W_t) / max(C_t, 1)
  int64_t noc_volume = 0;    // Σ_t (V_t + W_t)
};

StepPassResult step_pass(const Schedule& s, const std::vector<DimChain>& chains,
                         const HardwareSpec& hw, int64_t first_dram_fill,
                         const RuntimeAccumulator::DramFn& dram, int64_t final_dram_writes);

}  // namespace baton::detail
