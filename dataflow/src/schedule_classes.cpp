// Schedule::compute_classes: each dimension's classes of index tuples with equal per-unit tile
// lengths (schedule.h, DimClass), split loop by loop down the dimension's chain.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>
#include <utility>
#include <vector>

#include "baton/dataflow/schedule.h"

namespace baton {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t clamp_len(int64_t x, int64_t start, int64_t t) {
  return std::max<int64_t>(0, std::min(t, x - start));
}
// Classes of a dim under construction, flat: each class a range of (length, unit combinations)
// pairs, by ascending length, lengths distinct. Scratch lives in a stack buffer (no allocation
// for the usual handful of classes).
using LenPair = std::pair<int64_t, int64_t>;
struct Rec {
  int64_t w = 0;  // index tuples
  uint32_t lo = 0, hi = 0;
};
struct Flat {
  explicit Flat(std::pmr::memory_resource* m) : lens(m), cls(m) {}
  std::pmr::vector<LenPair> lens;
  std::pmr::vector<Rec> cls;
  void clear() { lens.clear(), cls.clear(); }
  Rec& add(int64_t w) {
    const auto at = static_cast<uint32_t>(lens.size());
    cls.push_back({w, at, at});
    return cls.back();
  }
  // Adds c unit combinations of length len to the last class.
  void add_len(int64_t len, int64_t c) {
    Rec& r = cls.back();
    auto b = lens.begin() + r.lo, e = lens.end();
    auto it = std::lower_bound(b, e, len, [](const LenPair& x, int64_t v) { return x.first < v; });
    if (it != e && it->first == len) it->second += c;
    else lens.insert(it, {len, c}), r.hi = static_cast<uint32_t>(lens.size());
  }
};

int64_t max_len(const LenPair* b, const LenPair* e) {
  int64_t best = 0;
  for (; b != e; ++b)
    if (b->second > 0) best = std::max(best, b->first);
  return best;
}

// Sorted distinct cut points.
template <class V>
void finish_cuts(V& cuts) {
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
}

// Index classes of a temporal loop of tile t over unit lengths [ob, oe): [a, b) -> new lengths.
template <class V>
void split_temporal(const LenPair* ob, const LenPair* oe, int64_t t, int64_t w, V& cuts,
                    Flat& out) {
  if (oe - ob == 1 && ob->second > 0) {  // one length x: full tiles, then at most one edge tile
    const int64_t x = ob->first, c = ob->second, n = ceil_div(x, t), full = x % t ? n - 1 : n;
    if (full > 0) out.add(w * full), out.add_len(t, c);
    if (full < n) out.add(w), out.add_len(x - full * t, c);
    return;
  }
  const int64_t n = ceil_div(max_len(ob, oe), t);
  cuts.clear();
  cuts.push_back(0), cuts.push_back(n);
  for (const LenPair* p = ob; p != oe; ++p) {
    const int64_t b = p->first / t;
    if (b < n) cuts.push_back(b);
    if (b + 1 < n) cuts.push_back(b + 1);
  }
  finish_cuts(cuts);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const int64_t a = cuts[i], b = cuts[i + 1];
    out.add(w * (b - a));
    for (const LenPair* p = ob; p != oe; ++p) out.add_len(clamp_len(p->first, a * t, t), p->second);
  }
}

// Fold classes of a spatial loop of tile t over U units.
template <class V>
void split_spatial(const LenPair* ob, const LenPair* oe, int64_t t, int64_t U, int64_t w,
                   V& cuts, Flat& out) {
  if (oe - ob == 1 && ob->second > 0) {  // one length x: folds of U full tiles, then one fold
    // holding the rest (b full tiles in all; a later fold cannot exist: F ≤ b / U + 1)
    const int64_t x = ob->first, c = ob->second, b = x / t, fb = b / U;
    const int64_t F = ceil_div(ceil_div(x, t), U);
    if (std::min(fb, F) > 0) out.add(w * std::min(fb, F)), out.add_len(t, c * U);
    if (fb < F) {
      const int64_t full = b - fb * U, partial = x % t > 0 ? 1 : 0;
      out.add(w);
      if (full) out.add_len(t, c * full);
      if (partial) out.add_len(x % t, c);
      if (U - full - partial) out.add_len(0, c * (U - full - partial));
    }
    return;
  }
  const int64_t n = ceil_div(max_len(ob, oe), t), F = ceil_div(n, U);
  cuts.clear();
  cuts.push_back(0), cuts.push_back(F);
  for (const LenPair* p = ob; p != oe; ++p) {
    const int64_t f = (p->first / t) / U;
    if (f < F) cuts.push_back(f);
    if (f + 1 < F) cuts.push_back(f + 1);
  }
  finish_cuts(cuts);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const int64_t f = cuts[i], count = cuts[i + 1] - f;
    out.add(w * count);
    // In fold f the units fall in three groups: full tiles, at most one partial, idle.
    for (const LenPair* p = ob; p != oe; ++p) {
      const int64_t x = p->first, c = p->second;
      const int64_t b = x / t;  // tiles [0, b) are full, tile b has x mod t
      const int64_t full = std::clamp<int64_t>(b - f * U, 0, U);
      const int64_t partial = (x % t > 0 && b >= f * U && b < f * U + U) ? 1 : 0;
      if (full) out.add_len(t, c * full);
      if (partial) out.add_len(x % t, c * partial);
      if (U - full - partial) out.add_len(0, c * (U - full - partial));
    }
  }
}

// The classes of `in` with equal lengths merged (weights summed), ordered by their lengths,
// into `out`.
template <class V>
void merge_classes(const Flat& in, V& order, Flat& out) {
  out.clear();
  if (in.cls.size() == 1) {  // nothing to sort or merge
    out.lens = in.lens;
    out.cls = in.cls;
    return;
  }
  order.resize(in.cls.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  const LenPair* L = in.lens.data();
  auto less = [&](uint32_t a, uint32_t b) {
    const Rec &x = in.cls[a], &y = in.cls[b];
    return std::lexicographical_compare(L + x.lo, L + x.hi, L + y.lo, L + y.hi);
  };
  std::sort(order.begin(), order.end(), less);
  out.clear();
  for (const uint32_t i : order) {
    const Rec& r = in.cls[i];
    if (!out.cls.empty()) {
      const Rec& last = out.cls.back();
      if (std::equal(L + r.lo, L + r.hi, out.lens.data() + last.lo, out.lens.data() + last.hi)) {
        out.cls.back().w += r.w;
        continue;
      }
    }
    out.add(r.w);
    out.lens.insert(out.lens.end(), L + r.lo, L + r.hi);
    out.cls.back().hi = static_cast<uint32_t>(out.lens.size());
  }
}

// One loop applied to a dim that is one class (weight w) of c units all of length x: true when
// the result is again one such class (w, x, c updated; the general split gives the same class),
// false when it would split (the general path takes over from the unchanged state).
bool one_class_step(const Loop& lp, int64_t units, int64_t& w, int64_t& x, int64_t& c) {
  const int64_t t = lp.tile;
  if (x <= 0 || c <= 0) return false;
  if (lp.kind == LoopKind::kTemporal) {
    if (x <= t) return true;  // one tile of length x
    if (x % t) return false;  // an edge tile
    w *= x / t, x = t;
    return true;
  }
  const int64_t b = x / t;  // spatial: b full tiles, folds of `units` tiles each
  if (x % t || b % units) return false;  // an edge tile or a partial fold
  w *= b / units, x = t, c *= units;
  return true;
}

// A temporal loop whose tile holds every class's longest unit leaves the classes unchanged
// (one tile each, lengths kept); a class with no unit of length > 0 would vanish instead.
bool temporal_noop(const Flat& cur, int64_t t) {
  for (const Rec& c : cur.cls) {
    int64_t longest = 0, longest_active = 0;
    for (uint32_t i = c.lo; i < c.hi; ++i) {
      longest = std::max(longest, cur.lens[i].first);
      if (cur.lens[i].second > 0) longest_active = std::max(longest_active, cur.lens[i].first);
    }
    if (longest > t || longest_active < 1) return false;
  }
  return true;
}

// The classes of dim d from one class (w, x, c) before loop `from_loop` of level `from_level`,
// split by every later loop on d; `done` receives them.
template <class Done>
void split_dim(const std::vector<Level>& levels, Dim d, int from_level, int from_loop, int64_t w,
               int64_t x, int64_t c, bool general, Done&& done) {
  alignas(16) std::byte buf[8192];  // scratch: no allocation for the usual handful of classes
  std::pmr::monotonic_buffer_resource mem(buf, sizeof buf);
  Flat cur(&mem), next(&mem);
  std::pmr::vector<int64_t> cuts(&mem);
  std::pmr::vector<uint32_t> order(&mem);
  cur.lens.reserve(64), cur.cls.reserve(32), next.lens.reserve(64), next.cls.reserve(32);
  cuts.reserve(32), order.reserve(32);
  cur.add(w);
  cur.add_len(x, c);
  for (size_t l = static_cast<size_t>(from_level); l < levels.size(); ++l) {
    const Level& lvl = levels[l];
    const size_t k0 = l == static_cast<size_t>(from_level) ? static_cast<size_t>(from_loop) : 0;
    for (size_t k = k0; k < lvl.loops.size(); ++k) {
      const Loop& lp = lvl.loops[k];
      if (lp.dim != d) continue;
      if (lp.kind == LoopKind::kTemporal && !general && temporal_noop(cur, lp.tile)) continue;
      next.clear();
      for (const Rec& r : cur.cls) {
        const LenPair *ob = cur.lens.data() + r.lo, *oe = cur.lens.data() + r.hi;
        if (lp.kind == LoopKind::kTemporal)
          split_temporal(ob, oe, lp.tile, r.w, cuts, next);
        else
          split_spatial(ob, oe, lp.tile, lvl.units, r.w, cuts, next);
      }
      merge_classes(next, order, cur);
    }
  }
  done(cur);
}

}  // namespace

void Schedule::compute_classes(bool general) {
  cls_.clear(), lens_.clear();
  steps_ = 1, macs_ = 1, peak_ = 1, active_sum_ = 1.0, one_max_ = 1;
  // Pass 1, every loop in order: each dim stays one class (w, x, c) while the one-class step
  // applies; at the first loop that splits it, the dim's state and position are kept for the
  // general split (pass 2).
  std::array<int64_t, kNumDims> w, x, c;
  std::array<int, kNumDims> split_level, split_loop;
  split_level.fill(-1);
  w.fill(1), c.fill(1);
  x = layer_.extent;
  std::array<int64_t, kNumDims> min_tile = layer_.extent;
  int split = 0;  // dims that pass 2 splits
  const size_t nlevels = levels_.size();
  for (size_t l = 0; l < nlevels; ++l) {
    const Level& lvl = levels_[l];
    const size_t nloops = lvl.loops.size();
    for (size_t k = 0; k < nloops; ++k) {
      const Loop& lp = lvl.loops[k];
      const int i = idx(lp.dim);
      min_tile[i] = std::min(min_tile[i], lp.tile);
      if (split_level[i] >= 0) continue;
      if (!general && one_class_step(lp, lvl.units, w[i], x[i], c[i])) continue;
      split_level[i] = static_cast<int>(l), split_loop[i] = static_cast<int>(k), ++split;
    }
  }
  min_tile_ = min_tile;
  // Pass 2, dim by dim: one-class dims directly, the others split loop by loop from where
  // pass 1 stopped.
  if (split == 0) {  // every dim one class: inline (products in locals, stored once)
    int64_t steps = 1, macs = 1, peak = 1, one_max = 1;
    double active = 1.0;
    for (int i = 0; i < kNumDims; ++i) {
      const int64_t wi = w[i], xi = x[i], ci = c[i];
      const int64_t units = xi > 0 ? ci : 0, longest = ci > 0 ? xi : 0;
      one_len_[i] = {xi, ci};
      one_[i] = {wi, uint32_t(i), uint32_t(i + 1), longest};
      cls_at_[i] = static_cast<uint32_t>(i);
      steps *= wi, macs *= wi * (xi * ci), peak *= units, one_max *= longest;
      active *= double(wi) * double(units);  // 0 + one term: the same double
    }
    cls_at_[kNumDims] = kNumDims;
    steps_ = steps, macs_ = macs, peak_ = peak, one_max_ = one_max, active_sum_ = active;
    return;
  }
  cls_.reserve(2 * kNumDims), lens_.reserve(2 * kNumDims);
  for (Dim d : kAllDims) {
    const int i = idx(d);
    if (split_level[i] < 0) {  // add_dim_classes for one class, one length
      const int64_t units = x[i] > 0 ? c[i] : 0;
      const auto at = static_cast<uint32_t>(lens_.size());
      cls_at_[i] = static_cast<uint32_t>(cls_.size());
      lens_.emplace_back(x[i], c[i]);
      cls_.push_back({w[i], at, at + 1, c[i] > 0 ? x[i] : 0});
      cls_at_[i + 1] = cls_at_[i] + 1;
      steps_ *= w[i], macs_ *= w[i] * (x[i] * c[i]), peak_ *= units;
      active_sum_ *= double(w[i]) * double(units);  // 0 + one term: the same double
      continue;
    }
    split_dim(levels_, d, split_level[i], split_loop[i], w[i], x[i], c[i], general,
              [&](const Flat& f) {
                alignas(16) std::byte buf[2048];
                std::pmr::monotonic_buffer_resource mem(buf, sizeof buf);
                std::pmr::vector<ClassRec> recs(&mem);  // the same ranges, relative to f.lens
                recs.reserve(f.cls.size());
                for (const Rec& r : f.cls) recs.push_back({r.w, r.lo, r.hi, 0});
                add_dim_classes(d, recs.data(), recs.data() + recs.size(), f.lens.data());
              });
  }
}

}  // namespace baton
