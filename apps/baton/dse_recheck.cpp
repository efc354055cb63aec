// `baton dse --recheck K`: analytical vs simulated ranks and runtimes of the top designs.
#include "dse_recheck.h"

#include <algorithm>
#include <iostream>
#include <numeric>
#include <sstream>
#include <tuple>

#include "analyze_output.h"
#include "baton/sim/simulator.h"
#include "cli.h"

namespace baton::cli {

std::string recheck_designs(dse::Explorer& ex, const dse::DseResult& r, dse::Objective objective,
                            int k, bool quiet) {
  std::vector<dse::Design> top = r.designs;
  std::sort(top.begin(), top.end(), [&](const dse::Design& a, const dse::Design& b) {
    const double va = dse::objective_value(a, objective), vb = dse::objective_value(b, objective);
    return va < vb || (va == vb && a.index < b.index);
  });
  const dse::DesignSpace& s = ex.space();
  auto timing = [&](const dse::Design& d) {
    const dse::PointIndex p = dse::decode(s, d.index);
    return std::make_tuple(p.pes, p.simd, p.noc, p.offchip, p.topo);
  };
  std::vector<dse::Design> distinct;
  for (const dse::Design& d : top) {
    if (distinct.size() == size_t(k)) break;
    if (std::none_of(distinct.begin(), distinct.end(),
                     [&](const dse::Design& x) { return timing(x) == timing(d); }))
      distinct.push_back(d);
  }
  top = std::move(distinct);
  const dse::Workload& w = ex.workload();
  std::vector<dse::Design> sim(top.size());
  for (size_t i = 0; i < top.size(); ++i) {
    const HardwareSpec hw = dse::hardware_at(s, dse::decode(s, top[i].index), ex.base());
    sim[i] = top[i];
    sim[i].runtime_cycles = 0;
    sim[i].energy_pj = 0;
    for (const dse::LayerChoice& c : ex.explain(top[i].index)) {
      if (stop_requested()) break;
      const auto& u = w.unique[size_t(c.unique)];
      const ScheduleResult sr = build_schedule(u.layer, *u.dataflows[size_t(c.candidate_index)], hw);
      SimOptions so;
      so.stop = &stop_requested();
      const SimLayerResult res = Simulator::instance().run(*sr.schedule, hw, so);
      sim[i].runtime_cycles += res.counted.runtime_cycles;
      sim[i].energy_pj += compute_energy(res.counted, hw.energy).total_pj();
      if (!quiet)
        std::cerr << "\rrecheck: design " << i + 1 << "/" << top.size() << ", layer " << c.layer
                  << "        " << std::flush;
    }
    sim[i].power_mw = dse::power_mw(sim[i].energy_pj, sim[i].runtime_cycles, sim[i].area_mm2,
                                    ex.base().area_power);
  }
  if (!top.empty() && !quiet) std::cerr << '\n';
  std::vector<size_t> order(sim.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return dse::objective_value(sim[a], objective) < dse::objective_value(sim[b], objective);
  });
  std::vector<size_t> sim_rank(sim.size());
  for (size_t i = 0; i < order.size(); ++i) sim_rank[order[i]] = i + 1;
  std::ostringstream os;
  os << "rank_analytical,rank_simulated,index,pes,simd_lanes,l1_bytes,l2_bytes,"
        "noc_bw_elems_per_cycle,offchip_bw_elems_per_cycle,noc_topology,"
        "runtime_analytical_cycles,runtime_simulated_cycles,runtime_diff_pct,"
        "energy_analytical_pj,energy_simulated_pj\n";
  for (size_t i = 0; i < top.size(); ++i) {
    const dse::PointIndex p = dse::decode(s, top[i].index);
    const double diff = top[i].runtime_cycles
                            ? 100.0 * double(sim[i].runtime_cycles - top[i].runtime_cycles) /
                                  double(top[i].runtime_cycles)
                            : 0.0;
    os << i + 1 << ',' << sim_rank[i] << ',' << top[i].index << ',' << s.pes[p.pes] << ','
       << s.simd_lanes[p.simd] << ',' << s.l1_bytes[p.l1] << ',' << s.l2_bytes[p.l2] << ','
       << s.noc_bw[p.noc] << ',' << s.offchip_bw[p.offchip] << ',' << s.topologies[p.topo] << ','
       << top[i].runtime_cycles << ',' << sim[i].runtime_cycles << ',' << fixed(diff, 3) << ','
       << fixed(top[i].energy_pj, 3) << ',' << fixed(sim[i].energy_pj, 3) << '\n';
  }
  return os.str();
}

}  // namespace baton::cli
