#include "chains.h"

#include <algorithm>

namespace baton::detail {
namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Enumerator {
  const DimChain& c;
  const std::vector<int64_t>& unit;
  std::vector<int32_t>& idx_vec;
  std::vector<ChainEntry>& out;
  void rec(size_t j, int64_t max_ext, Range r) {
    if (j == c.loops.size()) {
      out.push_back(ChainEntry{idx_vec, r, 0});
      return;
    }
    const ChainLoop& lp = c.loops[j];
    const bool temporal = lp.kind == LoopKind::kTemporal;
    const int64_t tiles = ceil_div(max_ext, lp.tile);
    const int64_t trips = temporal ? tiles : ceil_div(tiles, lp.units);
    for (int64_t i = 0; i < trips; ++i) {
      const int64_t first = temporal ? i : i * lp.units;
      const int64_t tile_idx = temporal ? i : first + unit[j];
      const int64_t lo = r.lo + tile_idx * lp.tile;
      if (lo >= r.hi) break;  // prefix-shaped activity: later indices are idle too
      const Range sub{lo, std::min(lo + lp.tile, r.hi)};
      idx_vec[j] = static_cast<int32_t>(i);
      rec(j + 1, std::max<int64_t>(0, std::min(lp.tile, max_ext - first * lp.tile)), sub);
    }
    idx_vec[j] = 0;
  }
};
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
    const size_t n = c.loops.size();
    std::vector<int64_t> unit(n, 0);
    std::vector<int32_t> idx_vec(n, 0);
    for (int64_t combo = 0; combo < c.combos; ++combo) {
      // Unit index per spatial loop (mixed radix, first spatial loop most significant).
      std::fill(unit.begin(), unit.end(), 0);
      int64_t rest = combo;
      for (int j = static_cast<int>(n) - 1; j >= 0; --j) {
        if (c.loops[j].kind != LoopKind::kSpatial) continue;
        unit[j] = rest % c.loops[j].units;
        rest /= c.loops[j].units;
      }
      Enumerator{c, unit, idx_vec, c.active[combo]}.rec(0, extent, Range{0, extent});
    }
    // Dense tuple ids: mixed-radix codes over the largest index + 1 per chain loop.
    std::vector<int64_t>& radix = c.radix;
    radix.assign(n, 1);
    for (const auto& list : c.active)
      for (const auto& e : list)
        for (size_t j = 0; j < n; ++j) radix[j] = std::max<int64_t>(radix[j], e.idx[j] + 1);
    c.stride.assign(n, 1);
    c.code_space = 1;
    for (size_t j = n; j-- > 0;) {
      c.stride[j] = c.code_space;
      c.code_space *= radix[j];
    }
    c.code_to_id.assign(c.code_space, -1);
    auto code_of = [&](const ChainEntry& e) {
      int64_t code = 0;
      for (size_t j = 0; j < n; ++j) code += e.idx[j] * c.stride[j];
      return code;
    };
    for (const auto& list : c.active)
      for (const auto& e : list) c.code_to_id[code_of(e)] = 0;
    c.ids = 0;
    for (auto& v : c.code_to_id)  // codes ascend in lexicographic tuple order
      if (v == 0) v = c.ids++;
    c.maxlen.assign(c.ids, 0);
    for (auto& list : c.active)
      for (auto& e : list) {
        e.id = c.code_to_id[code_of(e)];
        c.maxlen[e.id] = std::max(c.maxlen[e.id], e.r.size());
      }
  }
  return chains;
}

}  // namespace baton::detail
