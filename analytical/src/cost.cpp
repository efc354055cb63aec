#include "baton/analytical/cost.h"

#include "energy.h"

namespace baton {

int64_t LayerCost::dram_reads() const {
  return tensor[0].dram_reads + tensor[1].dram_reads + tensor[2].dram_reads;
}
int64_t LayerCost::dram_writes() const {
  return tensor[0].dram_writes + tensor[1].dram_writes + tensor[2].dram_writes;
}

EnergyBreakdown compute_energy(const LayerCost& cost, const EnergyTable& table) {
  return detail::energy_of(cost, table);
}

namespace detail {

// DIRECTIVES rule 14. Each MAC reads input, weight and partial sum from L1 and writes the partial
// sum; every NoC delivery (incl. read-back fills) writes L1 once; every write-back reads L1 once.
// L2 reads: L1 fills' reads, read-backs, RMW reads, and DRAM write-backs (L2 -> DRAM);
// L2 writes: output writes and DRAM fills (DRAM -> L2). NoC hops: element-hops counted by the
// topology (a bus: one link per delivery or write-back).
EnergyBreakdown energy_of(const LayerCost& c, const EnergyTable& e) {
  const auto& I = c.tensor[0];
  const auto& W = c.tensor[1];
  const auto& O = c.tensor[2];
  const double macs = static_cast<double>(c.macs);
  const double l1_reads = 3.0 * macs + static_cast<double>(O.writebacks);
  const double l1_writes =
      macs + static_cast<double>(I.noc_deliveries + W.noc_deliveries + O.noc_deliveries);
  const double l2_reads = static_cast<double>(I.l2_reads + W.l2_reads + O.l2_reads +
                                              c.dram_writes());
  const double l2_writes = static_cast<double>(O.l2_writes + c.dram_reads());
  EnergyBreakdown b;
  b.mac_pj = macs * e.mac_pj;
  b.l1_pj = l1_reads * e.l1_read_pj + l1_writes * e.l1_write_pj;
  b.l2_pj = l2_reads * e.l2_read_pj + l2_writes * e.l2_write_pj;
  b.noc_pj = static_cast<double>(c.noc_element_hops) * e.noc_hop_pj;
  b.dram_pj = static_cast<double>(c.dram_reads()) * e.dram_read_pj +
              static_cast<double>(c.dram_writes()) * e.dram_write_pj;
  return b;
}

}  // namespace detail
}  // namespace baton
