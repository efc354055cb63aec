#include "baton/sim/simulator.h"

#include "systemc/accelerator.h"

namespace baton {

struct Simulator::Impl {
  std::unique_ptr<detail::Accelerator> top;
  bool stopped = false;
};

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
  impl_->top->start_ev.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when the layer is done and nothing is pending
  impl_->top->set_job(nullptr, nullptr);
  SimLayerResult r = impl_->top->result();
  impl_->stopped = r.stalled.has_value();
  r.counted.zero_macs = schedule.layer().zero_macs();
  r.counted.fits = schedule.fit().fits;
  r.counted.fit_reason = schedule.fit().reason;
  return r;
}

}  // namespace baton

// libsystemc's own main() calls sc_main; baton's executables have their own main() and drive
// the kernel through Simulator, so this entry point only satisfies the linker.
int sc_main(int, char**) { return 1; }
