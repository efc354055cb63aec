// Internal: what every PE holds in L1 (rule 8: its last non-idle tile), tracked without touching
// every PE at every step. A PE active at the previous step holds that step's tile (read from the
// previous step's factored tables); only PEs that went idle keep an explicit copy. The per-PE
// pass runs only at steps where the pattern of empty ranges changes (fold edges, partial tiles).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "factored_walker.h"

namespace baton::detail {

class HeldTracker {
 public:
  explicit HeldTracker(const FactoredWalker& w);

  // Activity of every PE at the walker's current step (call once per step, then commit()).
  void update();
  // Ends the step: the PEs active in it now hold its tiles.
  void commit();

  bool active(int64_t pe) const { return active_[pe] != 0; }
  bool has_prev() const { return has_prev_; }
  const std::vector<Range>& prev_table(int d) const { return prev_[d]; }
  // PEs active at this step that were idle at the previous one (their L1 holds an older tile).
  const std::vector<int32_t>& entering() const { return entering_; }
  // Idle PEs holding a tile (after update(): idle at this step).
  const std::vector<int32_t>& idle_holding() const { return idle_holding_; }
  // The tile PE `pe` held before this step (after update()) or after it (after commit());
  // false when it never was active.
  bool held(int64_t pe, PeTile& out) const;

 private:
  const FactoredWalker& w_;
  std::array<std::vector<Range>, kNumDims> prev_;
  std::array<std::vector<char>, kNumDims> nonempty_;  // per combo: the range is not empty
  std::vector<char> scratch_;
  std::vector<char> active_, entered_, has_explicit_;
  std::vector<PeTile> explicit_;
  std::vector<int32_t> entering_, idle_holding_;
  bool has_prev_ = false, committed_ = false;
};

}  // namespace baton::detail
