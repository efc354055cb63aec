// Internal: one step's plan from explicit element sets (DIRECTIVES rules 8–11), the way the
// reference counter sees it: per active PE its new tile minus what its L1 holds, partial sums
// leaving and entering, grouped into packets by PE set. Used for every step whose translate was
// not planned before (and for the final drain).
#pragma once

#include <vector>

#include "memo.h"
#include "sets.h"

namespace baton::detail {

// Per-PE element sets -> parts: grouped by the set of PEs holding each element when `share`,
// else one part per PE (PE order); ids made relative by subtracting `off`.
void packetise(const std::vector<Set>& per_pe, bool share, int64_t off, PeSets& sets,
               std::vector<Part>& out);

// `held[p]`: the tile PE p holds before the step (null: nothing). `off`: id shift per tensor.
StepEntry plan_explicit(const LayerSpec& L, bool multicast, bool reduction,
                        const std::vector<PeTile>& tiles, const std::vector<const PeTile*>& held,
                        const std::array<int64_t, 3>& off, PeSets& sets, Profiles& profiles);

}  // namespace baton::detail
