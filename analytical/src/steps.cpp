#include "steps.h"

#include <algorithm>

#include "traffic.h"

namespace baton::detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct GLoop {
  Dim dim;
  LoopKind kind;
  int64_t tile, units;
};

// Group tables of one tensor for every mode/position.
struct TensorTables {
  std::vector<Group> groups;
  std::vector<std::vector<GroupTable>> trans;  // [k][group]
  std::vector<GroupTable> step0, fin;          // [group]
};

TensorTables tables_for(const Schedule& s, const std::vector<DimChain>& chains, Tensor t, int m) {
  TensorTables tt;
  if (!s.layer().has_tensor(t)) return tt;
  tt.groups = tensor_groups(s.layer(), t);
  tt.trans.resize(m);
  for (const Group& g : tt.groups) {
    tt.step0.push_back(group_table(g, chains, Mode::kStep0, 0));
    tt.fin.push_back(group_table(g, chains, Mode::kFinal, 0));
    for (int k = 0; k < m; ++k) tt.trans[k].push_back(group_table(g, chains, Mode::kTransition, k));
  }
  return tt;
}

// Π Σ over groups for one step; `key_of` gives the group's lookup key.
template <typename KeyFn>
std::array<double, 6> products(const TensorTables& tt, const std::vector<GroupTable>& tabs,
                               KeyFn key_of) {
  std::array<double, 6> p = {1, 1, 1, 1, 1, 1};
  for (size_t g = 0; g < tt.groups.size(); ++g) {
    auto it = tabs[g].find(key_of(tt.groups[g]));
    if (it == tabs[g].end()) return {0, 0, 0, 0, 0, 0};
    const Sums& x = it->second;
    p[0] *= x.n, p[1] *= x.h, p[2] *= x.i, p[3] *= x.nd, p[4] *= x.hd, p[5] *= x.id;
  }
  return p;
}

// Entry lookup per dim and unit combination: tuple -> position in the combo's active list.
struct EntryIndex {
  std::vector<std::map<std::vector<int32_t>, size_t>> pos;  // [combo]
  explicit EntryIndex(const DimChain& c) : pos(c.combos) {
    for (int64_t u = 0; u < c.combos; ++u)
      for (size_t i = 0; i < c.active[u].size(); ++i) pos[u][c.active[u][i].idx] = i;
  }
};

// The unit's entry at its previous active step before a step with tuple `x` whose advancing loop
// is at global position k (docs/ANALYTICAL.md point 3); nullptr if none.
const ChainEntry* previous(const DimChain& c, int64_t u, size_t i, int k) {
  const auto& list = c.active[u];
  const int owner = c.loop_at(k);
  if (owner >= 0) return i > 0 ? &list[i - 1] : nullptr;
  const int jb = c.loops_before(k);
  size_t last = i;
  while (last + 1 < list.size() &&
         std::equal(list[i].idx.begin(), list[i].idx.begin() + jb, list[last + 1].idx.begin()))
    ++last;
  return &list[last];
}

bool overlap_nonempty(const Range& a, const Range& b) {
  return std::max(a.lo, b.lo) < std::min(a.hi, b.hi);
}

// RAW of slot t (rule 13): an output element written back at the boundary into t (left by a PE
// active at t) is read back for t+1. With siblings agreeing (point 4) it suffices to find an
// output-unit combination whose tiles A (previous step of t), B (t), C (t+1) satisfy
// (A ∩ C) \ B ≠ ∅, with some sibling active at t and t+1.
bool raw_slot(const LayerSpec& L, const std::vector<DimChain>& chains,
              const std::vector<EntryIndex>& index, const std::vector<std::vector<int32_t>>& at_t,
              int adv_t, const std::vector<std::vector<int32_t>>& at_next) {
  int64_t all_nonempty = 1, within_b = 1;
  for (Dim d : kAllDims) {
    const DimChain& c = chains[idx(d)];
    const bool out = L.couples(Tensor::kOutput, d);
    int64_t n1 = 0, n2 = 0;
    for (int64_t u = 0; u < c.combos; ++u) {
      const auto& pos = index[idx(d)].pos[u];
      auto bt = pos.find(at_t[idx(d)]);
      auto ct = pos.find(at_next[idx(d)]);
      if (bt == pos.end() || ct == pos.end()) continue;  // not active at t or t+1
      if (!out) {
        n1 = n2 = 1;  // some sibling active at both steps
        break;
      }
      const ChainEntry* a = previous(c, u, bt->second, adv_t);
      if (!a) continue;
      const Range& B = c.active[u][bt->second].r;
      const Range& C = c.active[u][ct->second].r;
      if (!overlap_nonempty(a->r, C)) continue;
      ++n1;
      const Range ac{std::max(a->r.lo, C.lo), std::min(a->r.hi, C.hi)};
      if (ac.lo >= B.lo && ac.hi <= B.hi) ++n2;
    }
    all_nonempty *= n1;
    within_b *= n2;
    if (all_nonempty == 0) return false;
  }
  return all_nonempty > within_b;
}

}  // namespace

StepPassResult step_pass(const Schedule& s, const std::vector<DimChain>& chains,
                         const HardwareSpec& hw, int64_t first_dram_fill,
                         const RuntimeAccumulator::DramFn& dram, int64_t final_dram_writes) {
  StepPassResult res;
  const LayerSpec& L = s.layer();
  std::vector<GLoop> loops;
  int top_loops = 0;
  for (size_t l = 0; l < s.levels().size(); ++l)
    for (const Loop& lp : s.levels()[l].loops) {
      loops.push_back({lp.dim, lp.kind, lp.tile, s.levels()[l].units});
      if (l == 0) ++top_loops;
    }
  const int m = static_cast<int>(loops.size());
  std::array<TensorTables, 3> tt;
  for (int t = 0; t < 3; ++t) tt[t] = tables_for(s, chains, static_cast<Tensor>(t), m);
  // Busiest PE's length per dim and tuple.
  std::array<std::map<std::vector<int32_t>, int64_t>, kNumDims> maxlen;
  for (Dim d : kAllDims)
    for (const auto& list : chains[idx(d)].active)
      for (const auto& e : list) {
        int64_t& v = maxlen[idx(d)][e.idx];
        v = std::max(v, e.r.size());
      }
  const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
  std::vector<int64_t> index(m, 0), trips(m, 1);
  auto compute_trips = [&]() {
    std::array<int64_t, kNumDims> ext = L.extent;
    for (int k = 0; k < m; ++k) {
      int64_t& e = ext[idx(loops[k].dim)];
      const int64_t tiles = ceil_div(e, loops[k].tile);
      trips[k] = loops[k].kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, loops[k].units);
      const int64_t first =
          loops[k].kind == LoopKind::kTemporal ? index[k] : index[k] * loops[k].units;
      e = std::max<int64_t>(0, std::min(loops[k].tile, e - first * loops[k].tile));
    }
  };
  std::array<std::vector<int>, kNumDims> chain_pos;
  for (int k = 0; k < m; ++k) chain_pos[idx(loops[k].dim)].push_back(k);
  auto tuple_of = [&](Dim d) {
    std::vector<int32_t> v;
    for (int k : chain_pos[idx(d)]) v.push_back(static_cast<int32_t>(index[k]));
    return v;
  };
  auto key_of = [&](const Group& g) {
    std::vector<int32_t> key;
    for (Dim d : g.dims) {
      auto v = tuple_of(d);
      key.insert(key.end(), v.begin(), v.end());
    }
    return key;
  };
  std::vector<EntryIndex> entry_index;
  for (Dim d : kAllDims) entry_index.emplace_back(chains[idx(d)]);
  std::vector<std::vector<int32_t>> tuples_prev(kNumDims), tuples_now(kNumDims);
  int adv_prev = -1;
  RuntimeAccumulator acc(hw, first_dram_fill, dram);
  compute_trips();
  int adv = -1;  // advancing position of the current step (-1 = step 0)
  int64_t c_prev = 1;
  for (;;) {
    int64_t v = 0, w_prev = 0, c = 1;
    for (Dim d : kAllDims) c *= maxlen[idx(d)][tuple_of(d)];
    c = ceil_div(c, hw.simd_lanes);
    bool readback_step = false;
    for (int k = 0; k < m && adv >= 0; ++k)
      readback_step =
          readback_step || (index[k] != 0 && !L.couples(Tensor::kOutput, loops[k].dim));
    for (int t = 0; t < 3; ++t) {
      if (tt[t].groups.empty()) continue;
      const auto& tabs = adv < 0 ? tt[t].step0 : tt[t].trans[adv];
      const auto p = products(tt[t], tabs, [&](const Group& g) {
        return adv < 0 && !g.coupled ? std::vector<int32_t>{} : key_of(g);
      });
      // Step 0 is every PE's first step: nothing held yet (H = ∅).
      const double held = adv < 0 ? 0.0 : (mcast ? p[5] : p[2]);
      const int64_t enter = static_cast<int64_t>((mcast ? p[3] : p[0]) - held + 0.5);
      if (t < 2) v += enter;
      if (t == 2) {
        if (readback_step) v += enter;
        w_prev = static_cast<int64_t>((reduce ? p[4] - p[5] : p[1] - p[2]) + 0.5);
      }
    }
    if (adv < 0) w_prev = 0;
    // max over t of max(V_t, W_t) / max(C_t, 1): W_{t−1} pairs with C_{t−1}.
    res.noc_bw_peak = std::max({res.noc_bw_peak, double(v) / double(std::max<int64_t>(c, 1)),
                                double(w_prev) / double(std::max<int64_t>(c_prev, 1))});
    c_prev = c;
    res.noc_volume += v + w_prev;
    for (Dim d : kAllDims) tuples_now[idx(d)] = tuple_of(d);
    // RAW of slot t−1 needs the boundary into t−1 (so t−1 ≥ 1) and this step's tiles.
    const bool raw = adv >= 0 && adv_prev >= 0 && readback_step &&
                     raw_slot(L, chains, entry_index, tuples_prev, adv_prev, tuples_now);
    acc.push(v, c, w_prev, raw, adv >= 0 && adv < top_loops);
    tuples_prev.swap(tuples_now);
    adv_prev = adv;
    // Advance the global index.
    int k = m - 1;
    for (; k >= 0; --k) {
      if (++index[k] < trips[k]) break;
      index[k] = 0;
    }
    if (k < 0) break;
    adv = k;
    compute_trips();
  }
  int64_t w_last = 0;
  // Final write-back: every PE's last tile (keys: each dim's last tuple of any unit -> use sums).
  if (!tt[2].groups.empty()) {
    double pn = 1, pnd = 1;
    for (const auto& tab : tt[2].fin) {
      double n = 0, nd = 0;
      for (const auto& [key, x] : tab) n += x.n, nd += x.nd;
      pn *= n, pnd *= nd;
    }
    w_last = static_cast<int64_t>((reduce ? pnd : pn) + 0.5);
  }
  res.noc_bw_peak = std::max(res.noc_bw_peak, double(w_last) / double(std::max<int64_t>(c_prev, 1)));
  res.noc_volume += w_last;
  res.runtime_cycles = acc.finish(w_last, final_dram_writes);
  return res;
}

}  // namespace baton::detail
