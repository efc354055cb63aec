#include "classes.h"

#include <algorithm>
#include <type_traits>

#include "idle_tiles.h"
#include "l2_tiles.h"
#include "top_classes.h"
#include "top_memo.h"
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
  // DRAM traffic of top-level step `cur` (sizes sz) after a step of sizes psz sharing `both`
  // with it (nullptr: the first): gained per tensor (outputs only when returning) and outputs
  // lost.
  struct Delta {
    std::array<int64_t, 3> gained{};
    int64_t lost = 0;
    int64_t reads() const { return gained[0] + gained[1] + gained[2]; }
  };
  using TopTile = typename Tiles::Tile;
  auto delta = [&](const int64_t* cur, const Sizes& sz, const Sizes* both, const Sizes& psz) {
    Delta d;
    const Sizes b = both ? *both : Sizes{};
    for (int t = 0; t < 3; ++t) d.gained[t] = sz[t] - b[t];
    if (!tiles.revisit(cur)) d.gained[2] = 0;
    d.lost = both ? psz[2] - b[2] : 0;
    return d;
  };
  ClassedResult res;
  int64_t runtime_body = 0, head = 0, tail = 0;
  // Index / trip-count arrays: the step, its previous and next top-level steps, a walker.
  Vec<int64_t> buf(6 * static_cast<size_t>(m), 0, mem);
  int64_t* const b0 = buf.data();  // (no loops: m = 0, every array empty)
  int64_t *index = b0, *tr = b0 + m, *pi = b0 + 2 * m, *ni = b0 + 3 * m;
  int64_t *si = b0 + 4 * m, *str = b0 + 5 * m;
  auto copy2 = [m](int64_t* a, int64_t* ta, const int64_t* b, const int64_t* tb) {
    std::copy(b, b + m, a);
    std::copy(tb, tb + m, ta);
  };
  std::array<TopTile, 3> tile{TopTile(mem), TopTile(mem), TopTile(mem)};  // step, prev, next
  // Lexicographic predecessor / successor of top-level indices (StepModel::prev / next with
  // upto = T on constant trip counts); false at the first / last top-level step.
  const std::vector<Loop>& top_loops = s.levels().front().loops;
  auto top_prev = [&](int64_t* x) {
    int k = T - 1;
    while (k >= 0 && x[k] == 0) --k;
    if (k < 0) return false;
    --x[k];
    for (int j = k + 1; j < T; ++j) x[j] = top_loops[j].trips - 1;
    return true;
  };
  auto top_next = [&](int64_t* x) {
    int k = T - 1;
    while (k >= 0 && x[k] + 1 >= top_loops[k].trips) --k;
    if (k < 0) return false;
    ++x[k];
    std::fill(x + k + 1, x + T, 0);
    return true;
  };
  // Records of the top-level steps met (representatives and their neighbours; classes share
  // them): the first global step's values, the last one's C, the L2 tile sizes and |tile ∩
  // previous tile| (a step's predecessor is unique), each computed once. Without idle PEs one
  // record per neighbourhood key (steps with equal keys share them, TopKeys), else per step.
  const size_t most = 3 * classes.size() + 1;  // each class meets at most 3 new steps
  TopKeys keys(s, std::is_same_v<Tiles, L2Tiles> ? most : 0, mem);
  const bool by_key = std::is_same_v<Tiles, L2Tiles> && keys.ok();
  Slots met(by_key ? 0 : T, by_key ? 0 : most, mem);
  struct Rec {
    StepVals v;
    int64_t c_last = 0;
    Sizes sz{}, both{};
    bool has_v = false, has_c = false, has_sz = false, has_both = false;
  };
  Vec<Rec> recs(most, Rec{}, mem);
  auto rec_of = [&](const int64_t* x) {  // -1: table full
    bool added;
    return by_key ? keys.find(x) : met.find(x, added);
  };
  // Inner levels whose loops all have one trip: every top-level step is one global step (its
  // inner indices stay 0; no trip counts to follow). Trip counts only shrink at edges.
  bool single = true;
  for (size_t l = 1; l < s.levels().size(); ++l)
    for (const Loop& lp : s.levels()[l].loops) single = single && lp.trips == 1;
  // One representative top-level step (inner indices 0) standing for `count` of them.
  auto leaf = [&](int64_t count) {
    // Top-level loops have constant trip counts (full extents, one loop per dim): the
    // neighbours' top-level indices step over them alone, inner loops stay at 0.
    std::copy(index, index + T, pi);
    std::copy(index, index + T, ni);
    // Neighbouring top-level steps (inner loops at 0); false when there is none.
    const bool has_prev = top_prev(pi), has_next = top_next(ni);
    const std::array<const int64_t*, 3> at{index, pi, ni};
    std::array<bool, 3> built{};
    std::array<int32_t, 3> rec{-1, -1, -1};
    rec[0] = rec_of(at[0]);
    if (has_prev) rec[1] = rec_of(at[1]);
    if (has_next) rec[2] = rec_of(at[2]);
    // Whether first(i)'s values carry at[i]'s own tuple ids (a key's record may hold another
    // step's; RAW reads them, ensure_ids fills them).
    std::array<bool, 3> own{};
    // Values of the first global step of top-level step i (inner indices 0).
    auto first = [&](int i) {
      own[i] = true;
      if (rec[i] < 0) return sm.eval(at[i]);
      Rec& x = recs[rec[i]];
      if (!x.has_v) x.v = sm.eval(at[i]), x.has_v = true;
      else own[i] = !by_key;
      return x.v;
    };
    auto ensure_ids = [&](int i, StepVals& v) {
      if (i >= 0 && !own[i]) sm.ids(at[i], v.ids), own[i] = true;
    };
    // C of the last global step of the previous top-level step (has_prev).
    auto c_last_prev = [&]() -> int64_t {
      Rec* x = rec[1] >= 0 ? &recs[rec[1]] : nullptr;
      if (x && x->has_c) return x->c_last;
      int64_t c;
      if (single) {
        c = x && x->has_v ? x->v.c : sm.compute(pi);
      } else {
        copy2(si, str, index, tr);
        sm.prev(si, str);
        c = sm.compute(si);
      }
      if (x) x->c_last = c, x->has_c = true;
      return c;
    };
    auto get = [&](int i) -> const TopTile& {
      if (!built[i]) tiles.tile(at[i], tile[i]), built[i] = true;
      return tile[i];
    };
    auto sizes = [&](int i) {
      if (rec[i] < 0) return tiles.sizes(get(i));
      Rec& x = recs[rec[i]];
      if (!x.has_sz) x.sz = tiles.sizes(get(i)), x.has_sz = true;
      return x.sz;
    };
    const Sizes sz = sizes(0);
    const Sizes psz = has_prev ? sizes(1) : Sizes{}, nsz = has_next ? sizes(2) : Sizes{};
    // |tile(a) ∩ tile(b)| for b's predecessor a.
    auto both = [&](int a, int b) {
      if (rec[b] < 0) return tiles.common(get(b), get(a));
      Rec& x = recs[rec[b]];
      if (!x.has_both) x.both = tiles.common(get(b), get(a)), x.has_both = true;
      return x.both;
    };
    const Sizes pboth = has_prev ? both(1, 0) : Sizes{};
    const Sizes nboth = has_next ? both(0, 2) : Sizes{};
    const Delta here = delta(index, sz, has_prev ? &pboth : nullptr, psz);
    const int64_t next_reads = has_next ? delta(ni, nsz, &nboth, sz).reads() : 0;
    for (int t = 0; t < 3; ++t) res.l2.dram_reads[t] += count * here.gained[t];
    res.l2.dram_writes[2] += count * here.lost;
    res.l2.l2_elems_needed =
        std::max(res.l2.l2_elems_needed, 2 * (sz[0] + sz[1]) + 3 * sz[2]);
    // The global steps of this top-level step.
    if (!single) sm.trips(index, tr, 0);
    StepVals cur = first(0);
    int cur_at = 0;  // cur is the first step of at[cur_at] (-1: an inner step)
    // C of the global step before, only needed when W_{t−1} / C can raise the peak: W is 0 at
    // step 0 (the only one without a previous top-level step), and W / C <= W for C >= 1 (also
    // in doubles: rounding is monotone), so c_prev = 1 leaves the peak as it is when W <= peak.
    int64_t c_prev = 1;
    if (cur.w_prev != 0 && has_prev && double(cur.w_prev) > res.steps.noc_bw_peak)
      c_prev = c_last_prev();
    if (!single) copy2(si, str, index, tr);
    if (!has_prev) head = dram_cycles(here.reads()) + noc(cur.v);
    if (!has_prev && prof) prof->head(here.reads()), prof->first_v(cur.v);
    int64_t slots = 0, volume = 0;
    for (;;) {
      res.steps.noc_bw_peak =
          std::max({res.steps.noc_bw_peak, double(cur.v) / double(std::max<int64_t>(cur.c, 1)),
                    double(cur.w_prev) / double(std::max<int64_t>(c_prev, 1))});
      volume += cur.v + cur.w_prev;
      const int64_t e = noc(cur.w_prev);
      // The next global step: within this top-level step, else the next top-level step's first.
      const bool inner = !single && sm.next_from(si, str, T);
      if (!inner && !has_next) {  // the last global step
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
      StepVals nx = inner ? sm.eval(si) : first(2);
      const int64_t i = noc(nx.v);
      // RAW only matters when both transfers are non-empty and E + I > C: max(C, E + I) =
      // max(I, C, E) else.
      // (StepModel::raw is false unless t >= 1 and t+1 is a read-back step: no ids needed.)
      bool raw = e != 0 && i != 0 && e + i > cur.c && cur.adv >= 0 && nx.readback;
      if (raw || prof) ensure_ids(cur_at, cur), ensure_ids(inner ? -1 : 2, nx);
      raw = raw && sm.raw(cur, nx);
      // A profile serves other timings: its RAW flag depends on volumes only.
      if (prof) prof->slot(nx.v, cur.c, cur.w_prev, cur.w_prev != 0 && nx.v != 0 && sm.raw(cur, nx));
      slots += raw ? std::max(cur.c, e + i) : std::max({i, cur.c, e});
      if (!inner) break;  // the next top-level step begins
      c_prev = cur.c;
      cur = nx;
      cur_at = -1;  // an inner step (its own ids)
    }
    res.steps.noc_volume += count * volume;
    const int64_t d = next_reads + (has_prev ? here.lost : 0);
    runtime_body += count * std::max(slots, dram_cycles(d));
    if (prof) prof->close_top(d, count);
  };
  for (size_t k = 0; k < classes.size(); ++k) {
    std::copy(classes.at(k), classes.at(k) + T, index);
    std::fill(index + T, index + m, 0);
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
  // The chains (and the tiles through them) view plan_'s arrays: drop them before replanning.
  tiles_.reset();
  chains_ = Chains(mem);
  plan_ = plan_top(s, mem, &shorts);
  if (!plan_.ok) return;
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
