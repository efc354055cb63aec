#include "l2_tiles.h"

#include <algorithm>

namespace baton::detail {
namespace {

// Sorted distinct values of one tensor coordinate over ranges a (and b for a window pair).
std::vector<int64_t> values_of(const TensorCoord& c, const Range& a, const Range& b) {
  std::vector<int64_t> v;
  if (!c.b) {
    for (int64_t x = a.lo; x < a.hi; ++x) v.push_back(x);
    return v;
  }
  for (int64_t p = a.lo; p < a.hi; ++p)
    for (int64_t r = b.lo; r < b.hi; ++r) v.push_back(p * c.stride + r);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

int64_t L2Tiles::Tile::size() const {
  if (!any) return 0;
  int64_t n = 1;
  for (const auto& c : coord) n *= static_cast<int64_t>(c.size());
  return n;
}

L2Tiles::L2Tiles(const Schedule& s, const std::vector<DimChain>& chains)
    : s_(s), chains_(chains) {
  for (const Loop& lp : s.levels().front().loops) top_loops_.push_back(&lp);
  std::array<int, kNumDims> ntop{};
  for (const Loop* lp : top_loops_) ++ntop[idx(lp->dim)];
  // Per dim: top-level prefix -> entry span of every combo (as in exact_l2_pass).
  for (Dim d : kAllDims) {
    const DimChain& c = chains[idx(d)];
    auto& m = spans_[idx(d)];
    for (int64_t u = 0; u < c.combos; ++u) {
      const auto& list = c.active[u];
      for (size_t i = 0; i < list.size(); ++i) {
        const Prefix pre(list[i].idx.begin(), list[i].idx.begin() + ntop[idx(d)]);
        auto& v = m[pre];
        v.resize(c.combos);
        if (v[u].first < 0) v[u].first = static_cast<int64_t>(i);
        v[u].last = static_cast<int64_t>(i);
      }
    }
    std::vector<int64_t> active_count(c.combos, 0);
    for (const auto& [pre, v] : m)
      for (int64_t u = 0; u < c.combos; ++u) active_count[u] += v[u].active() ? 1 : 0;
    for (int64_t u = 0; u < c.combos; ++u)
      idle_possible_ = idle_possible_ || (active_count[u] > 0 &&
                                          active_count[u] < static_cast<int64_t>(m.size()));
  }
}

L2Tiles::Sorted L2Tiles::coord_union(
    int t, size_t ci, const std::array<Prefix, kNumDims>& prefix,
    const std::array<const std::vector<Span>*, kNumDims>& span_ptr) {
  const TensorCoord& c = s_.layer().coords(static_cast<Tensor>(t))[ci];
  const auto key = std::make_pair(
      t * 16 + static_cast<int>(ci),
      std::make_pair(prefix[idx(c.a)], c.b ? prefix[idx(*c.b)] : Prefix{}));
  auto memo = union_memo_.find(key);
  if (memo != union_memo_.end()) return memo->second;
  Sorted u;
  auto span_of = [&](Dim d, int64_t unit) {
    const auto& v = *span_ptr[idx(d)];
    return v.empty() ? Span{} : v[unit];
  };
  const DimChain& ca = chains_[idx(c.a)];
  for (int64_t ua = 0; ua < ca.combos; ++ua) {
    const Span sa = span_of(c.a, ua);
    if (!sa.active()) continue;
    for (int64_t i = sa.first; i <= sa.last; ++i) {
      if (!c.b) {
        const Sorted v = values_of(c, ca.active[ua][i].r, Range{});
        u.insert(u.end(), v.begin(), v.end());
        continue;
      }
      const DimChain& cb = chains_[idx(*c.b)];
      for (int64_t ub = 0; ub < cb.combos; ++ub) {
        const Span sb = span_of(*c.b, ub);
        if (!sb.active()) continue;
        for (int64_t k = sb.first; k <= sb.last; ++k) {
          const Sorted v = values_of(c, ca.active[ua][i].r, cb.active[ub][k].r);
          u.insert(u.end(), v.begin(), v.end());
        }
      }
    }
  }
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  return union_memo_[key] = u;
}

const std::array<L2Tiles::Tile, 3>& L2Tiles::tiles(const std::vector<int64_t>& top) {
  auto hit = tile_memo_.find(top);
  if (hit != tile_memo_.end()) return hit->second;
  const LayerSpec& L = s_.layer();
  static const std::vector<Span> no_span;
  std::array<Prefix, kNumDims> prefix;
  for (size_t k = 0; k < top_loops_.size(); ++k)
    prefix[idx(top_loops_[k]->dim)].push_back(static_cast<int32_t>(top[k]));
  std::array<const std::vector<Span>*, kNumDims> span_ptr{};
  bool any_pe = true;
  for (Dim d : kAllDims) {
    auto it = spans_[idx(d)].find(prefix[idx(d)]);
    span_ptr[idx(d)] = it == spans_[idx(d)].end() ? &no_span : &it->second;
    bool a = false;
    for (const Span& sp : *span_ptr[idx(d)]) a = a || sp.active();
    any_pe = any_pe && a;
  }
  std::array<Tile, 3> cur{};
  for (int t = 0; t < 3; ++t) {
    if (!L.has_tensor(static_cast<Tensor>(t))) continue;
    cur[t].any = any_pe;
    for (size_t ci = 0; ci < L.coords(static_cast<Tensor>(t)).size(); ++ci)
      cur[t].coord.push_back(any_pe ? coord_union(t, ci, prefix, span_ptr) : Sorted{});
  }
  return tile_memo_[top] = std::move(cur);
}

std::array<int64_t, 3> L2Tiles::sizes(const std::vector<int64_t>& top) {
  const auto& t = tiles(top);
  return {t[0].size(), t[1].size(), t[2].size()};
}

std::array<int64_t, 3> L2Tiles::common(const std::vector<int64_t>& a,
                                       const std::vector<int64_t>& b) {
  const auto& ta = tiles(a);  // std::map: references stay valid across inserts
  const auto& tb = tiles(b);
  std::array<int64_t, 3> out{};
  for (int t = 0; t < 3; ++t) {
    if (!ta[t].any || !tb[t].any) continue;
    int64_t n = 1;
    for (size_t i = 0; i < ta[t].coord.size(); ++i) {
      Sorted o;
      std::set_intersection(ta[t].coord[i].begin(), ta[t].coord[i].end(),
                            tb[t].coord[i].begin(), tb[t].coord[i].end(), std::back_inserter(o));
      n *= static_cast<int64_t>(o.size());
    }
    out[t] = n;
  }
  return out;
}

bool L2Tiles::revisit(const std::vector<int64_t>& top) const {
  for (size_t k = 0; k < top_loops_.size(); ++k)
    if (top[k] != 0 && !s_.layer().couples(Tensor::kOutput, top_loops_[k]->dim)) return true;
  return false;
}

}  // namespace baton::detail
