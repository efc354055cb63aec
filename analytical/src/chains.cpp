#include "chains.h"

#include <algorithm>
#include <functional>

namespace baton::detail {
namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
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

std::vector<DimChain> build_chains(const Schedule& s) {
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
  for (Dim d : kAllDims) {
    DimChain& c = chains[idx(d)];
    c.dim = d;
    c.active.resize(c.combos);
    const int64_t extent = s.layer().dim(d);
    for (int64_t combo = 0; combo < c.combos; ++combo) {
      // Unit index per spatial loop (mixed radix, first spatial loop most significant).
      std::vector<int64_t> unit(c.loops.size(), 0);
      int64_t rest = combo;
      for (int j = static_cast<int>(c.loops.size()) - 1; j >= 0; --j) {
        if (c.loops[j].kind != LoopKind::kSpatial) continue;
        unit[j] = rest % c.loops[j].units;
        rest /= c.loops[j].units;
      }
      std::vector<int32_t> idx_vec(c.loops.size(), 0);
      auto& out = c.active[combo];
      std::function<void(size_t, int64_t, Range)> rec = [&](size_t j, int64_t max_ext, Range r) {
        if (j == c.loops.size()) {
          out.push_back(ChainEntry{idx_vec, r});
          return;
        }
        const ChainLoop& lp = c.loops[j];
        const int64_t tiles = ceil_div(max_ext, lp.tile);
        const int64_t trips = lp.kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, lp.units);
        for (int64_t i = 0; i < trips; ++i) {
          const int64_t first = lp.kind == LoopKind::kTemporal ? i : i * lp.units;
          const int64_t tile_idx = lp.kind == LoopKind::kTemporal ? i : first + unit[j];
          const int64_t lo = r.lo + tile_idx * lp.tile;
          if (lo >= r.hi) break;  // prefix-shaped activity: later indices are idle too
          const Range sub{lo, std::min(lo + lp.tile, r.hi)};
          idx_vec[j] = static_cast<int32_t>(i);
          rec(j + 1, std::max<int64_t>(0, std::min(lp.tile, max_ext - first * lp.tile)), sub);
        }
        idx_vec[j] = 0;
      };
      rec(0, extent, Range{0, extent});
    }
  }
  return chains;
}

}  // namespace baton::detail
