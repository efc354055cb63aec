#include <algorithm>
#include "baton/sim/simulator.h"

#include "systemc/accelerator.h"

namespace baton {

struct Simulator::Impl {
  std::unique_ptr<detail::Accelerator> top;
  bool stopped = false;
};

std::string SlotCauses::dominant() const {
  const std::pair<const char*, int64_t> causes[] = {
      {"compute", compute_bound},        {"ingress (operands)", ingress_bound},
      {"egress (write-backs)", egress_bound}, {"read-after-write", raw_serialised},
      {"DRAM", dram_extension},          {"fill and drain", fill_and_drain}};
  const auto* best = &causes[0];
  for (const auto& c : causes)
    if (c.second > best->second) best = &c;
  return best->first;
}

Simulator& Simulator::instance() {
  static Simulator sim;  // SystemC elaborates once per process
  return sim;
}

Simulator::Simulator() : impl_(std::make_unique<Impl>()) {
  sc_core::sc_set_time_resolution(1, sc_core::SC_NS);
  impl_->top = std::make_unique<detail::Accelerator>("accelerator");
  sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate; the controller waits for a job
}

Simulator::~Simulator() = default;

SimLayerResult Simulator::run(const Schedule& schedule, const HardwareSpec& hw,
                              const SimOptions& options) {
  make_topology(hw.noc);  // validates the topology name before the kernel runs
  BATON_ASSERT(!impl_->stopped, "the simulator stopped after a stall; start a new process");
  impl_->top->set_options(options);
  impl_->top->set_job(&schedule, &hw);
  if (options.trace) options.trace->begin_layer(schedule.layer().name, schedule.layer().index);
  impl_->top->start_ev.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when the layer is done and nothing is pending
  impl_->top->set_job(nullptr, nullptr);
  SimLayerResult r = impl_->top->result();
  impl_->stopped = r.stalled.has_value();
  if (options.trace) {
    const PeCycles& p = r.pe_cycles;
    options.trace->end_layer(
        "{\"runtime_cycles\": " + std::to_string(r.counted.runtime_cycles) +
        ", \"macs\": " + std::to_string(r.counted.macs) + ", \"steps\": " +
        std::to_string(r.counted.steps) + ", \"cycles_compute\": " + std::to_string(p.compute) +
        ", \"cycles_stall_input\": " + std::to_string(p.stall_input) +
        ", \"cycles_stall_weight\": " + std::to_string(p.stall_weight) +
        ", \"cycles_stall_output\": " + std::to_string(p.stall_output) +
        ", \"cycles_stall_dram\": " + std::to_string(p.stall_dram) +
        ", \"cycles_idle\": " + std::to_string(p.idle) + "}");
  }
  r.counted.zero_macs = schedule.layer().zero_macs();
  r.counted.fits = schedule.fit().fits;
  r.counted.fit_reason = schedule.fit().reason;
  return r;
}

std::vector<BusyLink> busiest_links(const std::vector<LinkLoad>& links, int64_t runtime_cycles,
                                    size_t k) {
  std::vector<size_t> order(links.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return links[a].flits > links[b].flits; });
  std::vector<BusyLink> out;
  for (size_t i = 0; i < order.size() && out.size() < k && links[order[i]].flits > 0; ++i) {
    const LinkLoad& l = links[order[i]];
    out.push_back({l.name, l.flits,
                   double(l.flits) / double(std::max<int64_t>(l.lanes, 1) *
                                            std::max<int64_t>(runtime_cycles, 1))});
  }
  return out;
}

void LatencyHistogram::add(int64_t latency) {
  size_t b = 0;
  while (b < 62 && (int64_t{1} << b) <= latency) ++b;
  if (buckets.size() <= b) buckets.resize(b + 1, 0);
  ++buckets[b];
  ++packets;
  total_cycles += latency;
  max_cycles = std::max(max_cycles, latency);
}

std::string LatencyHistogram::bucket_label(size_t b) {
  if (b <= 1) return std::to_string(b);
  return std::to_string(int64_t{1} << (b - 1)) + "-" + std::to_string((int64_t{1} << b) - 1);
}

const char* latency_class_name(LatencyClass c) {
  static const char* const kNames[] = {"input", "weight", "output_readback", "output_writeback"};
  return kNames[static_cast<int>(c)];
}

}  // namespace baton

const char* baton::pe_cycle_kind_name(PeCycleKind k) {
  static const char* kNames[] = {"compute",      "stall_input", "stall_weight",
                                 "stall_output", "stall_dram",  "idle"};
  return kNames[static_cast<int>(k)];
}

// libsystemc's own main() calls sc_main; baton's executables have their own main() and drive
// the kernel through Simulator, so this entry point only satisfies the linker.
int sc_main(int, char**) { return 1; }
