// Accelerator::run_layer — one layer's slots (DIRECTIVES.md rule 13), executed by the SystemC
// kernel, with every PE cycle classified (compute / stall_* / idle).
#include <algorithm>

#include <cstdlib>
#include <optional>

#include "accelerator.h"
#include "baton/sim/functional.h"
#include "pe_cycles.h"

namespace baton::detail {

namespace {
int64_t volume(const std::vector<Packet>& batch) {
  int64_t v = 0;
  for (const Packet& p : batch) v += p.count;
  return v;
}
}  // namespace

void Accelerator::run_layer(const Schedule& s, const HardwareSpec& hw) {
  // Element lists only where values move or a fault must be exact (functional mode, dropping).
  elements_ = opt_.functional || opt_.drop_writeback_packet >= 0;
  TransferPlanner planner(s, hw, PlanOptions{elements_, true});
  DramPlanner dram(s);
  // Top-level steps j (dj) and j + 1 (dnext); the DRAM plan runs one top-level step ahead.
  TopStepDram dj, dnext;
  int64_t dram_index = 0, top_steps = 0, l2_max = 0;
  auto pull = [&](TopStepDram& d) {
    const bool got = dram.next(d);
    if (got) ++top_steps, l2_max = std::max(l2_max, d.l2_elements);
    else d = TopStepDram{};
    return got;
  };
  pull(dj);
  bool dram_more = pull(dnext);
  const int64_t pes = s.pes_used();
  const int64_t lanes = hw.simd_lanes;
  const int64_t start = now();
  result_.per_pe_cycles.assign(static_cast<size_t>(pes), PeCycles{});
  PeCycleAccounts pe(result_.per_pe_cycles, lanes);
  SlotCauses& cause = result_.causes;
  auto wait_cycles = [&](int64_t n) {
    if (n > 0) wait(cycles(n));
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
  auto last_tensor_kind = [&](const std::vector<Packet>& batch) -> int {  // PeCycleAccounts tail
    if (batch.empty()) return 0;
    const Packet& p = batch.back();  // FIFO: the last packet injected arrives last
    if (p.kind == PacketKind::kReadBack) return 3;
    return p.tensor == Tensor::kWeight ? 2 : 1;
  };
  auto trace_dram = [&](const std::vector<Packet>& batch, int64_t cycle) {
    if (!tracing(TraceLevel::kEvent)) return;
    for (const Packet& p : batch)
      opt_.trace->dram_access(MemAccessRecord{cycle, static_cast<uint8_t>(p.tensor), p.first,
                                              p.count,
                                              static_cast<uint8_t>(p.kind == PacketKind::kWriteBack)});
  };
  // First top-level tile from DRAM, then the operands of step 0 (I_0).
  const std::vector<Packet> none;
  count_dram(dj.reads, none);
  trace_dram(dj.reads, now());
  const int64_t fill = dram_cycles(dj.reads, none);
  wait_cycles(fill);
  pe.all(&PeCycles::stall_dram, fill);
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
    pe.all(PeCycleAccounts::kTails[last_tensor_kind(cur.distribution)], now() - t0);
    cause.fill_and_drain += fill + (now() - t0);
  }
  int64_t top = -1, deadline = 0, active_sum = 0, l1_max = 0, v_prev_w = 0;
  double bw_peak = 0;
  const bool events = tracing(TraceLevel::kEvent);
  for (;;) {
    const int64_t S = now();
    if (cur.top_step != top) {  // a new top-level step: DRAM fetches j+1, stores j's arrivals
      top = cur.top_step;
      for (; dram_index < top; ++dram_index) {
        std::swap(dj, dnext);
        dram_more = dram_more && pull(dnext);
      }
      const auto& next_reads = dram_more ? dnext.reads : none;
      count_dram(next_reads, dj.writes);
      deadline = S + dram_cycles(next_reads, dj.writes);
      trace_dram(next_reads, S);
      trace_dram(dj.writes, S);
    }
    const ComputeProfile& prof = *cur.compute;
    const int64_t c = (prof.busiest + lanes - 1) / lanes;
    result_.counted.compute_cycles += c;
    ++result_.counted.steps;
    active_sum += prof.active;
    result_.counted.peak_active_pes = std::max(result_.counted.peak_active_pes, prof.active);
    l1_max = std::max(l1_max, cur.max_pe_tile_elements);
    const bool next_is_step = have_next && !nxt.final_drain;
    // Peak NoC bandwidth (rule 14): max(V_t, W_t) / max(C_t, 1); W_{t−1} pairs with C_{t−1}.
    const int64_t v_cur = volume(cur.distribution), w_cur = volume(cur.collection);
    bw_peak = std::max({bw_peak, double(v_cur) / double(std::max<int64_t>(c, 1)),
                        double(w_cur) / double(std::max<int64_t>(v_prev_w, 1))});
    v_prev_w = c;
    // Read after write: a partial sum written back by t−1 is read back for t+1 (with element
    // lists from the packets really sent: a fault may have dropped one).
    bool raw = next_is_step && nxt.reads_previous_writes;
    if (elements_ && next_is_step) {
      raw = false;
      for (const Packet& rb : nxt.distribution) {
        if (rb.kind != PacketKind::kReadBack) continue;
        for (const Packet& wb : cur.collection)
          for (int64_t e : rb.elements)
            raw = raw || std::binary_search(wb.elements.begin(), wb.elements.end(), e);
      }
    }
    count_collection(cur);
    inject(*coll_, cur.collection, coll_outstanding_);
    if (next_is_step) count_distribution(nxt.distribution);
    if (next_is_step && !raw) inject(*dist_, nxt.distribution, dist_outstanding_);
    compute_done_.notify(cycles(c));
    if (!wait_net(coll_outstanding_, coll_done_, cur.step)) return;
    const int64_t t_coll = now();
    if (next_is_step && raw) inject(*dist_, nxt.distribution, dist_outstanding_);
    if (!wait_net(dist_outstanding_, dist_done_, cur.step)) return;
    const int64_t t_dist = now();
    if (now() < S + c) wait(compute_done_);
    const int64_t L = now() - S;
    const int64_t I = t_dist - (raw ? t_coll : S), E = t_coll - S;
    {  // rule 13's estimate of this slot from the same volumes: where does the NoC depart?
      auto est = [&](int64_t v) -> int64_t {
        const auto& bw = hw.noc.bandwidth_elems_per_cycle;
        return v == 0 ? 0 : hw.noc.hop_latency_cycles + (bw ? (v + *bw - 1) / *bw : 0);
      };
      const int64_t ei = next_is_step ? est(volume(nxt.distribution)) : 0, ee = est(w_cur);
      const int64_t expected = raw ? std::max(c, ee + ei) : std::max({ei, c, ee});
      if (expected != L) {
        if (cause.first_divergent_step < 0) cause.first_divergent_step = cur.step;
        cause.divergent_slot_cycles += std::abs(L - expected);
      }
    }
    // Classify every PE's cycles of the slot.
    int tail = 0;
    if (L > c) {
      if (raw || (t_dist - S == L && I >= E)) {
        tail = last_tensor_kind(nxt.distribution);
        cause.ingress_bound += L;
      } else {
        tail = 3;
        cause.egress_bound += L;
      }
    } else {
      cause.compute_bound += L;
    }
    if (raw) cause.raw_serialised += L - std::max({c, I, E});
    pe.slot(cur.compute, L, tail);
    if (events) trace_pe_events(prof, S, L, tail);
    result_.counted.macs += prof.macs;
    if (tracing(TraceLevel::kStep))
      opt_.trace->step(StepRecord{cur.step, cur.top_step, S, S + L, prof.macs, L - c});
    if (opt_.progress && result_.counted.steps % std::max<int64_t>(opt_.progress_steps, 1) == 0)
      opt_.progress(SimProgress{result_.counted.steps, s.steps(), now() - start});
    // Advance (the plans swap so that their buffers are reused); a top-level step ends when DRAM
    // has finished too.
    std::swap(cur, nxt);
    if (fm) fm->apply(cur, hw.noc.reduction);
    have_next = planner.next(nxt);
    if (have_next) drop_faulty(nxt);
    if (cur.final_drain || cur.top_step != top) {
      const int64_t ext = std::max<int64_t>(0, deadline - now());
      wait_cycles(ext);
      pe.all(&PeCycles::stall_dram, ext);
      cause.dram_extension += ext;
    }
    if (cur.final_drain) break;
    if (opt_.stop && opt_.stop->load()) {  // interrupted: stop at this step boundary
      result_.interrupted = true;
      result_.counted.runtime_cycles = now() - start;
      pe.flush();
      return;
    }
  }
  // Last write-backs over the collection NoC, then the final DRAM drain.
  const int64_t t0 = now();
  count_collection(cur);
  inject(*coll_, cur.collection, coll_outstanding_);
  if (!wait_net(coll_outstanding_, coll_done_, cur.step)) return;
  pe.all(&PeCycles::stall_output, now() - t0);
  while (dram_more) dram_more = pull(dnext);
  count_dram(none, dram.final_writes());
  trace_dram(dram.final_writes(), now());
  const int64_t drain = dram_cycles(none, dram.final_writes());
  wait_cycles(drain);
  pe.all(&PeCycles::stall_dram, drain);
  cause.fill_and_drain += (now() - t0);
  pe.flush();
  PeCycles& pc = result_.pe_cycles;
  for (const PeCycles& p : result_.per_pe_cycles) {
    pc.compute += p.compute, pc.stall_input += p.stall_input, pc.stall_weight += p.stall_weight;
    pc.stall_output += p.stall_output, pc.stall_dram += p.stall_dram, pc.idle += p.idle;
  }
  LayerCost& k = result_.counted;
  bw_peak = std::max(bw_peak, double(volume(cur.collection)) / double(std::max<int64_t>(v_prev_w, 1)));
  TensorTraffic& o = k.tensor[2];
  o.l2_reads = o.readbacks + o.rmw_reads;
  k.avg_active_pes = double(active_sum) / double(std::max<int64_t>(k.steps, 1));
  k.l1_bytes_needed = 2 * l1_max * hw.word_bytes;
  k.l2_bytes_needed = l2_max * hw.word_bytes;
  k.noc_bw_peak_elems_per_cycle = bw_peak;
  k.noc_element_hops = dist_->stats().element_hops + coll_->stats().element_hops;
  k.noc_bw_avg_elems_per_cycle = double(dist_->stats().elements + coll_->stats().elements) /
                                 double(std::max<int64_t>(k.compute_cycles, 1));
  k.offchip_bw_avg_elems_per_cycle =
      double(k.dram_reads() + k.dram_writes()) / double(std::max<int64_t>(k.compute_cycles, 1));
  k.energy = compute_energy(k, hw.energy);
  if (fm) result_.functional_mismatch = fm->check();
  result_.counted.runtime_cycles = now() - start;
  result_.counted.top_steps = top_steps;
  result_.distribution = dist_->stats();
  result_.collection = coll_->stats();
  link_sampler_.flush();
  for (int n = 0; n < 2; ++n) {
    const Topology& net = n ? *coll_ : *dist_;
    std::vector<LinkLoad>& out = n ? result_.collection_links : result_.distribution_links;
    const std::vector<LinkInfo> info = net.link_info();
    std::vector<int64_t> flits;
    net.link_flits(flits);
    out.clear();
    for (size_t i = 0; i < info.size(); ++i) out.push_back({info[i].name, info[i].lanes, flits[i]});
  }
}

// Event-level trace: every PE's compute and its tail (idle PEs: one idle record) in the slot.
void Accelerator::trace_pe_events(const ComputeProfile& prof, int64_t S, int64_t L, int tail) {
  static constexpr PeCycleKind kKinds[] = {PeCycleKind::kIdle, PeCycleKind::kStallInput,
                                           PeCycleKind::kStallWeight, PeCycleKind::kStallOutput};
  for (size_t pe = 0; pe < prof.pe_macs.size(); ++pe) {
    const int64_t m = prof.pe_macs[pe];
    const int32_t id = static_cast<int32_t>(pe);
    if (m == 0) {
      opt_.trace->pe_event(PeEventRecord{S, id, PeCycleKind::kIdle, L});
      continue;
    }
    const int64_t cp = (m + hw_->simd_lanes - 1) / hw_->simd_lanes;
    opt_.trace->pe_event(PeEventRecord{S, id, PeCycleKind::kCompute, cp});
    if (L > cp) opt_.trace->pe_event(PeEventRecord{S + cp, id, kKinds[tail], L - cp});
  }
}

}  // namespace baton::detail
