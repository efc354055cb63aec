// Internal: the global steps of a Schedule (the same sequence and tiles as dataflow's StepWalker),
// factored per dimension. A PE's range on dimension d depends only on its unit indices at the
// levels whose spatial loops are on d, so each step is one small table of ranges per dimension
// ("combos": the mixed-radix unit indices of those levels, top level most significant) instead
// of one tile per PE. For 256 PEs of a `SpatialMap K; Cluster(64); SpatialMap C` mapping that is
// 4 K ranges and 64 C ranges per step. The top-level tables (ranges after the level-0 loops only,
// per top-level unit) give the L2 tile of rule 12. Cost per step: Σ_d combos × loops on d.
#pragma once

#include <cstdint>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "baton/dataflow/step_walker.h"

namespace baton::detail {

class FactoredWalker {
 public:
  explicit FactoredWalker(const Schedule& s);

  bool done() const { return done_; }
  void next();
  int64_t step() const { return step_; }
  int64_t top_step() const { return top_step_; }
  int64_t pes() const { return pes_; }
  int64_t top_units() const { return top_units_; }

  // Ranges of dimension d per combo at this step, and the combo of a PE / top-level unit.
  const std::vector<Range>& table(int d) const { return table_[d]; }
  int32_t combo(int d, int64_t pe) const { return combo_[d][pe]; }
  const std::vector<Range>& top_table(int d) const { return top_table_[d]; }
  int32_t top_combo(int d, int64_t unit) const { return top_combo_[d][unit]; }

  // Whether dimension d's tables changed on the last next() (all true at step 0).
  bool changed(int d) const { return dirty_[d] != 0; }

  PeTile tile(int64_t pe) const;
  PeTile top_box(int64_t unit) const;  // the unit's ranges after the level-0 loops

 private:
  struct GLoop {
    int level;
    Dim dim;
    LoopKind kind;
    int64_t tile, units;
  };
  struct Chain {                            // the loops on one dimension, in global order
    std::vector<int> loops;                 // indices into loops_
    std::vector<std::vector<int64_t>> unit; // [combo][position]: unit index of a spatial loop
    int top = 0;                            // how many loops of the chain are level-0 loops
    std::vector<std::vector<int64_t>> top_unit;  // the same for the top-level combos
  };
  void compute_trips();
  void compute_tables(bool top);
  static void fill(const std::vector<GLoop>& loops, const std::vector<int64_t>& index,
                   const std::vector<int>& chain, int n, const std::vector<int64_t>& unit,
                   int64_t extent, Range& out);

  std::vector<GLoop> loops_;
  std::vector<int64_t> index_, trips_;
  std::array<int64_t, kNumDims> extent_{};
  std::array<Chain, kNumDims> chains_;
  std::array<std::vector<Range>, kNumDims> table_, top_table_;
  std::array<std::vector<int32_t>, kNumDims> combo_, top_combo_;
  std::array<char, kNumDims> dirty_{};
  int64_t pes_ = 1, top_units_ = 1, step_ = 0, top_step_ = 0;
  bool done_ = false;
};

}  // namespace baton::detail
