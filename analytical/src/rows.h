// Internal: sets of window rows (or of a dim's positions) as sorted disjoint intervals, used by the
// window group tables (tables.cpp) and the L2 tiles of idle PEs (idle_tiles.cpp).
#pragma once

#include <algorithm>
#include <cstdint>

#include "arena.h"
#include "baton/dataflow/step_walker.h"

namespace baton::detail {

struct Iv {
  int64_t lo, hi;
};
using Rows = Vec<Iv>;

// {p·σ + r : p ∈ P, r ∈ R}, appended to `out` (sorted, disjoint).
inline void window_rows(const Range& p, const Range& r, int64_t sigma, Rows& out) {
  if (p.size() <= 0 || r.size() <= 0) return;
  if (r.size() >= sigma || p.size() <= 1) {
    out.push_back({p.lo * sigma + r.lo, (p.hi - 1) * sigma + r.hi});
    return;
  }
  for (int64_t a = p.lo; a < p.hi; ++a) out.push_back({a * sigma + r.lo, a * sigma + r.hi});
}
inline int64_t size_of(const Iv* a, size_t n) {
  int64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += a[i].hi - a[i].lo;
  return s;
}
inline int64_t size_of(const Rows& a) { return size_of(a.data(), a.size()); }
// |a ∩ b| of two sorted disjoint lists.
inline int64_t common(const Iv* a, size_t na, const Iv* b, size_t nb) {
  int64_t n = 0;
  for (size_t i = 0, j = 0; i < na && j < nb;) {
    n += std::max<int64_t>(0, std::min(a[i].hi, b[j].hi) - std::max(a[i].lo, b[j].lo));
    if (a[i].hi < b[j].hi) ++i;
    else ++j;
  }
  return n;
}
inline int64_t common(const Rows& a, const Rows& b) {
  return common(a.data(), a.size(), b.data(), b.size());
}
// a ∩ b of two sorted disjoint lists, appended to `out` (which must not alias a or b).
inline void intersect(const Iv* a, size_t na, const Iv* b, size_t nb, Rows& out) {
  for (size_t i = 0, j = 0; i < na && j < nb;) {
    const int64_t lo = std::max(a[i].lo, b[j].lo), hi = std::min(a[i].hi, b[j].hi);
    if (lo < hi) out.push_back({lo, hi});
    if (a[i].hi < b[j].hi) ++i;
    else ++j;
  }
}
// a \ b of two sorted disjoint lists, appended to `out`.
inline void subtract(const Rows& a, const Rows& b, Rows& out) {
  size_t j = 0;
  for (const Iv& v : a) {
    int64_t lo = v.lo;
    while (j < b.size() && b[j].hi <= lo) ++j;
    for (size_t k = j; k < b.size() && b[k].lo < v.hi; ++k) {
      if (b[k].lo > lo) out.push_back({lo, b[k].lo});
      lo = std::max(lo, b[k].hi);
    }
    if (lo < v.hi) out.push_back({lo, v.hi});
  }
}
// Sorts u[from, end) and merges overlapping or touching intervals in place (the list then ends
// at the returned size).
inline size_t normalize(Rows& u, size_t from = 0) {
  auto by_lo = [](const Iv& x, const Iv& y) { return x.lo < y.lo; };
  if (!std::is_sorted(u.begin() + from, u.end(), by_lo)) std::sort(u.begin() + from, u.end(), by_lo);
  size_t w = from;
  for (size_t i = from; i < u.size(); ++i) {
    if (w > from && u[i].lo <= u[w - 1].hi) {
      u[w - 1].hi = std::max(u[w - 1].hi, u[i].hi);
    } else {
      u[w++] = u[i];
    }
  }
  u.resize(w);
  return w;
}
// |∪ u| of possibly overlapping intervals (sorted in place).
inline int64_t union_size(Rows& u) {
  auto by_lo = [](const Iv& x, const Iv& y) { return x.lo < y.lo; };
  if (!std::is_sorted(u.begin(), u.end(), by_lo)) std::sort(u.begin(), u.end(), by_lo);
  int64_t n = 0, hi = INT64_MIN;
  for (const Iv& v : u) {
    if (v.hi <= hi) continue;
    n += v.hi - std::max(v.lo, hi);
    hi = v.hi;
  }
  return n;
}

}  // namespace baton::detail
