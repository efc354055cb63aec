// baton::dse — the cache phase: per (unique layer, candidate, PE count) the schedule, its counts
// and its runtime for every SIMD × NoC bandwidth × off-chip bandwidth combination of the space.
#include <thread>

#include "baton/analytical/model.h"
#include "internal.h"

namespace baton::dse {

void parallel_for(uint64_t n, int threads, const std::atomic<bool>* stop,
                  const std::function<void(uint64_t)>& fn, const std::function<void()>& tick) {
  std::atomic<uint64_t> next{0};
  auto work = [&](bool caller) {
    for (;;) {
      if (stop && stop->load()) return;
      const uint64_t i = next.fetch_add(1);
      if (i >= n) return;
      fn(i);
      if (caller && tick) tick();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& th : pool) th.join();
}

Entry compute_entry(const LayerSpec& layer, const std::optional<DataflowDecl>& dataflow,
                    const DesignSpace& s, size_t pes_index, const HardwareSpec& base) {
  Entry e;
  if (!dataflow) {
    e.reason = "no such candidate for this layer";
    return e;
  }
  HardwareSpec hw = base;
  hw.pes = s.pes[pes_index];
  hw.l1_bytes.reset();  // capacity is checked per point, not by the schedule
  hw.l2_bytes.reset();
  const ScheduleResult r = build_schedule(layer, *dataflow, hw);
  if (!r.schedule) {
    for (const Diagnostic& d : r.diagnostics)
      if (d.severity == Severity::kError && e.reason.empty()) e.reason = "mapping error: " + d.message;
    if (e.reason.empty()) e.reason = "mapping error";
    return e;
  }
  if (!r.schedule->fit().fits) {
    e.reason = r.schedule->fit().reason;
    return e;
  }
  e.usable = true;
  // One analysis with 1 SIMD lane records the counts (independent of lanes and bandwidths) and
  // the runtime profile; every lanes × NoC × off-chip combination is then rule 13 re-evaluated
  // from the profile (exact: tests/analytical/profile_test.cpp).
  hw.simd_lanes = 1;
  RuntimeProfile profile;
  const LayerCost c = analyze(*r.schedule, hw, &profile);
  e.l1_bytes = c.l1_bytes_needed;
  e.l2_bytes = c.l2_bytes_needed;
  e.energy_pj = c.energy.total_pj();
  e.runtime.reserve(s.simd_lanes.size() * s.noc_bw.size() * s.offchip_bw.size());
  for (int64_t lanes : s.simd_lanes)
    for (int64_t noc : s.noc_bw)
      for (int64_t off : s.offchip_bw)
        e.runtime.push_back(profile.runtime(lanes, hw.noc.hop_latency_cycles, noc,
                                            hw.dram_latency_cycles, off));
  return e;
}

}  // namespace baton::dse
