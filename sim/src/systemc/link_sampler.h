// Internal: per-link flits per time bin for event-level traces (the link_util dataset).
//
// The NoC method calls before_cycle(t) on each cycle it runs and flush() when it goes idle and at
// the end of a layer. A bin is closed when the first cycle of a later bin runs or the networks go
// idle, so every flush's deltas fall inside the current bin.
#pragma once

#include <array>
#include <vector>

#include "baton/noc/topology.h"
#include "baton/sim/trace_sink.h"

namespace baton::detail {

class LinkSampler {
 public:
  // Starts a layer: records the link names and zero baselines; inactive when sink is null.
  void start(const Topology* dist, const Topology* coll, TraceSink* sink, int64_t bin_cycles);
  void before_cycle(int64_t t) {
    if (sink_ && t / bin_ != bin_index_) flush(), bin_index_ = t / bin_;
  }
  void flush();
  void stop() { sink_ = nullptr; }

 private:
  TraceSink* sink_ = nullptr;
  std::array<const Topology*, 2> nets_{};
  std::array<std::vector<int64_t>, 2> last_, lanes_;
  std::vector<int64_t> now_;
  int64_t bin_ = 1000, bin_index_ = 0;
};

}  // namespace baton::detail
