#include "baton/analytical/model.h"

#include <algorithm>

#include "arena.h"
#include "chains.h"
#include "classes.h"
#include "energy.h"
#include "l2.h"
#include "l2_tiles.h"
#include "steps.h"
#include "top_classes.h"
#include "traffic.h"

namespace baton {

LayerCost analyze(const Schedule& s, const HardwareSpec& hw) { return analyze(s, hw, nullptr); }

LayerCost analyze(const Schedule& s, const HardwareSpec& hw, RuntimeProfile* profile) {
  LayerCost c;
  detail::ProfileBuilder builder;
  detail::ProfileBuilder* rec = profile ? &builder : nullptr;
  detail::Arena arena;  // this evaluation's memory
  detail::Mem* mem = arena.mem();
  // Chains listing only the top-level indices the classes need (with idle PEs: also the end
  // zones of their kept tiles); all of them when the class pass does not apply (the exact
  // passes walk every step).
  const detail::ClassSetup setup(s, mem);
  const bool classed = setup.ok();
  detail::Chains full(mem);
  if (!classed) full = detail::build_chains(s, nullptr, mem);
  const detail::Chains& chains = classed ? setup.chains() : full;
  detail::Tables tables(s, chains, mem);
  const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
  for (Tensor t : {Tensor::kInput, Tensor::kWeight}) {
    const auto k = detail::tensor_counts(s, chains, tables, t);
    TensorTraffic& x = c.tensor[static_cast<int>(t)];
    x.noc_deliveries = k.enter;
    x.l2_reads = mcast ? k.enter_distinct : k.enter;
  }
  {
    const auto k = detail::tensor_counts(s, chains, tables, Tensor::kOutput);
    TensorTraffic& o = c.tensor[2];
    o.writebacks = k.leave;
    o.l2_writes = reduce ? k.leave_distinct : k.leave;
    o.rmw_reads = reduce ? 0 : k.leave - k.leave_distinct;
    o.noc_deliveries = k.enter - k.held;
    o.readbacks = mcast ? k.enter_distinct - k.held_distinct : o.noc_deliveries;
    o.l2_reads = o.readbacks + o.rmw_reads;
  }
  c.macs = s.macs();
  c.zero_macs = s.layer().zero_macs();
  c.steps = s.steps();
  c.top_steps = s.top_steps();
  c.compute_cycles = s.compute_cycles(hw.simd_lanes);
  c.avg_active_pes = s.avg_active_pes();
  c.peak_active_pes = s.peak_active_pes();
  c.noc_element_hops = c.tensor[0].noc_deliveries + c.tensor[1].noc_deliveries +
                       c.tensor[2].noc_deliveries + c.tensor[2].writebacks;
  // Rules 12 and 13 per class of top-level steps (with idle PEs' kept tiles where PEs idle for
  // whole top-level steps); per step when the class pass does not apply (both paths give
  // identical results where both apply).
  detail::L2Result l2;
  detail::StepPassResult pass;
  if (classed) {
    detail::ClassedResult cp = setup.run(s, hw, tables, mem, rec);
    l2 = std::move(cp.l2);
    pass = cp.steps;
  } else {
    l2 = detail::exact_l2_pass(s, chains);
    const int64_t J = static_cast<int64_t>(l2.reads.size());
    pass = detail::exact_step_pass(
        s, chains, hw, tables, l2.reads.empty() ? 0 : l2.reads[0],
        [&](int64_t j) {
          return (j + 1 < J ? l2.reads[j + 1] : 0) + (j >= 1 ? l2.writes[j] : 0);
        },
        l2.final_writes, rec);
  }
  for (int t = 0; t < 3; ++t) {
    c.tensor[t].dram_reads = l2.dram_reads[t];
    c.tensor[t].dram_writes = l2.dram_writes[t];
  }
  c.l2_bytes_needed = l2.l2_elems_needed * hw.word_bytes;
  int64_t l1 = 0;
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput}) l1 += s.max_tile_elements(t);
  c.l1_bytes_needed = 2 * l1 * hw.word_bytes;
  c.runtime_cycles = pass.runtime_cycles;
  c.noc_bw_peak_elems_per_cycle = pass.noc_bw_peak;
  c.noc_bw_avg_elems_per_cycle =
      double(pass.noc_volume) / double(std::max<int64_t>(c.compute_cycles, 1));
  c.offchip_bw_avg_elems_per_cycle = double(c.dram_reads() + c.dram_writes()) /
                                     double(std::max<int64_t>(c.compute_cycles, 1));
  c.energy = detail::energy_of(c, hw.energy);
  c.fits = s.fit().fits;
  c.fit_reason = s.fit().reason;
  if (profile) *profile = builder.finish(hw.simd_lanes);
  return c;
}

}  // namespace baton
