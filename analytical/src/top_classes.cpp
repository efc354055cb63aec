#include "top_classes.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace baton::detail {
namespace {

// Signatures of one top-level loop: x = 0 -> first; the last g indices each their own (g = 1 for
// a different last tile; more with idle PEs, top_classes.h); else 0 (interior).
struct LoopSig {
  int k = 0;
  Dim dim = Dim::K;
  int64_t n = 1;
  int first = 0;
  int64_t g = 0;         // with idle PEs: the end zone (top_classes.h)
  int64_t g0 = 0;        // without: 1 when the last tile differs
  bool is_short = false;  // the loop's dim has short units
  int64_t at(int64_t x) const { return (x == 0 ? first : 0) | (x >= n - g ? (n - x) << 2 : 0); }
};

// (first index, count) per class: the interior block and the indices near both ends. Only
// [0, size) is initialised and copied (plan_top keeps dozens of these).
struct Classes {
  static constexpr int kMax = 40;  // ≥ kMaxEndZone + 5: the classes of one loop
  struct Class {
    int64_t x, cnt;
  };
  std::array<Class, kMax> c;
  int size = 0;
  bool overflow = false;
  Classes() {}  // NOLINT: c stays uninitialised
  Classes(const Classes& o) : size(o.size), overflow(o.overflow) {
    std::copy(o.c.begin(), o.c.begin() + o.size, c.begin());
  }
  Classes& operator=(const Classes& o) {
    size = o.size, overflow = o.overflow;
    std::copy(o.c.begin(), o.c.begin() + o.size, c.begin());
    return *this;
  }
  const Class* begin() const { return c.data(); }
  const Class* end() const { return c.data() + size; }
};

// Adds x (standing for cnt indices) to the class of its key; a new key opens a class (overflow
// when there are more than Classes::kMax).
struct ClassAdder {
  Classes& out;
  std::array<int64_t, Classes::kMax> keys;  // [0, out.size) set
  explicit ClassAdder(Classes& o) : out(o) {}
  void add(int64_t x, int64_t cnt, int64_t key) {
    int i = 0;
    while (i < out.size && keys[i] != key) ++i;
    if (i == out.size) {
      if (out.size == Classes::kMax) {
        out.overflow = true;
        return;
      }
      keys[out.size] = key, out.c[out.size++] = {x, 0};
    }
    out.c[i].cnt += cnt;
  }
};

// Classes of x ∈ [lo, hi) by the signatures of x + d, d ∈ [d0, d1]. Indices in
// [2, n − max(g, 1) − 1) see only interior signatures within distance 1: one block.
Classes classes_of(const LoopSig& l, int64_t lo, int64_t hi, int d0, int d1) {
  Classes out;
  // A signature is below 2^7 (end zones ≤ kMaxEndZone): the window's signatures packed in bytes.
  static_assert(((kMaxEndZone + 1) << 2) < 256, "signatures fit a byte");
  ClassAdder adder(out);
  auto add = [&](int64_t x, int64_t cnt) {
    int64_t key = 0;
    for (int d = d0; d <= d1; ++d) key = key << 8 | l.at(x + d);
    adder.add(x, cnt, key);
  };
  const int64_t b0 = std::max<int64_t>(lo, 2);
  const int64_t b1 = std::min<int64_t>(hi, l.n - std::max<int64_t>(l.g, 1) - 1);
  for (int64_t x = lo; x < std::min(hi, b0); ++x) add(x, 1);
  if (b0 < b1) add(b0, b1 - b0);
  for (int64_t x = std::max(lo, b0 < b1 ? b1 : b0); x < hi; ++x) add(x, 1);
  return out;
}

// The classes of one loop for every window at once (one signature evaluation per index and
// distance instead of one per window): all (x ∈ [0, n), by x), pairs (x ∈ [1, n), by x−1, x),
// outs (x ∈ [0, n−1), by x, x+1) and, when `both` is set, x ∈ [1, n−1) by x−1, x, x+1. The same
// classes, representatives and counts as classes_of with those ranges and windows: every range
// visits 0 and 1 (where inside), the interior block at 2, then every index from the block's end.
void loop_classes(const LoopSig& l, Classes& all, Classes& pairs, Classes& outs, Classes* both) {
  all.size = pairs.size = outs.size = 0;
  all.overflow = pairs.overflow = outs.overflow = false;
  ClassAdder a(all), p(pairs), o(outs);
  std::optional<ClassAdder> b;
  if (both) both->size = 0, both->overflow = false, b.emplace(*both);
  const int64_t n = l.n;
  const int64_t b1 = n - std::max<int64_t>(l.g, 1) - 1;
  auto visit = [&](int64_t x, int64_t cnt) {
    const int64_t sm = l.at(x - 1), sx = l.at(x), sp = l.at(x + 1);
    a.add(x, cnt, sx);
    if (x >= 1) p.add(x, cnt, sm << 8 | sx);
    if (x < n - 1) {
      o.add(x, cnt, sx << 8 | sp);
      if (b && x >= 1) b->add(x, cnt, (sm << 8 | sx) << 8 | sp);
    }
  };
  for (int64_t x = 0; x < std::min<int64_t>(n, 2); ++x) visit(x, 1);
  if (2 < b1) visit(2, b1 - 2);
  for (int64_t x = std::max<int64_t>(2, b1); x < n; ++x) visit(x, 1);
}

// A small set of top-level indices of a loop of n trips: the indices plan_top lists lie near
// both ends (class representatives and their neighbours), kept as two bit masks (x < 64 and
// n − 1 − x < 64); any other index goes to a short list.
struct Need {
  int64_t n = 1;
  uint64_t lo = 0, hi = 0;
  std::array<int64_t, TopDim::kMax> mid;  // [0, nmid) set
  int nmid = 0;
  bool overflow = false;
  void add(int64_t v) {
    if (v >= 0 && v < 64) {
      lo |= uint64_t{1} << v;
    } else if (v >= 0 && v < n && n - 1 - v < 64) {
      hi |= uint64_t{1} << (n - 1 - v);
    } else {
      for (int i = 0; i < nmid; ++i)
        if (mid[i] == v) return;
      if (nmid == TopDim::kMax) overflow = true;
      else mid[nmid++] = v;
    }
  }
  int size() const { return bits(lo) + bits(hi) + nmid; }
  static int bits(uint64_t v) {  // (inline: the builtin is a library call without popcnt)
    v = v - ((v >> 1) & 0x5555555555555555ULL);
    v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return static_cast<int>((v * 0x0101010101010101ULL) >> 56);
  }
  // The indices in ascending order (size() ≤ TopDim::kMax).
  void sorted(int64_t* out) const {
    int k = 0;
    for (uint64_t m = lo; m; m &= m - 1) out[k++] = __builtin_ctzll(m);
    for (int i = 0; i < nmid; ++i) out[k++] = mid[i];
    for (uint64_t m = hi; m;) {
      const int b = 63 - __builtin_clzll(m);
      out[k++] = n - 1 - b;
      m ^= uint64_t{1} << b;
    }
    if (nmid > 0) std::sort(out, out + k);
  }
};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Idle PEs (top_classes.h): the end zone of top-level loop k, the indices whose L2 tiles can
// relate to kept tiles (at n − 1, and n − 2 when the loop has short units) other than by being
// disjoint. Non-window dims: those indices. A window coordinate's rows {p·σ + r} of two tiles
// lie in spans of width w = (s_a − 1)·σ + s_b (s: the top-level step along the dim, the extent
// without a top-level loop of ≥ 2 trips) shifted by Δ_a·s_a·σ + Δ_b·s_b for index distances Δ;
// the partner's Δ is ≥ −1 in every comparison the class pass makes (0 without a loop), so
// tiles D = ⌈(w + s_b)/(s_a·σ)⌉ apart along a (⌈(w + s_a·σ)/s_b⌉ along b) are disjoint, and
// the zone is the D indices before n − 1 (D + 1 before n − 2).
int64_t end_zone(const Schedule& s, int k, bool is_short) {
  const LayerSpec& L = s.layer();
  const Level& top = s.levels().front();
  const Dim d = top.loops[k].dim;
  auto loop = [&](Dim x) -> const Loop* {
    for (const Loop& lp : top.loops)
      if (lp.dim == x && lp.trips >= 2) return &lp;
    return nullptr;
  };
  auto step = [&](Dim x) {
    const Loop* lp = loop(x);
    return !lp ? L.dim(x) : lp->kind == LoopKind::kSpatial ? lp->tile * top.units : lp->tile;
  };
  int64_t far = 1;  // tiles this many indices apart are disjoint
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput}) {
    if (!L.has_tensor(t)) continue;
    for (const TensorCoord& c : L.coords(t)) {
      if (!c.b || (c.a != d && *c.b != d)) continue;
      const int64_t sa = step(c.a), sb = step(*c.b), sg = c.stride;
      const int64_t w = (sa - 1) * sg + sb;
      far = std::max(far, c.a == d ? ceil_div(w + (loop(*c.b) ? sb : 0), sa * sg)
                                   : ceil_div(w + (loop(c.a) ? sa * sg : 0), sb));
    }
  }
  return far + (is_short ? 1 : 0);
}

}  // namespace

TopPlan plan_top(const Schedule& s, Mem* mem, const DimMask* idle) {
  const LayerSpec& L = s.layer();
  const Level& top = s.levels().front();
  TopPlan plan(mem);
  TopClasses& res = plan.classes;
  res.loops = static_cast<int>(top.loops.size());
  // Loops with at least two trips, outer to inner.
  std::array<LoopSig, kNumDims> nt;
  size_t m = 0;
  std::array<int, kNumDims> seen{};
  const DimMask output_dim = tensor_dims(L, Tensor::kOutput);
  // Listed indices per loop: every class representative, its neighbouring top-level steps (the
  // class pass looks at both), and the representatives of the weight classes.
  std::array<Need, kNumDims> need;
  int first_short = res.loops;  // position of the outermost top-level loop with idle units
  for (int k = 0; k < res.loops; ++k)
    if (idle && (*idle)[idx(top.loops[k].dim)]) first_short = std::min(first_short, k);
  for (int k = 0; k < res.loops; ++k) {
    const Loop& lp = top.loops[k];
    if (++seen[idx(lp.dim)] > 1) return plan;  // several top-level loops on one dim
    if (lp.trips < 2) continue;
    need[m].n = lp.trips;
    LoopSig& l = nt[m++];
    l.k = k, l.dim = lp.dim, l.n = lp.trips;
    l.first = output_dim[idx(lp.dim)] ? 0 : 2;
    l.g = l.g0 = last_index_differs(lp, top.units) ? 1 : 0;
    if (k >= first_short) {
      l.is_short = (*idle)[idx(lp.dim)];
      l.g = std::min(l.n, end_zone(s, k, l.is_short));
      if (l.g > kMaxEndZone) return plan;  // too many classes: the exact passes
    }
  }
  plan.ok = true;
  std::array<int64_t, 64> cur;  // [0, res.loops) used
  if (res.loops > static_cast<int>(cur.size())) throw std::logic_error("plan_top: loops");
  std::fill_n(cur.begin(), res.loops, 0);
  res.count.reserve(32);  // a typical layer's classes without regrowth
  res.index.reserve(32 * static_cast<size_t>(res.loops));
  std::array<int, kNumDims> pos;      // nt[j].k
  std::array<int64_t, kNumDims> last_x;  // nt[j].n − 1
  for (size_t j = 0; j < m; ++j) pos[j] = nt[j].k, last_x[j] = nt[j].n - 1;
  auto emit = [&](int64_t count) {
    res.index.insert(res.index.end(), cur.begin(), cur.begin() + res.loops);
    res.count.push_back(count);
    // The step's own indices and both ends of every loop are listed up front (below): of the
    // previous and next top-level steps only the innermost loop that moves adds an index (the
    // outer ones keep theirs, the inner ones wrap to an end).
    size_t i = m;
    while (i > 0 && cur[pos[i - 1]] == 0) --i;
    if (i > 0) need[i - 1].add(cur[pos[i - 1]] - 1);
    i = m;
    while (i > 0 && cur[pos[i - 1]] == last_x[i - 1]) --i;
    if (i > 0) need[i - 1].add(cur[pos[i - 1]] + 1);
  };
  if (m == 0) {
    emit(1);
    return plan;
  }
  // Per loop: classes of every index (free loops; w1), of (x−1, x) for x ≥ 1 (entered by the
  // loop; w2) and of (x, x+1) for x < n − 1 (left by the loop).
  std::array<Classes, kNumDims> all, pairs, outs;
  Classes last_classes;  // the innermost loop's x ∈ [1, n − 1) by x−1, x, x+1
  for (size_t i = 0; i < m; ++i) {
    loop_classes(nt[i], all[i], pairs[i], outs[i], i + 1 == m ? &last_classes : nullptr);
    for (const auto& [x, cnt] : all[i]) need[i].add(x);
    for (const auto& [x, cnt] : pairs[i]) need[i].add(x), need[i].add(x - 1);
  }
  // Free loops nt[0, end): one class per signature each. Their end zones matter only inside
  // an outer short loop at its end (kept tiles at fixed inner indices; free loops have the same
  // index in the neighbouring steps): else the signatures without idle PEs.
  std::array<Classes, kNumDims> all0;
  for (size_t i = 0; i < m; ++i) {
    LoopSig l = nt[i];
    l.g = l.g0;
    all0[i] = l.g == nt[i].g ? all[i] : classes_of(l, 0, l.n, 0, 0);
    for (const auto& [x, cnt] : all0[i]) need[i].add(x);
  }
  // The indices the emitted steps take besides those: both ends (set_range), the outs classes
  // of the loops that leave (all but the innermost) and the innermost loop's interior classes.
  for (size_t i = 0; i < m; ++i) {
    need[i].add(0), need[i].add(nt[i].n - 1);
    if (i + 1 < m)
      for (const auto& [x, cnt] : outs[i]) need[i].add(x);
  }
  for (const auto& [x, cnt] : last_classes) need[m - 1].add(x);
  auto product = [&](auto&& self, size_t i, size_t end, int64_t w, bool zones) -> void {
    if (i == end) return emit(w);
    for (const auto& [x, cnt] : zones ? all[i] : all0[i]) {
      cur[nt[i].k] = x;
      self(self, i + 1, end, w * cnt, zones || (nt[i].is_short && x == nt[i].n - 1));
    }
  };
  const LoopSig& last = nt[m - 1];
  auto set_range = [&](size_t from, bool at_end) {
    for (size_t i = from; i < m; ++i) cur[nt[i].k] = at_end ? nt[i].n - 1 : 0;
  };
  // x_L interior: entered and left by L.
  for (const auto& [x, cnt] : last_classes) {
    cur[last.k] = x;
    product(product, 0, m - 1, cnt, false);
  }
  // x_L = 0: entered by the innermost non-zero loop a (none: the first top-level step).
  set_range(0, false);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, false);
    for (const auto& [x, cnt] : pairs[a]) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt, false);
    }
  }
  // x_L = n_L − 1: left by advancing the innermost loop a not at its end (none: the last).
  set_range(0, true);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, true);
    for (const auto& [x, cnt] : outs[a]) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt, false);
    }
  }
  // Listed indices and their weights (more than the bounds: the exact passes).
  for (size_t i = 0; i < m; ++i)
    if (need[i].overflow || need[i].size() > TopDim::kMax || all[i].overflow ||
        all0[i].overflow || pairs[i].overflow || outs[i].overflow || last_classes.overflow) {
      plan.ok = false;
      return plan;
    }
  for (size_t i = 0; i < m; ++i) {
    Need& v = need[i];
    TopDim& td = plan.dim[idx(nt[i].dim)];
    td.n = nt[i].n;
    td.size = v.size();
    v.sorted(td.x.data());
    std::fill(td.w1.begin(), td.w1.begin() + td.size, 0);
    std::fill(td.w2.begin(), td.w2.begin() + td.size, 0);
    auto slot = [&](int64_t x) {
      return std::lower_bound(td.x.begin(), td.x.begin() + td.size, x) - td.x.begin();
    };
    for (const auto& [x, cnt] : all[i]) td.w1[slot(x)] += cnt;
    for (const auto& [x, cnt] : pairs[i]) td.w2[slot(x)] += cnt;
  }
  return plan;
}

}  // namespace baton::detail
