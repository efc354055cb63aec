// baton::analytical — per-layer cost results shared by the analytical model, the brute-force
// reference counter and (later) the simulator's statistics (DESIGN.md §4, DIRECTIVES rules 8–14).
//
// Units: counts are tensor elements unless a name says bytes; times are cycles; energy is pJ.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace baton {

struct TensorTraffic {
  int64_t l2_reads = 0;        // L2 reads for L1 fills (rule 9: one per distinct element per
                               // step when the NoC multicasts); outputs: read-backs + RMW reads
  int64_t noc_deliveries = 0;  // per-PE L1 fills over the distribution NoC (outputs: read-back
                               // fills)
  int64_t l2_writes = 0;       // outputs only: writes reaching L2 (after in-network reduction)
  int64_t writebacks = 0;      // outputs only: per-PE partial-sum write-backs (unreduced)
  int64_t readbacks = 0;       // outputs only: partial-sum read-backs, one per element per step
  int64_t rmw_reads = 0;       // outputs only: L2 read-modify-write reads (no NoC reduction)
  int64_t dram_reads = 0;      // DRAM -> L2 (inputs/weights: new elements; outputs: read-backs)
  int64_t dram_writes = 0;     // L2 -> DRAM (outputs only)
};

struct EnergyBreakdown {
  double mac_pj = 0, l1_pj = 0, l2_pj = 0, noc_pj = 0, dram_pj = 0;
  double total_pj() const { return mac_pj + l1_pj + l2_pj + noc_pj + dram_pj; }
};

struct LayerCost {
  int64_t macs = 0;
  int64_t zero_macs = 0;
  int64_t steps = 0;
  int64_t top_steps = 0;
  int64_t compute_cycles = 0;  // Σ_t C_t
  int64_t runtime_cycles = 0;  // rule 13
  double avg_active_pes = 0;
  int64_t peak_active_pes = 0;
  std::array<TensorTraffic, 3> tensor{};  // input, weight, output
  int64_t l1_bytes_needed = 0;            // rule 12
  int64_t l2_bytes_needed = 0;            // rule 12
  double noc_bw_peak_elems_per_cycle = 0;  // rule 14: max_t max(V_t, W_t) / max(C_t, 1)
  double noc_bw_avg_elems_per_cycle = 0;   // Σ_t (V_t + W_t) / compute_cycles
  double offchip_bw_avg_elems_per_cycle = 0;  // DRAM volume / compute cycles
  int64_t noc_element_hops = 0;
  EnergyBreakdown energy;
  bool fits = true;
  std::string fit_reason;

  int64_t dram_reads() const;
  int64_t dram_writes() const;
};

// Rule 14: energy from a result's action counts (MACs, L1/L2/DRAM accesses, NoC element-hops).
EnergyBreakdown compute_energy(const LayerCost& cost, const struct EnergyTable& table);

}  // namespace baton
