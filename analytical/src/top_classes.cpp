#include "top_classes.h"

#include <algorithm>

namespace baton::detail {
namespace {

// Signatures of one top-level loop: x = 0 -> first, x = n − 1 -> last, else 0 (interior).
struct LoopSig {
  int k = 0;
  Dim dim = Dim::K;
  int64_t n = 1;
  int first = 0, last = 0;
  int at(int64_t x) const { return x == 0 ? first : x == n - 1 ? last : 0; }
};

using Classes = std::vector<std::pair<int64_t, int64_t>>;  // (first index, count)

// Classes of x ∈ [lo, hi) by the signatures of x + d, d ∈ [d0, d1]. Indices in [2, n − 2) see
// only interior signatures within distance 1, so they form one block.
Classes classes_of(const LoopSig& l, int64_t lo, int64_t hi, int d0, int d1) {
  Classes out;
  std::vector<std::array<int, 3>> keys;
  auto add = [&](int64_t x, int64_t cnt) {
    std::array<int, 3> key{-1, -1, -1};
    for (int d = d0; d <= d1; ++d) key[d - d0] = l.at(x + d);
    size_t i = 0;
    while (i < keys.size() && keys[i] != key) ++i;
    if (i == keys.size()) keys.push_back(key), out.emplace_back(x, 0);
    out[i].second += cnt;
  };
  const int64_t b0 = std::max<int64_t>(lo, 2), b1 = std::min<int64_t>(hi, l.n - 2);
  for (int64_t x = lo; x < std::min(hi, b0); ++x) add(x, 1);
  if (b0 < b1) add(b0, b1 - b0);
  for (int64_t x = std::max(lo, b0 < b1 ? b1 : b0); x < hi; ++x) add(x, 1);
  return out;
}

}  // namespace

TopPlan plan_top(const Schedule& s) {
  const LayerSpec& L = s.layer();
  const Level& top = s.levels().front();
  TopPlan plan;
  TopClasses& res = plan.classes;
  res.loops = static_cast<int>(top.loops.size());
  // Loops with at least two trips, outer to inner.
  std::vector<LoopSig> nt;
  std::array<int, kNumDims> seen{};
  for (int k = 0; k < res.loops; ++k) {
    const Loop& lp = top.loops[k];
    if (++seen[idx(lp.dim)] > 1) return plan;  // several top-level loops on one dim
    if (lp.trips < 2) continue;
    LoopSig l;
    l.k = k, l.dim = lp.dim, l.n = lp.trips;
    l.first = L.couples(Tensor::kOutput, lp.dim) ? 0 : 2;
    const bool partial_fold = lp.kind == LoopKind::kSpatial && lp.tiles % top.units != 0;
    l.last = lp.edge_tile != lp.tile || partial_fold ? 1 : 0;
    nt.push_back(l);
  }
  plan.ok = true;
  // Materialised indices per loop: every class representative, its neighbouring top-level
  // steps (the class pass looks at both), and the representatives of the weight classes.
  std::vector<std::vector<int64_t>> need(nt.size());
  std::vector<int64_t> cur(res.loops, 0);
  auto emit = [&](int64_t count) {
    res.index.insert(res.index.end(), cur.begin(), cur.end());
    res.count.push_back(count);
    for (size_t j = 0; j < nt.size(); ++j) need[j].push_back(cur[nt[j].k]);
    for (int dir : {-1, 1}) {  // previous and next top-level step: innermost loop that moves
      size_t i = nt.size();
      while (i > 0 && cur[nt[i - 1].k] == (dir < 0 ? 0 : nt[i - 1].n - 1)) --i;
      if (i == 0) continue;
      for (size_t j = 0; j < nt.size(); ++j) {
        const int64_t x = cur[nt[j].k];
        need[j].push_back(j + 1 < i ? x : j + 1 == i ? x + dir : dir < 0 ? nt[j].n - 1 : 0);
      }
    }
  };
  if (nt.empty()) {
    emit(1);
    return plan;
  }
  auto use = [&](size_t i, const Classes& cl, int d0, int d1) {
    for (const auto& [x, cnt] : cl)
      for (int d = d0; d <= d1; ++d) need[i].push_back(x + d);
    return cl;
  };
  std::vector<Classes> all(nt.size());
  for (size_t i = 0; i < nt.size(); ++i) {
    const LoopSig& l = nt[i];
    all[i] = use(i, classes_of(l, 0, l.n, 0, 0), 0, 0);  // free loops; per-index weights
    use(i, classes_of(l, 1, l.n, -1, 0), -1, 0);           // transition weights (w2)
    need[i].push_back(0);
    need[i].push_back(l.n - 1);
  }
  // Free loops nt[0, end): one class per signature each.
  auto product = [&](auto&& self, size_t i, size_t end, int64_t w) -> void {
    if (i == end) return emit(w);
    for (const auto& [x, cnt] : all[i]) {
      cur[nt[i].k] = x;
      self(self, i + 1, end, w * cnt);
    }
  };
  const size_t m = nt.size();
  const LoopSig& last = nt.back();
  auto set_range = [&](size_t from, bool at_end) {
    for (size_t i = from; i < m; ++i) cur[nt[i].k] = at_end ? nt[i].n - 1 : 0;
  };
  // x_L interior: entered and left by L.
  for (const auto& [x, cnt] : use(m - 1, classes_of(last, 1, last.n - 1, -1, 1), -1, 1)) {
    cur[last.k] = x;
    product(product, 0, m - 1, cnt);
  }
  // x_L = 0: entered by the innermost non-zero loop a (none: the first top-level step).
  set_range(0, false);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, false);
    for (const auto& [x, cnt] : use(a, classes_of(nt[a], 1, nt[a].n, -1, 0), -1, 0)) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt);
    }
  }
  // x_L = n_L − 1: left by advancing the innermost loop a not at its end (none: the last).
  set_range(0, true);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, true);
    for (const auto& [x, cnt] : use(a, classes_of(nt[a], 0, nt[a].n - 1, 0, 1), 0, 1)) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt);
    }
  }
  // Materialised indices and their weights.
  for (size_t i = 0; i < m; ++i) {
    const LoopSig& l = nt[i];
    auto& v = need[i];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    TopDim& td = plan.dim[idx(l.dim)];
    td.n = l.n;
    td.x = v;
    td.w1.assign(v.size(), 0);
    td.w2.assign(v.size(), 0);
    auto slot = [&](int64_t x) { return std::lower_bound(v.begin(), v.end(), x) - v.begin(); };
    for (const auto& [x, cnt] : all[i]) td.w1[slot(x)] += cnt;
    for (const auto& [x, cnt] : classes_of(l, 1, l.n, -1, 0)) td.w2[slot(x)] += cnt;
  }
  return plan;
}

}  // namespace baton::detail
