#include "classes.h"

#include <algorithm>
#include <type_traits>

#include "idle_tiles.h"
#include "l2_tiles.h"
#include "top_classes.h"
#include "traffic.h"

namespace baton::detail {
namespace {

using Sizes = std::array<int64_t, 3>;

// Sizes per key of top-level index tuples (one, or a pair of T each): open addressing with a
// capacity fixed from the expected number of keys (no memo when 0).
class Memo {
 public:
  Memo(int width, size_t expected, Mem* mem) : w_(width), keys_(mem), vals_(mem), slot_(mem) {
    size_t cap = 1;
    while (expected && cap < 2 * expected) cap *= 2;
    if (expected) slot_.assign(cap, -1);
    keys_.reserve(expected * w_);
    vals_.reserve(expected);
  }
  const Sizes* find(const int64_t* a, const int64_t* b) const {
    if (slot_.empty()) return nullptr;
    for (size_t i = hash(a, b);; i = (i + 1) & (slot_.size() - 1)) {
      const int32_t v = slot_[i];
      if (v < 0) return nullptr;
      if (equal(keys_.data() + size_t(v) * w_, a, b)) return &vals_[v];
    }
  }
  void put(const int64_t* a, const int64_t* b, const Sizes& x) {
    if (slot_.empty() || 2 * (vals_.size() + 1) > slot_.size()) return;  // full: not memoised
    size_t i = hash(a, b);
    while (slot_[i] >= 0) i = (i + 1) & (slot_.size() - 1);
    slot_[i] = static_cast<int32_t>(vals_.size());
    const int h = b ? w_ / 2 : w_;
    keys_.insert(keys_.end(), a, a + h);
    if (b) keys_.insert(keys_.end(), b, b + h);
    vals_.push_back(x);
  }

 private:
  size_t hash(const int64_t* a, const int64_t* b) const {
    uint64_t h = 1469598103934665603ull;
    const int half = b ? w_ / 2 : w_;
    for (int j = 0; j < half; ++j) h = (h ^ uint64_t(a[j])) * 1099511628211ull;
    for (int j = 0; b && j < half; ++j) h = (h ^ uint64_t(b[j])) * 1099511628211ull;
    return size_t(h ^ (h >> 29)) & (slot_.size() - 1);
  }
  bool equal(const int64_t* k, const int64_t* a, const int64_t* b) const {
    const int half = b ? w_ / 2 : w_;
    return std::equal(a, a + half, k) && (!b || std::equal(b, b + half, k + half));
  }
  int w_;
  Vec<int64_t> keys_;
  Vec<Sizes> vals_;
  Vec<int32_t> slot_;
};

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
  // Tile sizes per top-level step and common sizes per pair of consecutive ones, computed once
  // (classes share neighbouring steps); only where tiles are costly to intersect.
  constexpr bool memo = std::is_same_v<Tiles, IdleTiles>;
  Memo size_memo(T, memo ? 3 * classes.size() : 0, mem);
  Memo pair_memo(2 * T, memo ? 2 * classes.size() : 0, mem);
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
  // First global steps of top-level steps evaluated so far (a class's next top-level step is
  // often another class's representative): top-level indices -> values, up to kSeen of them.
  constexpr size_t kSeen = 64;
  struct Seen {
    uint64_t h;
    StepVals v;
  };
  Vec<Seen> seen(mem);
  Vec<int64_t> seen_top(mem);
  seen.reserve(std::min(kSeen, 2 * classes.size()));
  // Values of the global step x (inner loops at 0 when first is true).
  auto eval = [&](const int64_t* x, bool first) {
    if (!first) return sm.eval(x);
    uint64_t h = 1469598103934665603ull;
    for (int j = 0; j < T; ++j) h = (h ^ uint64_t(x[j])) * 1099511628211ull;
    for (size_t i = 0; i < seen.size(); ++i)
      if (seen[i].h == h && std::equal(x, x + T, seen_top.data() + i * T)) return seen[i].v;
    const StepVals v = sm.eval(x);
    if (seen.size() < kSeen) {
      seen.push_back({h, v});
      seen_top.insert(seen_top.end(), x, x + T);
    }
    return v;
  };
  auto inner_zero = [&](const int64_t* x) {
    return std::all_of(x + T, x + m, [](int64_t v) { return v == 0; });
  };
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
    auto get = [&](int i) -> const TopTile& {
      if (!built[i]) tiles.tile(at[i], tile[i]), built[i] = true;
      return tile[i];
    };
    auto sizes = [&](int i) {
      if (const Sizes* v = size_memo.find(at[i], nullptr)) return *v;
      const Sizes v = tiles.sizes(get(i));
      size_memo.put(at[i], nullptr, v);
      return v;
    };
    auto common = [&](int a, int b) {  // a precedes b
      if (const Sizes* v = pair_memo.find(at[a], at[b])) return *v;
      const Sizes v = tiles.common(get(b), get(a));
      pair_memo.put(at[a], at[b], v);
      return v;
    };
    const Sizes sz = sizes(0);
    const Sizes psz = has_prev ? sizes(1) : Sizes{}, nsz = has_next ? sizes(2) : Sizes{};
    const Sizes pboth = has_prev ? common(1, 0) : Sizes{};
    const Sizes nboth = has_next ? common(0, 2) : Sizes{};
    const Delta here = delta(index, sz, has_prev ? &pboth : nullptr, psz);
    const int64_t next_reads = has_next ? delta(ni, nsz, &nboth, sz).reads() : 0;
    for (int t = 0; t < 3; ++t) res.l2.dram_reads[t] += count * here.gained[t];
    res.l2.dram_writes[2] += count * here.lost;
    res.l2.l2_elems_needed =
        std::max(res.l2.l2_elems_needed, 2 * (sz[0] + sz[1]) + 3 * sz[2]);
    // The global steps of this top-level step.
    copy2(si, str, index, tr);
    StepVals cur = eval(si, true);
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
      StepVals nx = eval(si, inner_zero(si));
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
