// Rule 13 (DIRECTIVES.md): lock-step slots with double buffering, plus DRAM per top-level step.
#include <algorithm>

#include "energy.h"

namespace baton::detail {

RuntimeAccumulator::RuntimeAccumulator(const HardwareSpec& hw, int64_t first_dram_fill,
                                       DramFn dram)
    : hw_(hw), dram_(std::move(dram)), first_dram_fill_(first_dram_fill) {
  runtime_ = dram_cycles(first_dram_fill);
}

void RuntimeAccumulator::record(ProfileBuilder* rec) {
  rec_ = rec;
  if (rec_) rec_->head(first_dram_fill_);
}

int64_t RuntimeAccumulator::noc(int64_t v) const {
  return transfer_cycles(v, hw_.noc.hop_latency_cycles, hw_.noc.bandwidth_elems_per_cycle);
}
int64_t RuntimeAccumulator::dram_cycles(int64_t v) const {
  return transfer_cycles(v, hw_.dram_latency_cycles, hw_.offchip_bw_elems_per_cycle);
}

void RuntimeAccumulator::close_slot(int64_t next_i, bool raw) {
  top_slots_ += raw ? std::max(c_pending_, e_pending_ + next_i)
                    : std::max({next_i, c_pending_, e_pending_});
}

void RuntimeAccumulator::close_top() {
  const int64_t d = dram_ ? dram_(top_) : 0;
  runtime_ += std::max(top_slots_, dram_cycles(d));
  if (rec_) rec_->close_top(d, 1);
  top_slots_ = 0;
  ++top_;
}

void RuntimeAccumulator::push(int64_t v, int64_t c, int64_t w_prev, bool raw_prev,
                              bool new_top) {
  const int64_t i = noc(v);
  if (!started_) {
    runtime_ += i;  // I_0 after the first DRAM fill
    started_ = true;
    if (rec_) rec_->first_v(v);
  } else {
    if (rec_) rec_->slot(v, c_pending_, w_pending_, raw_prev);
    close_slot(i, raw_prev);
    if (new_top) close_top();
  }
  c_pending_ = c;            // slot t now waits for I_{t+1}
  e_pending_ = noc(w_prev);  // E_{t−1}
  w_pending_ = w_prev;
}

int64_t RuntimeAccumulator::finish(int64_t w_last, int64_t final_dram_writes) {
  if (!started_) return runtime_;
  if (rec_) rec_->slot(0, c_pending_, w_pending_, false);
  close_slot(0, false);
  close_top();
  if (rec_) rec_->tail(w_last, final_dram_writes);
  return runtime_ + noc(w_last) + dram_cycles(final_dram_writes);
}

int64_t runtime_of(const std::vector<StepTrace>& steps, const std::vector<int64_t>& top_end,
                   const std::vector<int64_t>& dram_reads, const std::vector<int64_t>& dram_writes,
                   int64_t final_dram_writes, const HardwareSpec& hw) {
  const int64_t J = static_cast<int64_t>(top_end.size());
  RuntimeAccumulator acc(hw, dram_reads.empty() ? 0 : dram_reads[0], [&](int64_t j) {
    return (j + 1 < J ? dram_reads[j + 1] : 0) + (j >= 1 ? dram_writes[j] : 0);
  });
  size_t top = 0;
  for (size_t t = 0; t < steps.size(); ++t) {
    const bool new_top = t > 0 && static_cast<int64_t>(t - 1) == top_end[top];
    if (new_top) ++top;
    acc.push(steps[t].v, steps[t].c, t > 0 ? steps[t - 1].w : 0, t > 0 && steps[t - 1].raw,
             new_top);
  }
  return acc.finish(steps.empty() ? 0 : steps.back().w, final_dram_writes);
}

}  // namespace baton::detail
