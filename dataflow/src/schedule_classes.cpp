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

}  // namespace

void Schedule::compute_classes() {
  alignas(16) std::byte buf[8192];  // scratch: no allocation for the usual handful of classes
  std::pmr::monotonic_buffer_resource mem(buf, sizeof buf);
  Flat cur(&mem), next(&mem);
  std::pmr::vector<int64_t> cuts(&mem);
  std::pmr::vector<uint32_t> order(&mem);
  cur.lens.reserve(64), cur.cls.reserve(32), next.lens.reserve(64), next.cls.reserve(32);
  cuts.reserve(32), order.reserve(32);
  cls_.clear(), lens_.clear();
  cls_.reserve(4 * kNumDims), lens_.reserve(8 * kNumDims);
  std::array<bool, kNumDims> has_loops{};
  for (const Level& lvl : levels_)
    for (const Loop& lp : lvl.loops) has_loops[idx(lp.dim)] = true;
  for (Dim d : kAllDims) {
    cls_at_[idx(d)] = static_cast<uint32_t>(cls_.size());
    const auto at = static_cast<uint32_t>(lens_.size());
    if (!has_loops[idx(d)]) {  // held whole: one tuple, one length
      lens_.emplace_back(layer_.dim(d), 1);
      cls_.push_back({1, at, at + 1});
      continue;
    }
    cur.clear();
    cur.add(1);
    cur.add_len(layer_.dim(d), 1);
    for (const Level& lvl : levels_) {
      for (const Loop& lp : lvl.loops) {
        if (lp.dim != d) continue;
        next.clear();
        for (const Rec& c : cur.cls) {
          const LenPair *ob = cur.lens.data() + c.lo, *oe = cur.lens.data() + c.hi;
          if (lp.kind == LoopKind::kTemporal)
            split_temporal(ob, oe, lp.tile, c.w, cuts, next);
          else
            split_spatial(ob, oe, lp.tile, lvl.units, c.w, cuts, next);
        }
        merge_classes(next, order, cur);
      }
    }
    lens_.insert(lens_.end(), cur.lens.begin(), cur.lens.end());
    for (const Rec& c : cur.cls) cls_.push_back({c.w, at + c.lo, at + c.hi});
  }
  cls_at_[kNumDims] = static_cast<uint32_t>(cls_.size());
}

}  // namespace baton
