#include "accelerator.h"

#include <algorithm>

namespace baton::detail {

using sc_core::sc_time;
using sc_core::SC_NS;

Accelerator::Accelerator(sc_core::sc_module_name name) : sc_module(name) {
  SC_THREAD(controller);
  SC_METHOD(noc_clock);
  sensitive << wake_noc_;
  dont_initialize();
}

int64_t Accelerator::now() const {
  return static_cast<int64_t>(sc_core::sc_time_stamp() / sc_time(1, SC_NS));
}

// One activation per cycle while a packet is in flight; otherwise sleeps until woken.
void Accelerator::noc_clock() {
  std::vector<NocArrival> arrived;
  const int64_t t = now();
  if (!dist_ || !coll_) return;
  dist_->advance(t, arrived);
  for (const NocArrival& a : arrived) emit_arrival(a);
  if (!arrived.empty() && (dist_outstanding_ -= static_cast<int64_t>(arrived.size())) == 0)
    dist_done_.notify(sc_core::SC_ZERO_TIME);
  arrived.clear();
  coll_->advance(t, arrived);
  for (const NocArrival& a : arrived) emit_arrival(a);
  if (!arrived.empty() && (coll_outstanding_ -= static_cast<int64_t>(arrived.size())) == 0)
    coll_done_.notify(sc_core::SC_ZERO_TIME);
  if ((dist_ && dist_->busy()) || (coll_ && coll_->busy()))
    next_trigger(sc_time(1, SC_NS));
  else
    next_trigger(wake_noc_);
}

int64_t Accelerator::inject(Topology& net, const std::vector<Packet>& batch,
                            int64_t& outstanding) {
  for (const Packet& p : batch) {
    ++outstanding;
    if (&net == dist_.get() && distribution_packets_++ == opt_.lose_distribution_packet)
      continue;  // fault injection: the packet never reaches its destinations
    const int64_t id = next_packet_id_++;
    if (tracing(TraceLevel::kEvent)) {
      const bool coll = &net == coll_.get();
      NocPacketRecord r{now(), -1, static_cast<uint8_t>(coll ? 1 : 0),
                        static_cast<uint8_t>(p.tensor), coll ? p.pes.front() : -1,
                        static_cast<int32_t>(p.pes.size()), coll ? -1 : p.pes.front(),
                        static_cast<int64_t>(p.elements.size()), 1};
      in_flight_[id] = InFlight{r, p.elements.empty() ? -1 : p.elements.front()};
    }
    net.inject(NocPacket{id, static_cast<int64_t>(p.elements.size()),
                         static_cast<int64_t>(p.pes.size()), p.pes},
               now());
  }
  if (!batch.empty()) wake_noc_.notify(sc_core::SC_ZERO_TIME);
  return outstanding;
}

void Accelerator::count_distribution(const std::vector<Packet>& batch) {
  for (const Packet& p : batch) {
    TensorTraffic& t = result_.counted.tensor[static_cast<int>(p.tensor)];
    const int64_t n = static_cast<int64_t>(p.elements.size());
    t.l2_reads += n;
    t.noc_deliveries += n * static_cast<int64_t>(p.pes.size());
    if (p.kind == PacketKind::kReadBack) t.readbacks += n;
  }
}

void Accelerator::count_collection(const std::vector<Packet>& batch) {
  TensorTraffic& o = result_.counted.tensor[2];
  std::vector<int64_t> all;
  int64_t written = 0;
  for (const Packet& p : batch) {
    const int64_t n = static_cast<int64_t>(p.elements.size());
    o.l2_writes += n;
    o.writebacks += n * static_cast<int64_t>(p.pes.size());
    written += n;
    all.insert(all.end(), p.elements.begin(), p.elements.end());
  }
  // Several writes of one element reaching L2 in a step are read-modify-writes at L2.
  std::sort(all.begin(), all.end());
  o.rmw_reads += written - (std::unique(all.begin(), all.end()) - all.begin());
}

void Accelerator::count_dram(const std::vector<Packet>& reads, const std::vector<Packet>& writes) {
  for (const Packet& p : reads)
    result_.counted.tensor[static_cast<int>(p.tensor)].dram_reads += p.elements.size();
  for (const Packet& p : writes) result_.counted.tensor[2].dram_writes += p.elements.size();
}

int64_t Accelerator::dram_cycles(const std::vector<Packet>& reads,
                                 const std::vector<Packet>& writes) const {
  int64_t v = 0;
  for (const Packet& p : reads) v += p.elements.size();
  for (const Packet& p : writes) v += p.elements.size();
  if (v == 0) return 0;
  const auto& bw = hw_->offchip_bw_elems_per_cycle;
  return hw_->dram_latency_cycles + (bw ? (v + *bw - 1) / *bw : 0);
}

void Accelerator::emit_arrival(const NocArrival& a) {
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

bool Accelerator::wait_net(int64_t& outstanding, sc_core::sc_event& done, int64_t step) {
  int64_t progress = -1;
  while (outstanding > 0) {
    const int64_t before = dist_->stats().busy_cycles + coll_->stats().busy_cycles +
                           dist_outstanding_ + coll_outstanding_;
    wait(sc_time(static_cast<double>(opt_.watchdog_cycles), SC_NS), done);
    const int64_t after = dist_->stats().busy_cycles + coll_->stats().busy_cycles +
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
      dist_outstanding_ = coll_outstanding_ = 0;
      run_layer(*job_, *hw_);
    }
  }
}

}  // namespace baton::detail
