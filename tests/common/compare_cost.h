// Test helper: compare two LayerCost results field by field (engines vs reference counter).
#pragma once

#include <cmath>
#include <string>

#include "baton/analytical/cost.h"

namespace baton::test {

// Compares every count, size, time, bandwidth and energy of two results; "" when equal, else
// one line per difference ("<what>: got X expected Y").
inline std::string compare_costs(const LayerCost& a, const LayerCost& r) {
  std::string out;
  auto chk = [&](const char* what, int64_t x, int64_t y) {
    if (x != y) out += std::string(what) + ": got " + std::to_string(x) + " expected " +
                       std::to_string(y) + "\n";
  };
  const char* names[] = {"input", "weight", "output"};
  for (int t = 0; t < 3; ++t) {
    const std::string n = names[t];
    chk((n + ".l2_reads").c_str(), a.tensor[t].l2_reads, r.tensor[t].l2_reads);
    chk((n + ".noc_deliveries").c_str(), a.tensor[t].noc_deliveries, r.tensor[t].noc_deliveries);
  }
  chk("output.writebacks", a.tensor[2].writebacks, r.tensor[2].writebacks);
  chk("output.l2_writes", a.tensor[2].l2_writes, r.tensor[2].l2_writes);
  chk("output.readbacks", a.tensor[2].readbacks, r.tensor[2].readbacks);
  chk("output.rmw_reads", a.tensor[2].rmw_reads, r.tensor[2].rmw_reads);
  chk("macs", a.macs, r.macs);
  chk("steps", a.steps, r.steps);
  chk("compute_cycles", a.compute_cycles, r.compute_cycles);
  chk("noc_element_hops", a.noc_element_hops, r.noc_element_hops);
  chk("runtime_cycles", a.runtime_cycles, r.runtime_cycles);
  chk("peak_active_pes", a.peak_active_pes, r.peak_active_pes);
  for (int t = 0; t < 3; ++t) {
    chk((std::string(names[t]) + ".dram_reads").c_str(), a.tensor[t].dram_reads,
        r.tensor[t].dram_reads);
    chk((std::string(names[t]) + ".dram_writes").c_str(), a.tensor[t].dram_writes,
        r.tensor[t].dram_writes);
  }
  chk("l1_bytes_needed", a.l1_bytes_needed, r.l1_bytes_needed);
  chk("l2_bytes_needed", a.l2_bytes_needed, r.l2_bytes_needed);
  if (std::abs(a.energy.total_pj() - r.energy.total_pj()) > 1e-6 * r.energy.total_pj())
    out += "energy: got " + std::to_string(a.energy.total_pj()) + " expected " +
           std::to_string(r.energy.total_pj()) + "\n";
  if (a.noc_bw_peak_elems_per_cycle != r.noc_bw_peak_elems_per_cycle)
    out += "noc_bw_peak: got " + std::to_string(a.noc_bw_peak_elems_per_cycle) + " expected " +
           std::to_string(r.noc_bw_peak_elems_per_cycle) + "\n";
  return out;
}

}  // namespace baton::test
