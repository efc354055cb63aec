// Internal: energy (rule 14) and the rule-13 timing of a step sequence, shared by the engines.
#pragma once

#include <optional>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/analytical/reference.h"
#include "baton/dataflow/hardware.h"

namespace baton::detail {

EnergyBreakdown energy_of(const LayerCost& c, const EnergyTable& e);

// Cycles a transfer of `volume` elements takes: 0 when empty, else latency + ⌈volume / bw⌉
// (⌈⌉ = 0 when the bandwidth is unlimited).
inline int64_t transfer_cycles(int64_t volume, int64_t latency, std::optional<int64_t> bw) {
  if (volume <= 0) return 0;
  return latency + (bw ? (volume + *bw - 1) / *bw : 0);
}

// Rule 13 over an explicit step sequence; dram_* are per top-level step volumes (elements):
// reads of step j (fetched during j−1, or before slot 0 for j = 0) and write-backs leaving L2 at
// the start of step j (stored during j); final_dram_writes drain after the last NoC drain.
int64_t runtime_of(const std::vector<StepTrace>& steps, const std::vector<int64_t>& top_end,
                   const std::vector<int64_t>& dram_reads, const std::vector<int64_t>& dram_writes,
                   int64_t final_dram_writes, const HardwareSpec& hw);

}  // namespace baton::detail
