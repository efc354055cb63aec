#include "chains.h"

#include <algorithm>
#include <array>

#include "top_classes.h"

namespace baton::detail {
namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Enumerator {
  DimChain& c;
  const std::vector<int64_t>& unit;
  std::vector<int32_t>& idx_vec;
  int32_t slot = 0;
  void rec(size_t j, int64_t max_ext, Range r) {
    if (j == c.loops.size()) {
      const int32_t off = static_cast<int32_t>(c.pool.size());
      c.pool.insert(c.pool.end(), idx_vec.begin(), idx_vec.end());
      // The view is set once the pool is complete (it may still move).
      c.entries.push_back(ChainEntry{IdxView{nullptr, off}, r, 0, slot});
      return;
    }
    const ChainLoop& lp = c.loops[j];
    const bool temporal = lp.kind == LoopKind::kTemporal;
    const int64_t tiles = ceil_div(max_ext, lp.tile);
    const int64_t trips = temporal ? tiles : ceil_div(tiles, lp.units);
    const bool top = j == 0 && c.has_top;
    const int64_t n = top ? static_cast<int64_t>(c.top_x.size()) : trips;
    for (int64_t t = 0; t < n; ++t) {
      const int64_t i = top ? c.top_x[t] : t;
      const int64_t first = temporal ? i : i * lp.units;
      const int64_t tile_idx = temporal ? i : first + unit[j];
      const int64_t lo = r.lo + tile_idx * lp.tile;
      if (lo >= r.hi) break;  // prefix-shaped activity: later indices are idle too
      const Range sub{lo, std::min(lo + lp.tile, r.hi)};
      idx_vec[j] = static_cast<int32_t>(i);
      if (top) slot = static_cast<int32_t>(t);
      rec(j + 1, std::max<int64_t>(0, std::min(lp.tile, max_ext - first * lp.tile)), sub);
    }
    idx_vec[j] = 0;
  }
};
// Per chain loop: the units of a spatial loop as (first, count) classes (empty for temporal
// loops). A unit's tile length in fold f is clamp(len − (f·U + u)·t, 0, t) for the length len
// its upper tile has; with compress, units are cut only where that differs for some possible
// len (the unit of tile ⌊len/t⌋ and the one after), else every unit is its own class.
std::vector<std::vector<std::pair<int64_t, int64_t>>> unit_classes(const DimChain& c,
                                                                   int64_t extent, bool compress) {
  std::vector<std::vector<std::pair<int64_t, int64_t>>> out(c.loops.size());
  std::vector<int64_t> lens{extent}, next;
  for (size_t j = 0; j < c.loops.size(); ++j) {
    const ChainLoop& lp = c.loops[j];
    if (lp.kind == LoopKind::kSpatial) {
      std::vector<int64_t> cuts{0, lp.units};
      if (compress) {
        for (int64_t len : lens) {
          const int64_t p = (len / lp.tile) % lp.units;
          cuts.push_back(p);
          if (len % lp.tile) cuts.push_back(p + 1);
        }
      } else {
        for (int64_t u = 1; u < lp.units; ++u) cuts.push_back(u);
      }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (size_t i = 0; i + 1 < cuts.size() && cuts[i] < lp.units; ++i)
        out[j].emplace_back(cuts[i], std::min(cuts[i + 1], lp.units) - cuts[i]);
    }
    next.clear();
    for (int64_t len : lens) {
      next.push_back(std::min(lp.tile, len));
      if (len % lp.tile) next.push_back(len % lp.tile);
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    lens.swap(next);
  }
  return out;
}

}  // namespace

int DimChain::loop_at(int pos) const {
  for (size_t j = 0; j < loops.size(); ++j)
    if (loops[j].pos == pos) return static_cast<int>(j);
  return -1;
}

int DimChain::loops_before(int pos) const {
  int n = 0;
  for (const auto& l : loops) n += l.pos < pos ? 1 : 0;
  return n;
}

int num_global_loops(const Schedule& s) {
  int n = 0;
  for (const auto& lvl : s.levels()) n += static_cast<int>(lvl.loops.size());
  return n;
}

std::vector<DimChain> build_chains(const Schedule& s) { return build_chains(s, nullptr); }

std::vector<DimChain> build_chains(const Schedule& s, const TopPlan* plan) {
  std::vector<DimChain> chains(kNumDims);
  int pos = 0;
  for (size_t l = 0; l < s.levels().size(); ++l) {
    const Level& lvl = s.levels()[l];
    for (const Loop& lp : lvl.loops) {
      DimChain& c = chains[idx(lp.dim)];
      c.loops.push_back(ChainLoop{pos++, lp.kind, lp.tile,
                                  lp.kind == LoopKind::kSpatial ? lvl.units : 1,
                                  static_cast<int>(l)});
      if (lp.kind == LoopKind::kSpatial) {
        c.spatial_levels.push_back(static_cast<int>(l));
        c.combos *= lvl.units;
      }
    }
  }
  const Level& top_level = s.levels().front();
  std::array<bool, kNumDims> window{};  // dims of window coordinates: units stay explicit
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput})
    for (const TensorCoord& tc : s.layer().coords(t))
      if (tc.b) window[idx(tc.a)] = window[idx(*tc.b)] = true;
  for (Dim d : kAllDims) {
    DimChain& c = chains[idx(d)];
    c.dim = d;
    const int64_t extent = s.layer().dim(d);
    const size_t n = c.loops.size();
    // The top-level loop's listed indices: the plan's, or all of them.
    c.has_top = n > 0 && c.loops[0].level == 0;
    if (c.has_top) {
      const TopDim* td = plan ? &plan->dim[idx(d)] : nullptr;
      if (td && td->n > 1) {
        c.sparse = true;
        c.top_x = td->x, c.top_w1 = td->w1, c.top_w2 = td->w2;
      } else {
        const int64_t trips = top_level.loops[c.loops[0].pos].trips;  // full extent: constant
        c.top_x.resize(trips);
        for (int64_t x = 0; x < trips; ++x) c.top_x[x] = x;
        c.top_w1.assign(trips, 1);
        c.top_w2.assign(trips, 1);
        c.top_w2[0] = 0;
      }
    }
    // Unit combinations: every one, or (sparse chains, dims without window coordinates) one per
    // class of units with equal tile lengths, weighted by the class sizes.
    const bool compress = plan && !window[idx(d)];
    const auto classes = unit_classes(c, extent, compress);
    int64_t reps = 1;
    for (const auto& cl : classes)
      if (!cl.empty()) reps *= static_cast<int64_t>(cl.size());
    std::vector<int64_t> unit(n, 0);
    std::vector<int32_t> idx_vec(n, 0);
    c.combos = reps;
    c.combo_w.assign(reps, 1);
    c.begin.resize(reps + 1);
    for (int64_t combo = 0; combo < reps; ++combo) {
      // Unit (class) per spatial loop: mixed radix, first spatial loop most significant.
      std::fill(unit.begin(), unit.end(), 0);
      int64_t rest = combo;
      for (int j = static_cast<int>(n) - 1; j >= 0; --j) {
        const auto& cl = classes[j];
        if (cl.empty()) continue;
        const auto& [first, size] = cl[rest % static_cast<int64_t>(cl.size())];
        rest /= static_cast<int64_t>(cl.size());
        unit[j] = first;
        c.combo_w[combo] *= size;
      }
      c.begin[combo] = static_cast<int32_t>(c.entries.size());
      Enumerator{c, unit, idx_vec}.rec(0, extent, Range{0, extent});
    }
    c.begin[reps] = static_cast<int32_t>(c.entries.size());
    for (ChainEntry& e : c.entries) e.idx = IdxView{c.pool.data() + e.idx.n, static_cast<int32_t>(n)};
    // Dense tuple ids: mixed-radix codes over the largest index + 1 per chain loop (the top-level
    // loop by slot).
    std::vector<int64_t>& radix = c.radix;
    radix.assign(n, 1);
    auto index_of = [&](const ChainEntry& e, size_t j) -> int64_t {
      return j == 0 && c.has_top ? e.top : e.idx[j];
    };
    for (const ChainEntry& e : c.entries)
      for (size_t j = 0; j < n; ++j) radix[j] = std::max<int64_t>(radix[j], index_of(e, j) + 1);
    c.stride.assign(n, 1);
    c.code_space = 1;
    for (size_t j = n; j-- > 0;) {
      c.stride[j] = c.code_space;
      c.code_space *= radix[j];
    }
    c.code_to_id.assign(c.code_space, -1);
    auto code_of = [&](const ChainEntry& e) {
      int64_t code = 0;
      for (size_t j = 0; j < n; ++j) code += index_of(e, j) * c.stride[j];
      return code;
    };
    for (const ChainEntry& e : c.entries) c.code_to_id[code_of(e)] = 0;
    c.ids = 0;
    for (auto& v : c.code_to_id)  // codes ascend in lexicographic tuple order
      if (v == 0) v = c.ids++;
    c.maxlen.assign(c.ids, 0);
    for (ChainEntry& e : c.entries) {
      e.id = c.code_to_id[code_of(e)];
      c.maxlen[e.id] = std::max(c.maxlen[e.id], e.r.size());
    }
  }
  return chains;
}

}  // namespace baton::detail
