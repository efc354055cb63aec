#include "top_classes.h"

#include <array>
#include <map>

namespace baton::detail {
namespace {

// Signature class per index of top-level loop `k` (chain loop 0 of `c`).
std::vector<int32_t> signatures(const DimChain& c, const Loop& lp, int64_t units, int64_t n,
                                bool zero_flag) {
  const int64_t step = lp.kind == LoopKind::kSpatial ? lp.tile * units : lp.tile;
  std::vector<std::vector<int64_t>> key(n);
  for (int64_t x = 0; x < n; ++x) key[x].push_back(zero_flag && x == 0 ? 1 : 0);
  for (int64_t u = 0; u < c.combos; ++u)
    for (const ChainEntry& e : c.active[u]) {
      auto& v = key[e.idx[0]];
      const int64_t origin = e.idx[0] * step;
      v.push_back(u);
      v.insert(v.end(), e.idx.begin() + 1, e.idx.end());
      v.push_back(e.r.lo - origin);
      v.push_back(e.r.hi - origin);
    }
  std::map<std::vector<int64_t>, int32_t> ids;
  std::vector<int32_t> out(n);
  for (int64_t x = 0; x < n; ++x)
    out[x] = ids.emplace(std::move(key[x]), static_cast<int32_t>(ids.size())).first->second;
  return out;
}

using Classes = std::vector<std::pair<int64_t, int64_t>>;  // (representative index, count)

// Classes of x ∈ [lo, hi) by the signatures of x + d for d in `around`.
Classes classes_of(const std::vector<int32_t>& sig, int64_t lo, int64_t hi,
                   std::initializer_list<int> around) {
  Classes out;
  std::map<std::array<int32_t, 3>, size_t> where;
  for (int64_t x = lo; x < hi; ++x) {
    std::array<int32_t, 3> key{-1, -1, -1};
    size_t i = 0;
    for (int d : around) key[i++] = sig[x + d];
    const auto [it, added] = where.emplace(key, out.size());
    if (added) out.emplace_back(x, 0);
    ++out[it->second].second;
  }
  return out;
}

}  // namespace

TopClasses top_classes(const Schedule& s, const std::vector<DimChain>& chains) {
  const LayerSpec& L = s.layer();
  const Level& top = s.levels().front();
  TopClasses res;
  res.loops = static_cast<int>(top.loops.size());
  // Loops with at least two trips, outer to inner, with their signatures.
  struct Nt {
    int k;
    int64_t n;
    std::vector<int32_t> sig;
  };
  std::vector<Nt> nt;
  for (int k = 0; k < res.loops; ++k) {
    const Loop& lp = top.loops[k];
    const int64_t n = lp.trips;
    if (n < 2) continue;
    const DimChain& c = chains[idx(lp.dim)];
    nt.push_back({k, n, signatures(c, lp, top.units, n, !L.couples(Tensor::kOutput, lp.dim))});
  }
  std::vector<int64_t> cur(res.loops, 0);
  auto emit = [&](int64_t count) {
    res.index.insert(res.index.end(), cur.begin(), cur.end());
    res.count.push_back(count);
  };
  if (nt.empty()) {
    emit(1);
    return res;
  }
  std::vector<Classes> all(nt.size());
  for (size_t i = 0; i < nt.size(); ++i) all[i] = classes_of(nt[i].sig, 0, nt[i].n, {0});
  // Free loops nt[0, end): one class per signature each.
  auto product = [&](auto&& self, size_t i, size_t end, int64_t w) -> void {
    if (i == end) return emit(w);
    for (const auto& [x, cnt] : all[i]) {
      cur[nt[i].k] = x;
      self(self, i + 1, end, w * cnt);
    }
  };
  const size_t m = nt.size();
  const Nt& last = nt.back();
  auto set_range = [&](size_t from, bool at_end) {
    for (size_t i = from; i < m; ++i) cur[nt[i].k] = at_end ? nt[i].n - 1 : 0;
  };
  // x_L interior: entered and left by L.
  for (const auto& [x, cnt] : classes_of(last.sig, 1, last.n - 1, {-1, 0, 1})) {
    cur[last.k] = x;
    product(product, 0, m - 1, cnt);
  }
  // x_L = 0: entered by the innermost non-zero loop a (none: the first top-level step).
  set_range(0, false);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, false);
    for (const auto& [x, cnt] : classes_of(nt[a].sig, 1, nt[a].n, {-1, 0})) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt);
    }
  }
  // x_L = n_L − 1: left by advancing the innermost loop a not at its end (none: the last).
  set_range(0, true);
  emit(1);
  for (size_t a = 0; a + 1 < m; ++a) {
    set_range(a + 1, true);
    for (const auto& [x, cnt] : classes_of(nt[a].sig, 0, nt[a].n - 1, {0, 1})) {
      cur[nt[a].k] = x;
      product(product, 0, a, cnt);
    }
  }
  return res;
}

}  // namespace baton::detail
