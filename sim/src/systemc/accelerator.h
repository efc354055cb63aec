// Internal: the SystemC Accelerator — a Controller thread (walks the transfer plan, one slot per
// global step), one gated NoC method stepping the distribution and collection networks per cycle
// only while a packet is in flight, lock-step PE compute as one timed event per step, and an
// event-driven DRAM channel per top-level step.
#pragma once

#include <map>
#include <unordered_map>
#include <memory>
#include <systemc>

#include "baton/sim/dram_plan.h"
#include "baton/sim/simulator.h"
#include "baton/sim/transfer_plan.h"
#include "link_sampler.h"

namespace baton::detail {

class Accelerator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Accelerator);
  explicit Accelerator(sc_core::sc_module_name name);

  // Runs one layer to completion (called between sc_start()s by Simulator).
  void set_job(const Schedule* s, const HardwareSpec* hw) { job_ = s, hw_ = hw; }
  void set_options(const SimOptions& o) { opt_ = o; }
  const SimLayerResult& result() const { return result_; }
  sc_core::sc_event start_ev;

 private:
  void controller();
  void noc_clock();
  int64_t now() const;
  // `n` cycles as a SystemC time (the clock period is 1 ns; no unit conversion per call).
  sc_core::sc_time cycles(int64_t n) const {
    return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(n) * cycle_.value());
  }
  const sc_core::sc_time cycle_;
  void run_layer(const Schedule& s, const HardwareSpec& hw);
  // Injects a batch of packets into a network; returns the number in flight.
  int64_t inject(Topology& net, const std::vector<Packet>& batch, int64_t& outstanding);
  void count_distribution(const std::vector<Packet>& batch);
  void count_collection(const StepPlan& plan);
  void trace_pe_events(const ComputeProfile& prof, int64_t start, int64_t length, int tail);
  void count_dram(const std::vector<Packet>& reads, const std::vector<Packet>& writes);
  int64_t dram_cycles(const std::vector<Packet>& reads, const std::vector<Packet>& writes) const;

  const HardwareSpec* hw_ = nullptr;
  std::unique_ptr<Topology> dist_, coll_;
  int64_t dist_outstanding_ = 0, coll_outstanding_ = 0, next_packet_id_ = 0;
  sc_core::sc_event wake_noc_, dist_done_, coll_done_, compute_done_, dram_done_;
  // Waits until `outstanding` reaches 0; false (and result_.stalled set) if the watchdog fired.
  bool wait_net(int64_t& outstanding, sc_core::sc_event& done, int64_t step);
  void wait_until(sc_core::sc_event& done, const int64_t& outstanding, int64_t deadline);
  sc_core::sc_event watchdog_;
  int64_t watchdog_at_ = -1;  // the cycle watchdog_ is pending for (none if <= now())
  std::string dump(int64_t step) const;

  // Trace emission (event level): packet metadata by NoC packet id.
  struct InFlight {
    NocPacketRecord rec;
    int64_t first_element;
  };
  bool tracing(TraceLevel at_least) const {
    return opt_.trace && opt_.trace->level() >= at_least;
  }
  void emit_arrival(const NocArrival& a);
  std::unordered_map<int64_t, InFlight> in_flight_;
  LinkSampler link_sampler_;

  const Schedule* job_ = nullptr;
  SimOptions opt_;
  int64_t writeback_packets_ = 0, distribution_packets_ = 0;
  bool elements_ = false;  // the plans carry element lists (functional mode, fault injection)
  NocPacket scratch_;      // reused for every injection (no allocation per packet)
  std::vector<NocArrival> arrived_;  // reused by noc_clock()
  // Packets in flight since the networks were last empty (a slot): injection cycle and latency
  // class, indexed by id − meta_base_ (latency histograms).
  std::vector<std::pair<int64_t, uint8_t>> meta_;
  int64_t meta_base_ = 0;
  SimLayerResult result_;
};

}  // namespace baton::detail
