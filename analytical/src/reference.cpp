// Brute-force reference counter: DIRECTIVES rules 8–14 applied literally with explicit sets.
#include "baton/analytical/reference.h"

#include <algorithm>
#include <iterator>

#include "baton/dataflow/step_walker.h"
#include "energy.h"

namespace baton {
namespace {

using Set = std::vector<int64_t>;  // sorted, unique element ids

Set elements(const LayerSpec& L, Tensor t, const PeTile& tile) {
  return tile_elements(L, t, tile);
}

Set minus(const Set& a, const Set& b) {
  Set o;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
  return o;
}
Set intersect(const Set& a, const Set& b) {
  Set o;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
  return o;
}
void unite(Set& acc, const Set& b) {
  Set o;
  std::set_union(acc.begin(), acc.end(), b.begin(), b.end(), std::back_inserter(o));
  acc.swap(o);
}

struct TopTiles {
  std::array<Set, 3> cur, prev;
  Set out_in_dram;  // output elements whose partial sums were written to DRAM
};

}  // namespace

ReferenceResult reference_count(const Schedule& s, const HardwareSpec& hw) {
  const LayerSpec& L = s.layer();
  const int64_t pes = s.pes_used();
  const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
  ReferenceResult res;
  LayerCost& c = res.cost;
  std::vector<std::array<Set, 3>> held(pes);
  Set in_l2;           // output elements with a partial sum in L2
  Set last_writes;     // elements written back at the previous boundary (W_{t-1})
  std::vector<int64_t> dram_reads, dram_writes;
  TopTiles top;
  int64_t final_dram_writes = 0;
  int64_t l1_max = 0, l2_max = 0, active_sum = 0;
  auto close_top = [&](bool final) {
    // Rule 12 applied to the L2 tile of the top-level step that just ended.
    int64_t reads = 0, writes = 0;
    for (int t = 0; t < 2; ++t) {
      const int64_t n = static_cast<int64_t>(minus(top.cur[t], top.prev[t]).size());
      c.tensor[t].dram_reads += n;
      reads += n;
    }
    const Set leave = minus(top.prev[2], top.cur[2]);
    const Set back = intersect(minus(top.cur[2], top.prev[2]), top.out_in_dram);
    c.tensor[2].dram_writes += leave.size();
    c.tensor[2].dram_reads += back.size();
    unite(top.out_in_dram, leave);
    reads += back.size();
    writes += leave.size();
    dram_reads.push_back(reads);
    dram_writes.push_back(writes);
    const int64_t l2 = 2 * (top.cur[0].size() + top.cur[1].size()) + 3 * top.cur[2].size();
    l2_max = std::max(l2_max, l2);
    for (int t = 0; t < 3; ++t) top.prev[t].swap(top.cur[t]), top.cur[t].clear();
    if (final) {
      final_dram_writes = static_cast<int64_t>(top.prev[2].size());
      c.tensor[2].dram_writes += final_dram_writes;
    }
  };
  StepWalker w(s);
  int64_t last_top = 0;
  for (; !w.done(); w.next()) {
    if (w.top_step() != last_top) {
      close_top(false);
      res.top_slots_end.push_back(w.step() - 1);
      last_top = w.top_step();
    }
    StepTrace st;
    st.c = (w.busiest_pe_macs() + hw.simd_lanes - 1) / hw.simd_lanes;
    active_sum += w.active_pes();
    std::array<std::vector<Set>, 3> now;
    for (int t = 0; t < 3; ++t) now[t].resize(pes);
    std::vector<char> active(pes, 0);
    for (int64_t p = 0; p < pes; ++p) {
      if (!(active[p] = w.tiles()[p].active())) continue;
      int64_t l1 = 0;
      for (int t = 0; t < 3; ++t) {
        if (L.has_tensor(static_cast<Tensor>(t)))
          now[t][p] = elements(L, static_cast<Tensor>(t), w.tiles()[p]);
        l1 += now[t][p].size();
      }
      l1_max = std::max(l1_max, l1);
    }
    // Write-backs of outputs left at this boundary (rule 10), before read-backs (rule 11).
    Set writes;
    int64_t unreduced = 0;
    for (int64_t p = 0; p < pes; ++p) {
      if (!active[p]) continue;
      const Set leave = minus(held[p][2], now[2][p]);
      unreduced += leave.size();
      unite(writes, leave);
    }
    const int64_t reduced = reduce ? static_cast<int64_t>(writes.size()) : unreduced;
    c.tensor[2].writebacks += unreduced;
    c.tensor[2].l2_writes += reduced;
    c.tensor[2].rmw_reads += reduce ? 0 : unreduced - static_cast<int64_t>(writes.size());
    if (!res.steps.empty()) res.steps.back().w = reduced;
    unite(in_l2, writes);
    // Read-backs and operand fills (rule 9): per-PE deliveries, distinct L2 reads per step.
    Set readback;
    int64_t rb_fills = 0;
    for (int64_t p = 0; p < pes; ++p) {
      if (!active[p]) continue;
      const Set rb = intersect(minus(now[2][p], held[p][2]), in_l2);
      rb_fills += rb.size();
      unite(readback, rb);
    }
    c.tensor[2].noc_deliveries += rb_fills;
    const int64_t rb_reads = mcast ? static_cast<int64_t>(readback.size()) : rb_fills;
    c.tensor[2].readbacks += rb_reads;
    st.v += rb_reads;
    if (!res.steps.empty() && !intersect(readback, last_writes).empty())
      res.steps.back().raw = true;  // written by t−2, read back for t: slot t−1
    last_writes = writes;
    for (int t = 0; t < 2; ++t) {
      Set fetched;
      int64_t deliveries = 0;
      for (int64_t p = 0; p < pes; ++p) {
        if (!active[p]) continue;
        const Set f = minus(now[t][p], held[p][t]);
        deliveries += f.size();
        unite(fetched, f);
      }
      const int64_t reads = mcast ? static_cast<int64_t>(fetched.size()) : deliveries;
      c.tensor[t].noc_deliveries += deliveries;
      c.tensor[t].l2_reads += reads;
      st.v += reads;
    }
    for (int64_t p = 0; p < pes; ++p) {
      if (active[p])
        for (int t = 0; t < 3; ++t) held[p][t].swap(now[t][p]);
      for (int t = 0; t < 3; ++t) unite(top.cur[t], held[p][t]);  // idle PEs keep their tiles
    }
    res.steps.push_back(st);
  }
  // Final write-back of everything the PEs hold.
  {
    Set writes;
    int64_t unreduced = 0;
    for (int64_t p = 0; p < pes; ++p) {
      unreduced += held[p][2].size();
      unite(writes, held[p][2]);
    }
    const int64_t reduced = reduce ? static_cast<int64_t>(writes.size()) : unreduced;
    c.tensor[2].writebacks += unreduced;
    c.tensor[2].l2_writes += reduced;
    c.tensor[2].rmw_reads += reduce ? 0 : unreduced - static_cast<int64_t>(writes.size());
    if (!res.steps.empty()) res.steps.back().w = reduced;
  }
  close_top(true);
  res.top_slots_end.push_back(static_cast<int64_t>(res.steps.size()) - 1);
  c.tensor[2].l2_reads = c.tensor[2].readbacks + c.tensor[2].rmw_reads;

  c.macs = s.macs();
  c.zero_macs = L.zero_macs();
  c.steps = static_cast<int64_t>(res.steps.size());
  c.top_steps = static_cast<int64_t>(res.top_slots_end.size());
  int64_t noc_volume = 0;
  double peak_ratio = 0;
  for (const StepTrace& st : res.steps) {
    c.compute_cycles += st.c;
    noc_volume += st.v + st.w;
    peak_ratio = std::max(peak_ratio, double(std::max(st.v, st.w)) /
                                          double(std::max<int64_t>(st.c, 1)));
  }
  c.noc_bw_peak_elems_per_cycle = peak_ratio;
  c.noc_bw_avg_elems_per_cycle = double(noc_volume) / double(std::max<int64_t>(c.compute_cycles, 1));
  c.offchip_bw_avg_elems_per_cycle =
      double(c.dram_reads() + c.dram_writes()) / double(std::max<int64_t>(c.compute_cycles, 1));
  c.avg_active_pes = double(active_sum) / double(std::max<int64_t>(c.steps, 1));
  c.peak_active_pes = s.peak_active_pes();
  c.l1_bytes_needed = 2 * l1_max * hw.word_bytes;
  c.l2_bytes_needed = l2_max * hw.word_bytes;
  c.noc_element_hops = c.tensor[0].noc_deliveries + c.tensor[1].noc_deliveries +
                       c.tensor[2].noc_deliveries + c.tensor[2].writebacks;
  c.runtime_cycles = detail::runtime_of(res.steps, res.top_slots_end, dram_reads, dram_writes,
                                        final_dram_writes, hw);
  c.energy = detail::energy_of(c, hw.energy);
  c.fits = s.fit().fits;
  c.fit_reason = s.fit().reason;
  return res;
}

}  // namespace baton
