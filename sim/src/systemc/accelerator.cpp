#include "accelerator.h"

#include <algorithm>

namespace baton::detail {

using sc_core::sc_time;
using sc_core::SC_NS;

Accelerator::Accelerator(sc_core::sc_module_name name)
    : sc_module(name), cycle_(sc_time(1, SC_NS)) {
  SC_THREAD(controller);
  SC_METHOD(noc_clock);
  sensitive << wake_noc_;
  dont_initialize();
}

int64_t Accelerator::now() const {
  return static_cast<int64_t>(sc_core::sc_time_stamp().value() / cycle_.value());
}

// One activation per cycle while a packet is in flight (fewer where the networks know their
// future); otherwise sleeps until woken.
void Accelerator::noc_clock() {
  const int64_t t = now();
  if (!dist_ || !coll_) return;
  link_sampler_.before_cycle(t);
  std::vector<NocArrival>& arrived = arrived_;  // reused: no allocation per cycle
  arrived.clear();
  dist_->advance(t, arrived);
  for (const NocArrival& a : arrived) emit_arrival(a);
  if (!arrived.empty() && (dist_outstanding_ -= static_cast<int64_t>(arrived.size())) == 0)
    dist_done_.notify(sc_core::SC_ZERO_TIME);
  arrived.clear();
  coll_->advance(t, arrived);
  for (const NocArrival& a : arrived) emit_arrival(a);
  if (!arrived.empty() && (coll_outstanding_ -= static_cast<int64_t>(arrived.size())) == 0)
    coll_done_.notify(sc_core::SC_ZERO_TIME);
  const bool dist_busy = dist_->busy(), coll_busy = coll_->busy();
  if (dist_busy || coll_busy) {
    // Without an event-level trace (link bins, arrival order), the cycles whose outcome both
    // networks already know are skipped (Topology::known_until; a replayed mesh batch: up to its
    // last arrival, when the method runs again); an injection wakes it earlier. At most a
    // quarter of the watchdog period at a time, so that progress stays visible to wait_net().
    int64_t next = t + 1;
    if (!tracing(TraceLevel::kEvent)) {
      next = t + std::max<int64_t>(1, opt_.watchdog_cycles / 4);
      if (dist_busy) next = std::min(next, std::max(t + 1, dist_->known_until(t)));
      if (coll_busy) next = std::min(next, std::max(t + 1, coll_->known_until(t)));
    }
    if (next <= t + 1) next_trigger(cycle_);
    else next_trigger(cycles(next - t), wake_noc_);
  } else {
    link_sampler_.flush();  // idle: what moved so far belongs to the current bin
    next_trigger(wake_noc_);
  }
}

int64_t Accelerator::inject(Topology& net, const std::vector<Packet>& batch,
                            int64_t& outstanding) {
  if (dist_outstanding_ == 0 && coll_outstanding_ == 0) meta_.clear(), meta_base_ = next_packet_id_;
  const bool collection = &net == coll_.get();
  for (const Packet& p : batch) {
    ++outstanding;
    if (&net == dist_.get() && distribution_packets_++ == opt_.lose_distribution_packet)
      continue;  // fault injection: the packet never reaches its destinations
    const int64_t id = next_packet_id_++;
    meta_.emplace_back(now(), collection ? uint8_t{3} : static_cast<uint8_t>(p.tensor));
    if (tracing(TraceLevel::kEvent)) {
      const bool coll = &net == coll_.get();
      NocPacketRecord r{now(), -1, static_cast<uint8_t>(coll ? 1 : 0),
                        static_cast<uint8_t>(p.tensor), coll ? p.pes.front() : -1,
                        static_cast<int32_t>(p.pes.size()), coll ? -1 : p.pes.front(),
                        p.count, 1};
      in_flight_[id] = InFlight{r, p.first};
    }
    scratch_.id = id;
    scratch_.elements = p.count;
    scratch_.endpoints = static_cast<int64_t>(p.pes.size());
    scratch_.pes.assign(p.pes.begin(), p.pes.end());
    net.inject(scratch_, now());
  }
  if (!batch.empty()) wake_noc_.notify(sc_core::SC_ZERO_TIME);
  return outstanding;
}

void Accelerator::count_distribution(const std::vector<Packet>& batch) {
  for (const Packet& p : batch) {
    TensorTraffic& t = result_.counted.tensor[static_cast<int>(p.tensor)];
    t.l2_reads += p.count;
    t.noc_deliveries += p.count * static_cast<int64_t>(p.pes.size());
    if (p.kind == PacketKind::kReadBack) t.readbacks += p.count;
  }
}

void Accelerator::count_collection(const StepPlan& plan) {
  TensorTraffic& o = result_.counted.tensor[2];
  int64_t written = 0;
  for (const Packet& p : plan.collection) {
    o.l2_writes += p.count;
    o.writebacks += p.count * static_cast<int64_t>(p.pes.size());
    written += p.count;
  }
  // Several writes of one element reaching L2 in a step are read-modify-writes at L2. With
  // element lists (a write-back may have been dropped) the distinct ids are counted here.
  int64_t distinct = plan.collection_distinct;
  if (elements_) {
    std::vector<int64_t> all;
    for (const Packet& p : plan.collection) all.insert(all.end(), p.elements.begin(), p.elements.end());
    std::sort(all.begin(), all.end());
    distinct = std::unique(all.begin(), all.end()) - all.begin();
  }
  o.rmw_reads += written - distinct;
}

void Accelerator::count_dram(const std::vector<Packet>& reads, const std::vector<Packet>& writes) {
  for (const Packet& p : reads) result_.counted.tensor[static_cast<int>(p.tensor)].dram_reads += p.count;
  for (const Packet& p : writes) result_.counted.tensor[2].dram_writes += p.count;
}

int64_t Accelerator::dram_cycles(const std::vector<Packet>& reads,
                                 const std::vector<Packet>& writes) const {
  int64_t v = 0;
  for (const Packet& p : reads) v += p.count;
  for (const Packet& p : writes) v += p.count;
  if (v == 0) return 0;
  const auto& bw = hw_->offchip_bw_elems_per_cycle;
  return hw_->dram_latency_cycles + (bw ? (v + *bw - 1) / *bw : 0);
}

void Accelerator::emit_arrival(const NocArrival& a) {
  const uint64_t k = static_cast<uint64_t>(a.id - meta_base_);
  if (k < meta_.size()) result_.latency[meta_[k].second].add(a.cycle - meta_[k].first);
  if (in_flight_.empty()) return;
  auto it = in_flight_.find(a.id);
  if (it == in_flight_.end()) return;
  NocPacketRecord r = it->second.rec;
  r.arrive_cycle = a.cycle;
  opt_.trace->noc_packet(r);
  // The L2 side of the transfer: a read when it left L2, a write when it reached L2.
  const bool write = r.network == 1;
  opt_.trace->l2_access(MemAccessRecord{write ? r.arrive_cycle : r.inject_cycle, r.tensor,
                                        it->second.first_element, r.elements,
                                        static_cast<uint8_t>(write)});
  in_flight_.erase(it);
}

// Waits until `outstanding` is 0 (`done`) or cycle `deadline`. The timeout is one event kept
// pending (watchdog_ at watchdog_at_; earlier than `deadline` if set by an earlier call: then it
// is set again) rather than a timed wait per call: a timed wait ended early by its event leaves
// its notification in SystemC's timed queue until it expires (two per slot for the watchdog
// period: tens of thousands queued, each queue operation slower).
void Accelerator::wait_until(sc_core::sc_event& done, const int64_t& outstanding,
                             int64_t deadline) {
  for (;;) {
    if (watchdog_at_ <= now()) {  // none pending (timed notifications fire first in a cycle)
      watchdog_at_ = deadline;
      watchdog_.notify(cycles(deadline - now()));
    }
    wait(done | watchdog_);
    if (outstanding == 0 || now() >= deadline) return;
  }
}

bool Accelerator::wait_net(int64_t& outstanding, sc_core::sc_event& done, int64_t step) {
  int64_t progress = -1;
  while (outstanding > 0) {
    const int64_t before = dist_->busy_cycles() + coll_->busy_cycles() +
                           dist_outstanding_ + coll_outstanding_;
    wait_until(done, outstanding, now() + opt_.watchdog_cycles);
    const int64_t after = dist_->busy_cycles() + coll_->busy_cycles() +
                          dist_outstanding_ + coll_outstanding_;
    if (outstanding > 0 && after == before && progress == after) {
      result_.stalled = dump(step);
      sc_core::sc_stop();
      return false;
    }
    progress = after;
  }
  return true;
}

std::string Accelerator::dump(int64_t step) const {
  auto net = [](const char* name, const Topology& t, int64_t outstanding) {
    return std::string("  accelerator.noc.") + name + " (" + t.name() + "): " +
           std::to_string(outstanding) + " packet(s) awaited, " +
           (t.busy() ? "elements in flight" : "nothing in flight") + ", " +
           std::to_string(t.stats().packets) + " packets injected\n";
  };
  return "watchdog: no progress for " + std::to_string(2 * opt_.watchdog_cycles) +
         " cycles at cycle " + std::to_string(now()) + ", global step " + std::to_string(step) +
         "\n" + net("distribution", *dist_, dist_outstanding_) +
         net("collection", *coll_, coll_outstanding_) +
         "  accelerator.pe_array: waiting for operands / write-back of the step\n";
}

void Accelerator::controller() {
  for (;;) {
    wait(start_ev);
    result_ = SimLayerResult{};
    if (job_ && hw_) {
      dist_ = make_topology(hw_->noc, job_->pes_used(), NocDirection::kDistribution,
                            hw_->l2_read_elems_per_cycle);
      coll_ = make_topology(hw_->noc, job_->pes_used(), NocDirection::kCollection,
                            hw_->l2_write_elems_per_cycle);
      if (tracing(TraceLevel::kEvent)) {  // link_util bins: link flits counted as they move
        dist_->count_link_flits_per_cycle();
        coll_->count_link_flits_per_cycle();
      }
      dist_outstanding_ = coll_outstanding_ = 0;
      link_sampler_.start(dist_.get(), coll_.get(),
                          tracing(TraceLevel::kEvent) ? opt_.trace : nullptr,
                          opt_.link_bin_cycles);
      run_layer(*job_, *hw_);
      watchdog_.cancel();  // nothing pending when the layer ends (sc_start() returns)
      watchdog_at_ = -1;
      link_sampler_.stop();
    }
  }
}

}  // namespace baton::detail
