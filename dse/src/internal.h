// baton::dse — internals shared by the explorer's source files.
#pragma once

#include "baton/dse/dse.h"

namespace baton::dse {

// Area in mm² from scalars (area_mm2(hw) and the explorer use this one formula, so both give
// bit-identical values).
double area_of(const AreaPowerTable& a, int64_t pes, int64_t lanes, int64_t l1, int64_t l2,
               int64_t noc_bw, int64_t links);

}  // namespace baton::dse

namespace baton::dse {

// Schedule-dependent costs of one (unique layer, candidate, PE count).
struct Entry {
  bool usable = false;
  std::string reason;  // why not usable
  int64_t l1_bytes = 0, l2_bytes = 0;
  double energy_pj = 0;
  std::vector<int64_t> runtime;  // per (SIMD, NoC bandwidth, off-chip bandwidth) combination
};

// Runs fn(i) for i in [0, n) on `threads` threads (the caller's included); tick() is called by
// the caller's thread after each of its items. Stops early when *stop becomes true.
void parallel_for(uint64_t n, int threads, const std::atomic<bool>* stop,
                  const std::function<void(uint64_t)>& fn, const std::function<void()>& tick);

// Fills one cache entry: schedule at this PE count, analytical counts, runtime per combination.
Entry compute_entry(const LayerSpec& layer, const std::optional<DataflowDecl>& dataflow,
                    const DesignSpace& s, size_t pes_index, const HardwareSpec& base);

}  // namespace baton::dse
