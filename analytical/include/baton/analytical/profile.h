// baton::analytical — a layer's rule-13 runtime as a function of the timing parameters.
//
// analyze(schedule, hw, &profile) records, besides the LayerCost, what rule 13 (DIRECTIVES.md)
// needs from every global step — V_{t+1}, C_t (as recorded: cycles at hw.simd_lanes, i.e. the
// busiest PE's MACs when recorded with 1 lane), W_{t−1}, read-after-write — and the DRAM volume
// of every top-level step, compressed: identical slots of a top-level step are counted, identical
// top-level steps (same slots, same DRAM volume) are counted. runtime() then re-evaluates rule 13
// for other SIMD lanes, NoC bandwidth / hop latency and off-chip bandwidth / latency exactly,
// without the schedule (design-space exploration: dse/). Tests check it equals analyze().
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace baton {

struct RuntimeProfile {
  struct Slot {
    int64_t v_next = 0, c = 0, w_prev = 0;  // elements, recorded cycles (MACs at 1 lane), elements
    bool raw = false;                        // slot lasts max(C, E + I) instead of max(I, C, E)
    int64_t mult = 1;                        // how many slots of the top-level step are like this
  };
  struct Top {
    int64_t dram = 0;  // DRAM volume during this top-level step, elements
    std::vector<Slot> slots;
    int64_t count = 1;  // how many top-level steps are like this
  };
  int64_t recorded_simd_lanes = 1;
  int64_t head_dram = 0, head_v = 0;   // first DRAM fill, V_0
  int64_t tail_w = 0, tail_dram = 0;   // final write-back, final DRAM drain
  std::vector<Top> tops;

  // Rule 13 for these timing parameters (bandwidths: nullopt = unlimited). simd_lanes must be
  // recorded_simd_lanes, or any value when the profile was recorded with 1 lane.
  int64_t runtime(int64_t simd_lanes, int64_t hop_latency, std::optional<int64_t> noc_bw,
                  int64_t dram_latency, std::optional<int64_t> offchip_bw) const;
  size_t size() const;  // Σ over tops of their distinct slots (the cost of runtime())
};

}  // namespace baton
