// Internal: rule 12 (L2 / DRAM) and rule 13 (runtime, NoC bandwidth) evaluated per class of
// top-level steps instead of per step (docs/ANALYTICAL.md points 8–10).
//
// Top-level steps with equal signatures around them (top_classes.h) have equal values: their
// global steps' V, C, W, RAW, their L2 tile sizes and deltas to the neighbouring top-level
// steps, their DRAM and slot times. One representative per class, weighted by the class size.
// When a PE can idle for a whole top-level step, the L2 tiles include idle PEs' kept tiles
// (IdleTiles) and the plan gives the loops end zones (plan_top with the short dims).
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

class Tables;
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
