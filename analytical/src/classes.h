// Internal: rule 12 (L2 / DRAM) and rule 13 (runtime, NoC bandwidth) evaluated per class of
// top-level steps instead of per step.
//
// Each top-level loop's index range (given the outer indices) is cut into classes: singletons
// within kRadius of 0, of the last index and of every unit's last active index, and the
// intervals between them. Inside an interval every tile is full and interior, so every value
// of a top-level step (its steps' V, C, W, RAW, its L2 tile sizes and deltas to the neighbouring
// top-level steps, the zero-ness flags) equals that of the interval's first index: one
// representative per class tuple, weighted by the product of the class sizes. Requires that no
// PE can be idle for a whole top-level step (idle PEs' kept tiles are history-dependent).
#pragma once

#include <optional>
#include <vector>

#include "chains.h"
#include "idle_tiles.h"
#include "l2.h"
#include "l2_tiles.h"
#include "profile_builder.h"
#include "steps.h"
#include "top_classes.h"

namespace baton::detail {

struct ClassedResult {
  L2Result l2;  // reads / writes per top-level step are left empty
  StepPassResult steps;
};

// nullopt when a PE can be idle for a whole top-level step (use exact_l2_pass/exact_step_pass).
std::optional<ClassedResult> classed_pass(const Schedule& s, const Chains& chains,
                                          const HardwareSpec& hw);
class Tables;
class L2Tiles;
struct TopClasses;
// `chains` must list the classes' top-level indices and their neighbours (build_chains(s) lists
// all; build_chains(s, &plan, mem) those of plan.classes) and `tiles` (built on them) must not
// report idle_possible().
// prof (may be null) receives the slots and top-level steps (RuntimeProfile).
ClassedResult classed_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                           Tables& tables, const TopClasses& classes, const L2Tiles& tiles,
                           Mem* mem, ProfileBuilder* prof = nullptr);
// The same when a PE can idle for a whole top-level step: `chains` and `classes` from
// plan_top(s, mem, &short dims), `tiles` built on them (docs/ANALYTICAL.md point 10).
ClassedResult classed_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                           Tables& tables, const TopClasses& classes, const IdleTiles& tiles,
                           Mem* mem, ProfileBuilder* prof = nullptr);

// What the class pass needs: the plan, chains listing its top-level indices (sparse), the L2
// tiles. With idle PEs the plan is redone with the short dims' end zones (plan_top). Built in
// place (the tiles point into the chains); ok() false when only the exact passes apply.
class ClassSetup {
 public:
  ClassSetup(const Schedule& s, Mem* mem);
  ClassSetup(const ClassSetup&) = delete;
  ClassSetup& operator=(const ClassSetup&) = delete;
  bool ok() const { return ok_; }
  bool idle() const { return idle_.has_value(); }
  const Chains& chains() const { return chains_; }
  ClassedResult run(const Schedule& s, const HardwareSpec& hw, Tables& tables, Mem* mem,
                    ProfileBuilder* prof = nullptr) const;

 private:
  TopPlan plan_;
  Chains chains_;
  std::optional<L2Tiles> tiles_;
  std::optional<IdleTiles> idle_;
  bool ok_ = false;
};

}  // namespace baton::detail
