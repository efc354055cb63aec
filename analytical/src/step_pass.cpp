// exact_step_pass: every global step through the StepModel into rule 13's accumulator (the
// per-step path, used when the class pass does not apply — schedules outside its shapes, see
// docs/ANALYTICAL.md point 10 — and as the oracle of the class pass in tests).
#include <algorithm>

#include "steps.h"
#include "traffic.h"

namespace baton::detail {

StepPassResult exact_step_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                               int64_t first_dram_fill, const RuntimeAccumulator::DramFn& dram,
                               int64_t final_dram_writes) {
  Tables tables(s, chains);
  return exact_step_pass(s, chains, hw, tables, first_dram_fill, dram, final_dram_writes);
}

StepPassResult exact_step_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                               Tables& tables, int64_t first_dram_fill,
                               const RuntimeAccumulator::DramFn& dram,
                               int64_t final_dram_writes, ProfileBuilder* rec) {
  StepPassResult res;
  const StepModel model(s, chains, hw, tables);
  const int m = model.loops();
  std::vector<int64_t> index(m, 0), tr(m, 1);
  model.trips(index.data(), tr.data(), 0);
  RuntimeAccumulator acc(hw, first_dram_fill, dram);
  acc.record(rec);
  StepVals prev_vals;
  bool has_prev = false;
  int64_t c_prev = 1;
  for (;;) {
    StepVals cur = model.eval(index.data());
    // max over t of max(V_t, W_t) / max(C_t, 1): W_{t−1} pairs with C_{t−1}.
    res.noc_bw_peak =
        std::max({res.noc_bw_peak, double(cur.v) / double(std::max<int64_t>(cur.c, 1)),
                  double(cur.w_prev) / double(std::max<int64_t>(c_prev, 1))});
    c_prev = cur.c;
    res.noc_volume += cur.v + cur.w_prev;
    const bool raw = has_prev && model.raw(prev_vals, cur);
    acc.push(cur.v, cur.c, cur.w_prev, raw, cur.adv >= 0 && cur.adv < model.top_loops());
    prev_vals = cur;
    has_prev = true;
    if (!model.next(index.data(), tr.data())) break;
  }
  const int64_t w_last = model.final_writeback();
  res.noc_bw_peak =
      std::max(res.noc_bw_peak, double(w_last) / double(std::max<int64_t>(c_prev, 1)));
  res.noc_volume += w_last;
  res.runtime_cycles = acc.finish(w_last, final_dram_writes);
  return res;
}

}  // namespace baton::detail
