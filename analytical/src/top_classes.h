// Internal: the top-level steps grouped into classes of identical behaviour (rule 12/13 pass).
//
// Top-level loops have constant trip counts (one top-level loop per dim, full extents). Along a
// top-level loop on dim d, index x has a *signature*: every unit combination's chain entries
// under x, translated by x's tile origin, plus "x = 0" when d is not an output dim (read-backs
// and DRAM revisits depend on that). Two top-level steps behave identically (same global-step
// values, L2 tiles and deltas to their neighbours, DRAM and slot times) when their
// neighbourhoods have equal signatures. With L the innermost loop of ≥ 2 trips, a top-level step
// is entered by advancing loop a_in and left by advancing a_out, and exactly one holds:
//   x_L ∈ [1, n_L − 2]:  a_in = a_out = L; L's (x−1, x, x+1) signatures matter, the other
//                        loops only through their own signature;
//   x_L = 0:             a_out = L; a_in = a (the innermost non-zero loop, or none): a's
//                        (x−1, x) signatures, loops between a and L fixed at 0;
//   x_L = n_L − 1:       a_in = L; a_out = a (innermost loop not at its last index, or none):
//                        a's (x, x+1) signatures, loops between fixed at their last index;
// loops outside the named ones are free (one class per signature). So the classes are the
// products of these per-loop classes; each class is represented by one actual top-level step.
#pragma once

#include <cstdint>
#include <vector>

#include "chains.h"

namespace baton::detail {

struct TopClasses {
  int loops = 0;               // top-level loops
  std::vector<int64_t> index;  // [class * loops + k]: a representative top-level step
  std::vector<int64_t> count;  // [class]: top-level steps it stands for
  size_t size() const { return count.size(); }
  const int64_t* at(size_t c) const { return index.data() + c * loops; }
};

// Requires one top-level loop per dim (L2Tiles::idle_possible() false).
TopClasses top_classes(const Schedule& s, const std::vector<DimChain>& chains);

}  // namespace baton::detail
