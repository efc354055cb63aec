// baton::sim — the observer interface the simulator emits trace events to (STYLE.md #9). The
// HDF5 writer (traces/) is one implementation; components never include HDF5 headers.
// Units: cycles for every *_cycle / duration field, elements for counts, element ids as in
// transfer_plan.h.
#pragma once

#include <cstdint>
#include <string>

namespace baton {

enum class TraceLevel : uint8_t { kLayer, kStep, kEvent };

// PE cycle kinds (DESIGN §3): the trace enum and the JSON keys use these names.
enum class PeCycleKind : uint8_t { kCompute, kStallInput, kStallWeight, kStallOutput, kStallDram,
                                   kIdle };
const char* pe_cycle_kind_name(PeCycleKind k);

struct StepRecord {
  int64_t step, top_step, start_cycle, end_cycle, macs, stall_cycles;
};
struct PeEventRecord {
  int64_t cycle;
  int32_t pe;
  PeCycleKind kind;
  int64_t duration;
};
struct NocPacketRecord {
  int64_t inject_cycle, arrive_cycle;
  uint8_t network;  // 0 = distribution (L2 → PEs), 1 = collection (PEs → L2)
  uint8_t tensor;   // 0 input, 1 weight, 2 output
  int32_t source;   // distribution: −1 (L2); collection: first source PE
  int32_t dest_count, first_dest;  // collection: first_dest = −1 (L2)
  int64_t elements;
  int32_t hops;
};
struct MemAccessRecord {
  int64_t cycle;
  uint8_t tensor;
  int64_t first_element, count;
  uint8_t write;  // 0 read, 1 write
};

// Event level: flits one NoC link carried in one time bin (only non-zero bins are recorded).
struct LinkUtilRecord {
  int64_t bin_start_cycle, bin_cycles;
  uint8_t network;  // 0 distribution, 1 collection
  int32_t link;     // index into the layer's link list (links(network, ...))
  int64_t flits;
  double utilisation;  // flits / (bin_cycles × lanes)
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual TraceLevel level() const = 0;
  virtual void begin_layer(const std::string& name, int layer_index) = 0;
  virtual void step(const StepRecord& r) = 0;
  virtual void pe_event(const PeEventRecord& r) = 0;
  virtual void noc_packet(const NocPacketRecord& r) = 0;
  virtual void l2_access(const MemAccessRecord& r) = 0;
  virtual void dram_access(const MemAccessRecord& r) = 0;
  // Event level: the links of one network ("name lanes" per line, in link-index order), then
  // their per-bin loads.
  virtual void links(uint8_t /*network*/, const std::string& /*names*/) {}
  virtual void link_util(const LinkUtilRecord& /*r*/) {}
  // `summary_json`: the layer's results (counts, cycles), stored as a group attribute.
  virtual void end_layer(const std::string& summary_json) = 0;
};

}  // namespace baton
