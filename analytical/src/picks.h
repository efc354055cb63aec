// Internal: the (unit combination, step entry, previous entry) picks of one dim that a group
// table sums over, per mode and advancing position (docs/ANALYTICAL.md, points 3 and 6).
#pragma once

#include <algorithm>
#include <cstdint>

#include "chains.h"

namespace baton::detail {

// kStep0: every PE's first step; kTransition: steps whose advancing loop is at position k;
// kFinal: every PE's last active step.
enum class Mode { kStep0, kTransition, kFinal };

// Selected entries of one dim for a mode/position: f(combo, step entry x, previous entry y, w)
// with w the number of top-level indices the pick stands for (chains.h: sparse chains).
template <class F>
void for_picks(const DimChain& c, Mode mode, int k, F&& f) {
  const int owner = mode == Mode::kTransition ? c.loop_at(k) : -1;
  const int jb = mode == Mode::kTransition ? c.loops_before(k) : 0;
  const int n = static_cast<int>(c.loops.size());
  const bool top_owner = owner == 0 && c.has_top;
  for (int64_t combo = 0; combo < c.combos; ++combo) {
    const EntryList list = c.list(combo);
    if (list.empty()) continue;
    if (mode == Mode::kStep0) {
      f(combo, list.front(), list.front(), 1.0);  // step 0 is every PE's first
      continue;
    }
    if (mode == Mode::kFinal) {
      f(combo, list.back(), list.back(), 1.0);
      continue;
    }
    if (owner < 0 && jb == n) {  // every loop of the dim is outside: x = y for every entry
      for (const auto& e : list) f(combo, e, e, double(c.top_w1[e.top]));
      continue;
    }
    for (size_t t = 0; t < list.size(); ++t) {
      const IdxView e = list[t].idx;
      if (owner >= 0) {
        if (e[owner] < 1) continue;
        bool zeros = true;
        for (int j = owner + 1; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        if (!top_owner) {
          f(combo, list[t], list[t - 1], double(c.top_w1[list[t].top]));
        } else if (list[t - 1].idx[0] == e[0] - 1) {  // x − 1 is listed
          f(combo, list[t], list[t - 1], double(c.top_w2[list[t].top]));
        }
      } else {
        bool zeros = true;
        for (int j = jb; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        size_t last = t;
        while (last + 1 < list.size() &&
               std::equal(e.begin(), e.begin() + jb, list[last + 1].idx.begin()))
          ++last;
        // jb = 0: the all-zero tuple (top-level index 0) after the list's last entry.
        f(combo, list[t], list[last], jb == 0 ? 1.0 : double(c.top_w1[list[t].top]));
      }
    }
  }
}

}  // namespace baton::detail
