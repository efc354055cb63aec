#include "classes.h"

#include <algorithm>

#include "idle_tiles.h"
#include "l2_tiles.h"
#include "top_classes.h"
#include "traffic.h"

namespace baton::detail {
namespace {

// The pass over `tiles` (L2Tiles: no idle PEs; IdleTiles: with idle PEs' kept tiles).
template <class Tiles>
ClassedResult run(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                  Tables& tables, const TopClasses& classes, const Tiles& tiles, Mem* mem,
                  ProfileBuilder* prof) {
  const StepModel sm(s, chains, hw, tables, mem);
  const int m = sm.loops(), T = sm.top_loops();
  auto noc = [&](int64_t v) {
    return transfer_cycles(v, hw.noc.hop_latency_cycles, hw.noc.bandwidth_elems_per_cycle);
  };
  auto dram_cycles = [&](int64_t v) {
    return transfer_cycles(v, hw.dram_latency_cycles, hw.offchip_bw_elems_per_cycle);
  };
  // DRAM traffic of top-level step `cur` (tile ct, sizes sz) after `prv` (nullptr: the first):
  // gained per tensor (outputs only when returning) and outputs lost.
  struct Delta {
    std::array<int64_t, 3> gained{};
    int64_t lost = 0;
    int64_t reads() const { return gained[0] + gained[1] + gained[2]; }
  };
  using TopTile = typename Tiles::Tile;
  using Sizes = std::array<int64_t, 3>;
  auto delta = [&](const int64_t* cur, const TopTile& ct, const Sizes& sz, const TopTile* prv,
                   const Sizes& psz) {
    Delta d;
    std::array<int64_t, 3> both{};
    if (prv) both = tiles.common(ct, *prv);
    for (int t = 0; t < 3; ++t) d.gained[t] = sz[t] - both[t];
    if (!tiles.revisit(cur)) d.gained[2] = 0;
    d.lost = prv ? psz[2] - both[2] : 0;
    return d;
  };

  ClassedResult res;
  int64_t runtime_body = 0, head = 0, tail = 0;
  // Index / trip-count arrays: the step, its previous and next top-level steps, a walker.
  Vec<int64_t> buf(8 * static_cast<size_t>(m), 0, mem);
  int64_t* const b = buf.data();  // m may be 0 (no loops): no element access
  int64_t *index = b, *tr = b + m, *pi = b + 2 * m, *ptr = b + 3 * m;
  int64_t *ni = b + 4 * m, *ntr = b + 5 * m, *si = b + 6 * m, *str = b + 7 * m;
  auto copy2 = [m](int64_t* a, int64_t* ta, const int64_t* b, const int64_t* tb) {
    std::copy(b, b + m, a);
    std::copy(tb, tb + m, ta);
  };
  TopTile tt(mem), ptt(mem), ntt(mem);
  // One representative top-level step (inner indices 0) standing for `count` of them.
  auto leaf = [&](int64_t count) {
    copy2(pi, ptr, index, tr);
    copy2(ni, ntr, index, tr);
    // Neighbouring top-level steps (inner loops at 0); false when there is none.
    const bool has_prev = sm.prev(pi, ptr, T), has_next = sm.next(ni, ntr, T);
    tiles.tile(index, tt);
    const Sizes sz = tiles.sizes(tt);
    Sizes psz{}, nsz{};
    if (has_prev) tiles.tile(pi, ptt), psz = tiles.sizes(ptt);
    if (has_next) tiles.tile(ni, ntt), nsz = tiles.sizes(ntt);
    const Delta here = delta(index, tt, sz, has_prev ? &ptt : nullptr, psz);
    const int64_t next_reads = has_next ? delta(ni, ntt, nsz, &tt, sz).reads() : 0;
    for (int t = 0; t < 3; ++t) res.l2.dram_reads[t] += count * here.gained[t];
    res.l2.dram_writes[2] += count * here.lost;
    res.l2.l2_elems_needed =
        std::max(res.l2.l2_elems_needed, 2 * (sz[0] + sz[1]) + 3 * sz[2]);
    // The global steps of this top-level step.
    copy2(si, str, index, tr);
    StepVals cur = sm.eval(si);
    // C of the global step before (only needed when W_{t−1} > 0: 0 / C is 0 for any C).
    int64_t c_prev = 1;
    if (cur.w_prev != 0 && sm.prev(si, str)) {
      c_prev = sm.compute(si);
      copy2(si, str, index, tr);
    }
    if (!has_prev) head = dram_cycles(here.reads()) + noc(cur.v);
    if (!has_prev && prof) prof->head(here.reads()), prof->first_v(cur.v);
    int64_t slots = 0, volume = 0;
    for (;;) {
      res.steps.noc_bw_peak =
          std::max({res.steps.noc_bw_peak, double(cur.v) / double(std::max<int64_t>(cur.c, 1)),
                    double(cur.w_prev) / double(std::max<int64_t>(c_prev, 1))});
      volume += cur.v + cur.w_prev;
      const int64_t e = noc(cur.w_prev);
      if (!sm.next(si, str)) {  // the last global step
        slots += std::max<int64_t>({0, cur.c, e});
        if (prof) prof->slot(0, cur.c, cur.w_prev, false);
        const int64_t w_last = sm.final_writeback();
        res.l2.final_writes = sz[2];
        res.steps.noc_bw_peak = std::max(
            res.steps.noc_bw_peak, double(w_last) / double(std::max<int64_t>(cur.c, 1)));
        res.steps.noc_volume += w_last;
        tail = noc(w_last) + dram_cycles(sz[2]);
        if (prof) prof->tail(w_last, sz[2]);
        break;
      }
      StepVals nx = sm.eval(si);
      const int64_t i = noc(nx.v);
      // RAW only matters when both transfers are non-empty: max(C, E + I) = max(I, C, E) else.
      const bool raw = e != 0 && i != 0 && sm.raw(cur, nx);
      // A profile serves other timings: its RAW flag depends on volumes only.
      if (prof) prof->slot(nx.v, cur.c, cur.w_prev, cur.w_prev != 0 && nx.v != 0 && sm.raw(cur, nx));
      slots += raw ? std::max(cur.c, e + i) : std::max({i, cur.c, e});
      if (nx.adv < T) break;  // the next top-level step begins
      c_prev = cur.c;
      cur = nx;
    }
    res.steps.noc_volume += count * volume;
    const int64_t d = next_reads + (has_prev ? here.lost : 0);
    runtime_body += count * std::max(slots, dram_cycles(d));
    if (prof) prof->close_top(d, count);
  };
  for (size_t k = 0; k < classes.size(); ++k) {
    std::copy(classes.at(k), classes.at(k) + T, index);
    std::fill(index + T, index + m, 0);
    sm.trips(index, tr, 0);
    leaf(classes.count[k]);
  }
  res.l2.dram_writes[2] += res.l2.final_writes;
  res.steps.runtime_cycles = head + runtime_body + tail;
  return res;
}

}  // namespace

ClassedResult classed_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                           Tables& tables, const TopClasses& classes, const L2Tiles& tiles,
                           Mem* mem, ProfileBuilder* prof) {
  return run(s, chains, hw, tables, classes, tiles, mem, prof);
}

ClassedResult classed_pass(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                           Tables& tables, const TopClasses& classes, const IdleTiles& tiles,
                           Mem* mem, ProfileBuilder* prof) {
  return run(s, chains, hw, tables, classes, tiles, mem, prof);
}

ClassSetup::ClassSetup(const Schedule& s, Mem* mem) : plan_(plan_top(s, mem)), chains_(mem) {
  if (!plan_.ok) return;
  chains_ = build_chains(s, &plan_, mem);
  tiles_.emplace(s, chains_, mem);
  if (tiles_->exact_only()) return;
  if (!tiles_->any_short()) {
    ok_ = true;
    return;
  }
  // Idle PEs: end zones of the loops from the outermost short one inwards (top_classes.h).
  const DimMask shorts = tiles_->short_dims();
  plan_ = plan_top(s, mem, &shorts);
  if (!plan_.ok) return;
  tiles_.reset();
  chains_ = build_chains(s, &plan_, mem);
  tiles_.emplace(s, chains_, mem);
  if (tiles_->exact_only() || tiles_->short_dims() != shorts) return;
  idle_.emplace(s, chains_, *tiles_, mem);
  ok_ = true;
}

ClassedResult ClassSetup::run(const Schedule& s, const HardwareSpec& hw, Tables& tables,
                              Mem* mem, ProfileBuilder* prof) const {
  if (idle_) return classed_pass(s, chains_, hw, tables, plan_.classes, *idle_, mem, prof);
  return classed_pass(s, chains_, hw, tables, plan_.classes, *tiles_, mem, prof);
}

}  // namespace baton::detail
