// Internal: energy (rule 14) and the rule-13 timing of a step sequence, shared by the engines.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/analytical/reference.h"
#include "baton/dataflow/hardware.h"
#include "profile_builder.h"

namespace baton::detail {

EnergyBreakdown energy_of(const LayerCost& c, const EnergyTable& e);

// Cycles a transfer of `volume` elements takes: 0 when empty, else latency + ⌈volume / bw⌉
// (⌈⌉ = 0 when the bandwidth is unlimited).
inline int64_t transfer_cycles(int64_t volume, int64_t latency, std::optional<int64_t> bw) {
  if (volume <= 0) return 0;
  return latency + (bw ? (volume + *bw - 1) / *bw : 0);
}

// Rule 13, streamed: push the global steps in order; each push closes the previous step's slot.
// `dram(j)` is the DRAM volume moved during top-level step j (elements fetched for j+1 plus the
// write-backs stored during j).
class RuntimeAccumulator {
 public:
  using DramFn = std::function<int64_t(int64_t)>;
  RuntimeAccumulator(const HardwareSpec& hw, int64_t first_dram_fill, DramFn dram);
  // Step t: V_t, C_t, W_{t−1} (leaving at the boundary into t), RAW_{t−1} (an element written
  // back by t−2 is read back for t), and whether t starts a new top-level step.
  void push(int64_t v, int64_t c, int64_t w_prev, bool raw_prev, bool new_top);
  // W_{T−1} (the final write-back) and the final DRAM drain; returns the runtime in cycles.
  int64_t finish(int64_t w_last, int64_t final_dram_writes);
  // Also record every slot and top-level step into *rec (before the first push).
  void record(ProfileBuilder* rec);

 private:
  int64_t noc(int64_t v) const;
  int64_t dram_cycles(int64_t v) const;
  void close_slot(int64_t next_i, bool raw);
  void close_top();

  const HardwareSpec& hw_;
  DramFn dram_;
  int64_t runtime_ = 0, top_slots_ = 0, top_ = 0;
  bool started_ = false;
  int64_t c_pending_ = 0, e_pending_ = 0;  // C_t and E_{t−1} of the pending slot t
  int64_t w_pending_ = 0;                  // W_{t−1} (elements) of the pending slot t
  int64_t first_dram_fill_ = 0;
  ProfileBuilder* rec_ = nullptr;
};

// Convenience over an explicit sequence (reference counter).
int64_t runtime_of(const std::vector<StepTrace>& steps, const std::vector<int64_t>& top_end,
                   const std::vector<int64_t>& dram_reads, const std::vector<int64_t>& dram_writes,
                   int64_t final_dram_writes, const HardwareSpec& hw);

}  // namespace baton::detail
