// baton::sim — the SystemC cycle-level simulator (DESIGN.md §5).
//
// The Accelerator executes the transfer plan of a layer: lock-step PEs compute step t while the
// distribution NoC delivers the operands of t+1 and the collection NoC drains the outputs of
// t−1 (DIRECTIVES.md rule 13); DRAM fills/drains L2 per top-level step. Traffic is counted from
// the packets the NoCs and memories actually carry. SystemC allows one elaboration per process:
// use Simulator::instance() and run every layer through it (hardware is data, not structure).
#pragma once

#include <array>
#include <cstdint>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"
#include "baton/noc/topology.h"
#include "baton/sim/trace_sink.h"

namespace baton {

// PE cycles by kind, summed over the PEs used (DESIGN §3 names: compute, stall_input,
// stall_weight, stall_output, stall_dram, idle). Per PE they add up to the runtime.
struct PeCycles {
  int64_t compute = 0, stall_input = 0, stall_weight = 0, stall_output = 0, stall_dram = 0,
          idle = 0;
  int64_t total() const {
    return compute + stall_input + stall_weight + stall_output + stall_dram + idle;
  }
};

// Where the slots' time went, in cycles summed over slots (the discrepancy report's causes).
struct SlotCauses {
  int64_t compute_bound = 0;      // slots whose length is the busiest PE's compute
  int64_t ingress_bound = 0;      // … the distribution NoC (operands / read-backs of t+1)
  int64_t egress_bound = 0;       // … the collection NoC (write-backs of t−1)
  int64_t raw_serialised = 0;     // extra cycles from read-after-write serialisation
  int64_t dram_extension = 0;     // top-level steps extended because DRAM was slower
  int64_t fill_and_drain = 0;     // first DRAM fill + I_0, last NoC drain + DRAM drain
  // The first global step whose slot differs from rule 13's estimate from the same packet
  // volumes (max(hop + ⌈V/bw⌉, C, hop + ⌈W/bw⌉), or the read-after-write form); −1 if none.
  int64_t first_divergent_step = -1;
  int64_t divergent_slot_cycles = 0;  // Σ over slots of |simulated − estimated| cycles
  // The largest of ingress / egress / compute / RAW / DRAM / fill-and-drain, by name.
  std::string dominant() const;
};

// Where a layer's simulation is (SimOptions::progress).
struct SimProgress {
  int64_t steps_done = 0;   // global steps of the layer simulated so far
  int64_t steps_total = 0;  // global steps of the layer
  int64_t cycles = 0;       // simulated cycles of the layer so far
};

// NoC packet latencies (arrival − injection, cycles) in power-of-two buckets: bucket 0 holds
// latency 0, bucket b ≥ 1 holds [2^(b−1), 2^b).
struct LatencyHistogram {
  int64_t packets = 0, total_cycles = 0, max_cycles = 0;
  std::vector<int64_t> buckets;
  void add(int64_t latency);
  double mean() const { return packets ? double(total_cycles) / double(packets) : 0.0; }
  static std::string bucket_label(size_t b);  // "0", "1", "2-3", "4-7", …
};
// Histogram order in SimLayerResult::latency.
enum class LatencyClass { kInput, kWeight, kOutputReadBack, kOutputWriteBack };
const char* latency_class_name(LatencyClass c);  // "input", "weight", "output_readback", …

// One NoC link's load over a layer (docs/NOC.md "Links" for the names).
struct LinkLoad {
  std::string name;
  int64_t lanes = 1;
  int64_t flits = 0;  // summed over lanes; the bus: cycles in which it moved elements
};

// The k most loaded links (flits desc, then topology order) with flits per lane per cycle over
// `runtime_cycles`.
struct BusyLink {
  std::string name;
  int64_t flits = 0;
  double flits_per_cycle = 0;
};
std::vector<BusyLink> busiest_links(const std::vector<LinkLoad>& links, int64_t runtime_cycles,
                                    size_t k = 5);

struct SimOptions {
  bool functional = false;           // move values, compute MACs, check the output tensor
  int64_t watchdog_cycles = 1000000; // no NoC progress for this long while waiting: stalled
  // Fault injection (tests): add to the N-th operand value delivered (functional mode); drop the
  // N-th write-back packet; lose the N-th distribution packet in the NoC (provokes the watchdog).
  int64_t corrupt_fill_delta = 0;
  int64_t drop_writeback_packet = -1;
  int64_t lose_distribution_packet = -1;
  TraceSink* trace = nullptr;  // receives step / event records at its level (may be null)
  // Checked at every step boundary: when set the layer stops there (result.interrupted).
  const std::atomic<bool>* stop = nullptr;
  // Event-level traces: per-link flits per bin of this many cycles (link_util dataset).
  int64_t link_bin_cycles = 1000;
  // Called every `progress_steps` global steps (the CLI prints progress from it; may be empty).
  std::function<void(const SimProgress&)> progress;
  int64_t progress_steps = 4096;
};

struct SimLayerResult {
  LayerCost counted;  // traffic, MACs, steps, runtime counted by the simulation
  std::optional<std::string> functional_mismatch;  // first differing output element
  std::optional<std::string> stalled;  // watchdog: what every component was waiting for
  bool interrupted = false;            // stopped at a step boundary by SimOptions::stop
  PeCycles pe_cycles;                 // summed over PEs
  std::vector<PeCycles> per_pe_cycles;  // accelerator.pe_array.pe<i>, by PE id
  SlotCauses causes;
  NocStats distribution, collection;
  std::vector<LinkLoad> distribution_links, collection_links;  // every link, topology order
  std::array<LatencyHistogram, 4> latency;  // by LatencyClass
};

class Simulator {
 public:
  // The process's simulator (elaborated on first use).
  static Simulator& instance();
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Simulates one layer on `hw` (the NoC topology is hw.noc.topology); InputError for an unknown
  // or not yet simulated topology.
  // After a stall the kernel is stopped: the process must not simulate further layers.
  SimLayerResult run(const Schedule& schedule, const HardwareSpec& hw,
                     const SimOptions& options = SimOptions{});

 private:
  Simulator();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
