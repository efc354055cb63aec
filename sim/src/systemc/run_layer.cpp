// Accelerator::run_layer — one layer's slots (DIRECTIVES.md rule 13), executed by the SystemC
// kernel, with every PE cycle classified (compute / stall_* / idle).
#include <algorithm>

#include <cstdlib>
#include <optional>

#include "accelerator.h"
#include "baton/sim/functional.h"

namespace baton::detail {

using sc_core::sc_time;
using sc_core::SC_NS;

void Accelerator::run_layer(const Schedule& s, const HardwareSpec& hw) {
  const DramPlan dram = plan_dram(s);
  TransferPlanner planner(s, hw);
  const int64_t pes = s.pes_used();
  const int64_t lanes = hw.simd_lanes;
  const int64_t start = now();
  std::vector<PeCycles>& per_pe = result_.per_pe_cycles;
  per_pe.assign(static_cast<size_t>(pes), PeCycles{});
  auto all = [&](int64_t PeCycles::*kind, int64_t cycles) {
    for (PeCycles& p : per_pe) p.*kind += cycles;
  };
  SlotCauses& cause = result_.causes;
  auto wait_cycles = [&](int64_t n) {
    if (n > 0) wait(sc_time(static_cast<double>(n), SC_NS));
  };
  std::optional<FunctionalModel> fm;
  if (opt_.functional) {
    fm.emplace(s);
    if (opt_.corrupt_fill_delta) fm->corrupt_next_fill(opt_.corrupt_fill_delta);
  }
  writeback_packets_ = distribution_packets_ = 0;
  // Fault injection: the N-th write-back packet never leaves its PEs.
  auto drop_faulty = [&](StepPlan& p) {
    for (auto it = p.collection.begin(); it != p.collection.end();) {
      if (writeback_packets_++ == opt_.drop_writeback_packet) it = p.collection.erase(it);
      else ++it;
    }
  };
  auto last_tensor_kind = [&](const std::vector<Packet>& batch) -> int64_t PeCycles::* {
    if (batch.empty()) return &PeCycles::idle;
    const Packet& p = batch.back();  // FIFO: the last packet injected arrives last
    if (p.kind == PacketKind::kReadBack) return &PeCycles::stall_output;
    return p.tensor == Tensor::kWeight ? &PeCycles::stall_weight : &PeCycles::stall_input;
  };
  auto trace_dram = [&](const std::vector<Packet>& batch, int64_t cycle) {
    if (!tracing(TraceLevel::kEvent)) return;
    for (const Packet& p : batch)
      opt_.trace->dram_access(MemAccessRecord{
          cycle, static_cast<uint8_t>(p.tensor), p.elements.empty() ? -1 : p.elements.front(),
          static_cast<int64_t>(p.elements.size()),
          static_cast<uint8_t>(p.kind == PacketKind::kWriteBack)});
  };
  // First top-level tile from DRAM, then the operands of step 0 (I_0).
  const std::vector<Packet> none;
  count_dram(dram.steps.front().reads, none);
  trace_dram(dram.steps.front().reads, now());
  const int64_t fill = dram_cycles(dram.steps.front().reads, none);
  wait_cycles(fill);
  all(&PeCycles::stall_dram, fill);
  StepPlan cur, nxt;
  planner.next(cur);
  drop_faulty(cur);
  if (fm) fm->apply(cur, hw.noc.reduction);
  bool have_next = planner.next(nxt);
  if (have_next) drop_faulty(nxt);
  {
    const int64_t t0 = now();
    count_distribution(cur.distribution);
    inject(*dist_, cur.distribution, dist_outstanding_);
    if (!wait_net(dist_outstanding_, dist_done_, cur.step)) return;
    all(last_tensor_kind(cur.distribution), now() - t0);
    cause.fill_and_drain += fill + (now() - t0);
  }
  int64_t top = -1, deadline = 0, active_sum = 0, l1_max = 0, v_prev_w = 0;
  double bw_peak = 0;
  auto volume = [](const std::vector<Packet>& batch) {
    int64_t v = 0;
    for (const Packet& p : batch) v += static_cast<int64_t>(p.elements.size());
    return v;
  };
  for (;;) {
    const int64_t S = now();
    if (cur.top_step != top) {  // a new top-level step: DRAM fetches j+1, stores j's arrivals
      top = cur.top_step;
      const auto& next_reads =
          top + 1 < static_cast<int64_t>(dram.steps.size()) ? dram.steps[top + 1].reads : none;
      const auto& writes = dram.steps[top].writes;
      count_dram(next_reads, writes);
      deadline = S + dram_cycles(next_reads, writes);
      trace_dram(next_reads, S);
      trace_dram(writes, S);
    }
    int64_t busiest = 0;
    for (int64_t m : cur.pe_macs) busiest = std::max(busiest, m);
    const int64_t c = (busiest + lanes - 1) / lanes;
    result_.counted.compute_cycles += c;
    ++result_.counted.steps;
    int64_t active = 0;
    for (int64_t m : cur.pe_macs) active += m > 0 ? 1 : 0;
    active_sum += active;
    result_.counted.peak_active_pes = std::max(result_.counted.peak_active_pes, active);
    l1_max = std::max(l1_max, cur.max_pe_tile_elements);
    // Peak NoC bandwidth (rule 14): max(V_t, W_t) / max(C_t, 1); W_{t−1} pairs with C_{t−1}.
    bw_peak = std::max({bw_peak, double(volume(cur.distribution)) / double(std::max<int64_t>(c, 1)),
                        double(volume(cur.collection)) / double(std::max<int64_t>(v_prev_w, 1))});
    v_prev_w = c;
    const bool next_is_step = have_next && !nxt.final_drain;
    // Read after write: a partial sum written back by t−1 is read back for t+1.
    bool raw = false;
    if (next_is_step)
      for (const Packet& rb : nxt.distribution) {
        if (rb.kind != PacketKind::kReadBack) continue;
        for (const Packet& wb : cur.collection)
          for (int64_t e : rb.elements)
            raw = raw || std::binary_search(wb.elements.begin(), wb.elements.end(), e);
      }
    count_collection(cur.collection);
    inject(*coll_, cur.collection, coll_outstanding_);
    if (next_is_step) count_distribution(nxt.distribution);
    if (next_is_step && !raw) inject(*dist_, nxt.distribution, dist_outstanding_);
    compute_done_.notify(sc_time(static_cast<double>(c), SC_NS));
    if (!wait_net(coll_outstanding_, coll_done_, cur.step)) return;
    const int64_t t_coll = now();
    if (next_is_step && raw) inject(*dist_, nxt.distribution, dist_outstanding_);
    if (!wait_net(dist_outstanding_, dist_done_, cur.step)) return;
    const int64_t t_dist = now();
    if (now() < S + c) wait(compute_done_);
    const int64_t L = now() - S;
    const int64_t I = t_dist - (raw ? t_coll : S), E = t_coll - S;
    {  // rule 13's estimate of this slot from the same volumes: where does the NoC depart?
      auto est = [&](const std::vector<Packet>& b) -> int64_t {
        const int64_t v = volume(b);
        const auto& bw = hw.noc.bandwidth_elems_per_cycle;
        return v == 0 ? 0 : hw.noc.hop_latency_cycles + (bw ? (v + *bw - 1) / *bw : 0);
      };
      const int64_t ei = next_is_step ? est(nxt.distribution) : 0, ee = est(cur.collection);
      const int64_t expected = raw ? std::max(c, ee + ei) : std::max({ei, c, ee});
      if (expected != L) {
        if (cause.first_divergent_step < 0) cause.first_divergent_step = cur.step;
        cause.divergent_slot_cycles += std::abs(L - expected);
      }
    }
    // Classify every PE's cycles of the slot.
    int64_t PeCycles::*tail = &PeCycles::idle;
    if (L > c) {
      if (raw || (t_dist - S == L && I >= E)) {
        tail = last_tensor_kind(nxt.distribution);
        cause.ingress_bound += L;
      } else {
        tail = &PeCycles::stall_output;
        cause.egress_bound += L;
      }
    } else {
      cause.compute_bound += L;
    }
    if (raw) cause.raw_serialised += L - std::max({c, I, E});
    const PeCycleKind tail_kind = tail == &PeCycles::stall_input    ? PeCycleKind::kStallInput
                                  : tail == &PeCycles::stall_weight ? PeCycleKind::kStallWeight
                                  : tail == &PeCycles::stall_output ? PeCycleKind::kStallOutput
                                                             : PeCycleKind::kIdle;
    const bool events = tracing(TraceLevel::kEvent);
    int64_t step_macs = 0;
    for (size_t pe = 0; pe < cur.pe_macs.size(); ++pe) {
      const int64_t m = cur.pe_macs[pe];
      const int64_t cp = (m + lanes - 1) / lanes;
      step_macs += m;
      per_pe[pe].compute += cp;
      if (m == 0) per_pe[pe].idle += L;
      else per_pe[pe].*tail += L - cp;
      if (!events) continue;
      const int32_t id = static_cast<int32_t>(pe);
      if (m == 0) {
        opt_.trace->pe_event(PeEventRecord{S, id, PeCycleKind::kIdle, L});
        continue;
      }
      opt_.trace->pe_event(PeEventRecord{S, id, PeCycleKind::kCompute, cp});
      if (L > cp) opt_.trace->pe_event(PeEventRecord{S + cp, id, tail_kind, L - cp});
    }
    result_.counted.macs += step_macs;
    if (tracing(TraceLevel::kStep))
      opt_.trace->step(StepRecord{cur.step, cur.top_step, S, S + L, step_macs, L - c});
    // Advance; a top-level step ends when DRAM has finished too.
    cur = std::move(nxt);
    if (fm) fm->apply(cur, hw.noc.reduction);
    have_next = planner.next(nxt);
    if (have_next) drop_faulty(nxt);
    if (cur.final_drain || cur.top_step != top) {
      const int64_t ext = std::max<int64_t>(0, deadline - now());
      wait_cycles(ext);
      all(&PeCycles::stall_dram, ext);
      cause.dram_extension += ext;
    }
    if (cur.final_drain) break;
    if (opt_.stop && opt_.stop->load()) {  // interrupted: stop at this step boundary
      result_.interrupted = true;
      result_.counted.runtime_cycles = now() - start;
      return;
    }
  }
  // Last write-backs over the collection NoC, then the final DRAM drain.
  const int64_t t0 = now();
  count_collection(cur.collection);
  inject(*coll_, cur.collection, coll_outstanding_);
  if (!wait_net(coll_outstanding_, coll_done_, cur.step)) return;
  all(&PeCycles::stall_output, now() - t0);
  count_dram(none, dram.final_writes);
  trace_dram(dram.final_writes, now());
  const int64_t drain = dram_cycles(none, dram.final_writes);
  wait_cycles(drain);
  all(&PeCycles::stall_dram, drain);
  cause.fill_and_drain += (now() - t0);
  PeCycles& pc = result_.pe_cycles;
  for (const PeCycles& p : per_pe) {
    pc.compute += p.compute, pc.stall_input += p.stall_input, pc.stall_weight += p.stall_weight;
    pc.stall_output += p.stall_output, pc.stall_dram += p.stall_dram, pc.idle += p.idle;
  }
  LayerCost& k = result_.counted;
  bw_peak = std::max(bw_peak, double(volume(cur.collection)) / double(std::max<int64_t>(v_prev_w, 1)));
  TensorTraffic& o = k.tensor[2];
  o.l2_reads = o.readbacks + o.rmw_reads;
  k.avg_active_pes = double(active_sum) / double(std::max<int64_t>(k.steps, 1));
  k.l1_bytes_needed = 2 * l1_max * hw.word_bytes;
  for (const auto& d : dram.steps)
    k.l2_bytes_needed = std::max(k.l2_bytes_needed, d.l2_elements * hw.word_bytes);
  k.noc_bw_peak_elems_per_cycle = bw_peak;
  k.noc_element_hops = dist_->stats().element_hops + coll_->stats().element_hops;
  k.noc_bw_avg_elems_per_cycle = double(dist_->stats().elements + coll_->stats().elements) /
                                 double(std::max<int64_t>(k.compute_cycles, 1));
  k.offchip_bw_avg_elems_per_cycle =
      double(k.dram_reads() + k.dram_writes()) / double(std::max<int64_t>(k.compute_cycles, 1));
  k.energy = compute_energy(k, hw.energy);
  if (fm) result_.functional_mismatch = fm->check();
  result_.counted.runtime_cycles = now() - start;
  result_.counted.top_steps = static_cast<int64_t>(dram.steps.size());
  result_.distribution = dist_->stats();
  result_.collection = coll_->stats();
}

}  // namespace baton::detail
