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

// The definition of the picks, one mode / position at a time. The model builds its tables with
// for_all_picks below (every variant in one pass); tests/analytical/tables_test.cpp keeps this
// one as the oracle that for_all_picks must reproduce.
// Selected entries of one dim for a mode/position: f(combo, step entry x, previous entry y, w)
// with w the number of top-level indices the pick stands for (chains.h: sparse chains).
// A transition is given by the chain loop owning its position (owner, or -1) and the number of
// the dim's loops before it (jb).
template <class F>
void for_picks(const DimChain& c, Mode mode, int owner, int jb, F&& f) {
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

template <class F>
void for_picks(const DimChain& c, Mode mode, int k, F&& f) {
  const bool tr = mode == Mode::kTransition;
  for_picks(c, mode, tr ? c.loop_at(k) : -1, tr ? c.loops_before(k) : 0, f);
}

// Every variant's picks of one dim in one pass over its entries, instead of one pass per variant
// (the lists are short: the per-pass overhead dominates). Variants (Tables): v < n transitions
// owned by chain loop v, n + jb transitions with jb of the dim's loops before the position,
// 2n + 1 step 0, 2n + 2 final; a dim without loops has the single variant 0, with step 0's picks
// (the same in every mode). f(v, combo, x, y, w) receives each variant's picks in for_picks order.
// The first n indices of a and b agree (a loop, not std::equal's memcmp call: n is tiny).
inline bool same_prefix(const IdxView& a, const IdxView& b, int n) {
  for (int j = 0; j < n; ++j)
    if (a[j] != b[j]) return false;
  return true;
}

template <class F>
void for_all_picks(const DimChain& c, F&& f) {
  const int n = static_cast<int>(c.loops.size());
  for (int64_t combo = 0; combo < c.combos; ++combo) {
    const EntryList list = c.list(combo);
    if (list.empty()) continue;
    if (n == 0) {
      f(0, combo, list.front(), list.front(), 1.0);
      continue;
    }
    f(2 * n + 1, combo, list.front(), list.front(), 1.0);
    f(2 * n + 2, combo, list.back(), list.back(), 1.0);
    for (size_t t = 0; t < list.size(); ++t) {
      const ChainEntry& x = list[t];
      const IdxView e = x.idx;
      // An entry is picked by the owner of its last nonzero index (that loop advanced), and by
      // every jb past it (the dim's loops from jb on are all at 0).
      int nz = n - 1;
      while (nz >= 0 && e[nz] == 0) --nz;
      if (nz >= 0 && e[nz] >= 1) {
        if (nz != 0 || !c.has_top) {
          f(nz, combo, x, list[t - 1], double(c.top_w1[x.top]));
        } else if (list[t - 1].idx[0] == e[0] - 1) {
          f(0, combo, x, list[t - 1], double(c.top_w2[x.top]));
        }
      }
      // Shorter prefixes run at least as far: scan jb downwards, extending `last`.
      size_t last = t;
      for (int jb = n - 1; jb > nz; --jb) {
        while (last + 1 < list.size() && same_prefix(e, list[last + 1].idx, jb)) ++last;
        f(n + jb, combo, x, list[last], jb == 0 ? 1.0 : double(c.top_w1[x.top]));
      }
      f(2 * n, combo, x, x, double(c.top_w1[x.top]));
    }
  }
}

}  // namespace baton::detail
