// Rule 13 (DIRECTIVES.md): lock-step slots with double buffering, plus DRAM per top-level step.
#include <algorithm>

#include "energy.h"

namespace baton::detail {

int64_t runtime_of(const std::vector<StepTrace>& steps, const std::vector<int64_t>& top_end,
                   const std::vector<int64_t>& dram_reads, const std::vector<int64_t>& dram_writes,
                   int64_t final_dram_writes, const HardwareSpec& hw) {
  const int64_t hop = hw.noc.hop_latency_cycles;
  const auto bw = hw.noc.bandwidth_elems_per_cycle;
  const int64_t T = static_cast<int64_t>(steps.size());
  auto I = [&](int64_t t) { return t < T ? transfer_cycles(steps[t].v, hop, bw) : 0; };
  auto E = [&](int64_t t) { return t >= 0 ? transfer_cycles(steps[t].w, hop, bw) : 0; };
  auto dram = [&](int64_t v) {
    return transfer_cycles(v, hw.dram_latency_cycles, hw.offchip_bw_elems_per_cycle);
  };
  int64_t runtime = (dram_reads.empty() ? 0 : dram(dram_reads[0])) + I(0);
  const int64_t J = static_cast<int64_t>(top_end.size());
  int64_t t = 0;
  for (int64_t j = 0; j < J; ++j) {
    int64_t slots = 0;
    for (; t <= top_end[j]; ++t) {
      const int64_t slot = steps[t].raw ? std::max(steps[t].c, E(t - 1) + I(t + 1))
                                        : std::max({I(t + 1), steps[t].c, E(t - 1)});
      slots += slot;
    }
    int64_t vol = (j + 1 < J ? dram_reads[j + 1] : 0) + (j >= 1 ? dram_writes[j] : 0);
    runtime += std::max(slots, dram(vol));
  }
  runtime += E(T - 1) + dram(final_dram_writes);
  return runtime;
}

}  // namespace baton::detail
