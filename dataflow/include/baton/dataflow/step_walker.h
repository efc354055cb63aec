// baton::dataflow — lazy enumeration of a Schedule's global steps (DIRECTIVES.md rule 2).
//
// The walker holds one index per loop (levels top to bottom, loops outermost first) and yields,
// per global step, every PE's tile as one half-open range per dimension. It never materialises
// the step list: memory is O(PEs × dims), each next() is O(PEs × loops).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "baton/dataflow/schedule.h"

namespace baton {

struct Range {
  int64_t lo = 0, hi = 0;  // [lo, hi)
  int64_t size() const { return hi > lo ? hi - lo : 0; }
  bool operator==(const Range& o) const { return lo == o.lo && hi == o.hi; }
};

struct PeTile {
  std::array<Range, kNumDims> r;  // per Dim, in output coordinates
  bool active() const;            // does at least one MAC
  int64_t macs() const;
};

// Element ids of tensor t inside a PE tile: row-major over the tensor's coordinates, a window
// coordinate counted in input rows (p·σ + r); sorted and distinct. Cost O(tile elements).
std::vector<int64_t> tile_elements(const LayerSpec& layer, Tensor t, const PeTile& tile);

class StepWalker {
 public:
  explicit StepWalker(const Schedule& schedule);

  bool done() const { return done_; }
  void next();                       // advance to the next global step
  int64_t step() const { return step_; }
  int64_t top_step() const { return top_step_; }
  // Position (in global loop order) of the loop that advanced on the last next(); -1 at step 0.
  int changed_loop() const { return changed_; }
  int num_loops() const { return static_cast<int>(loops_.size()); }
  const std::vector<PeTile>& tiles() const { return tiles_; }  // indexed by PE id
  int64_t active_pes() const;
  int64_t busiest_pe_macs() const;

 private:
  struct GLoop {
    int level;
    Dim dim;
    LoopKind kind;
    int64_t tile;
    int64_t units;
  };
  void compute_trips();
  void compute_tiles();

  const Schedule& s_;
  std::vector<GLoop> loops_;
  std::vector<int64_t> index_, trips_;
  std::vector<std::vector<int64_t>> unit_;  // [pe][level]
  std::vector<PeTile> tiles_;
  int64_t step_ = 0, top_step_ = 0;
  int changed_ = -1;
  bool done_ = false;
};

}  // namespace baton
