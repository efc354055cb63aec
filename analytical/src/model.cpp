#include "baton/analytical/model.h"

#include <algorithm>

#include "chains.h"
#include "energy.h"
#include "steps.h"
#include "traffic.h"

namespace baton {

LayerCost analyze(const Schedule& s, const HardwareSpec& hw) {
  LayerCost c;
  const auto chains = detail::build_chains(s);
  const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
  for (Tensor t : {Tensor::kInput, Tensor::kWeight}) {
    const auto k = detail::tensor_counts(s, chains, t);
    TensorTraffic& x = c.tensor[static_cast<int>(t)];
    x.noc_deliveries = k.enter;
    x.l2_reads = mcast ? k.enter_distinct : k.enter;
  }
  {
    const auto k = detail::tensor_counts(s, chains, Tensor::kOutput);
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
  // DRAM traffic per top-level step is not modelled yet: the runtime assumes DRAM never limits.
  const auto pass = detail::step_pass(s, chains, hw, 0, nullptr, 0);
  c.runtime_cycles = pass.runtime_cycles;
  c.noc_bw_peak_elems_per_cycle = pass.noc_bw_peak;
  c.noc_bw_avg_elems_per_cycle =
      double(pass.noc_volume) / double(std::max<int64_t>(c.compute_cycles, 1));
  c.fits = s.fit().fits;
  c.fit_reason = s.fit().reason;
  return c;
}

}  // namespace baton
