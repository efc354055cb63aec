#include "chains.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "top_classes.h"

namespace baton::detail {
namespace {

struct Enumerator {
  DimChain& c;
  const int64_t* unit;
  int32_t* idx_vec;
  int32_t slot = 0;
  void rec(size_t j, int64_t max_ext, Range r) {
    if (j == c.loops.size()) {
      const int32_t off = static_cast<int32_t>(c.pool.size());
      c.pool.insert(c.pool.end(), idx_vec, idx_vec + j);
      // The view is set once the pool is complete (it may still move).
      c.entries.push_back(ChainEntry{IdxView{nullptr, off}, r, 0, slot});
      return;
    }
    const ChainLoop& lp = c.loops[j];
    const bool temporal = lp.kind == LoopKind::kTemporal;
    const int64_t trips = lp.trips_at(max_ext);
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

using UnitClass = std::pair<int64_t, int64_t>;  // (first unit, units)

// Buffers of unit_classes / enumerate, shared by the chains of one build.
struct Scratch {
  explicit Scratch(Mem* m) : classes(m), at(m), lens(m), next(m), cuts(m) {}
  Vec<UnitClass> classes;
  Vec<std::pair<int32_t, int32_t>> at;
  Vec<int64_t> lens, next, cuts;
};

// Unit classes of every spatial loop of the chain, appended to `out`; `at[j]` = [first, last)
// of chain loop j's classes (empty for temporal loops). A unit's tile length in fold f is
// clamp(len − (f·U + u)·t, 0, t) for the length len of its upper tile; with compress, units
// are cut only where that differs for some possible len (the unit of tile ⌊len/t⌋ and the one
// after), else every unit is its own class.
void unit_classes(const DimChain& c, int64_t extent, bool compress, Scratch& sc) {
  Vec<UnitClass>& out = sc.classes;
  Vec<std::pair<int32_t, int32_t>>& at = sc.at;
  Vec<int64_t>& lens = sc.lens;
  Vec<int64_t>& next = sc.next;
  Vec<int64_t>& cuts = sc.cuts;
  out.clear(), at.clear();
  lens.assign(1, extent);
  for (size_t j = 0; j < c.loops.size(); ++j) {
    const ChainLoop& lp = c.loops[j];
    const int32_t first = static_cast<int32_t>(out.size());
    if (lp.kind == LoopKind::kSpatial) {
      cuts.assign({0, lp.units});
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
        out.emplace_back(cuts[i], std::min(cuts[i + 1], lp.units) - cuts[i]);
    }
    at.emplace_back(first, static_cast<int32_t>(out.size()));
    next.clear();
    for (int64_t len : lens) {
      next.push_back(std::min(lp.tile, len));
      if (len % lp.tile) next.push_back(len % lp.tile);
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    lens.swap(next);
  }
}

// Entries of every (representative) unit combination, then tuple ids.
void enumerate(DimChain& c, int64_t extent, bool compress, Scratch& sc) {
  const size_t n = c.loops.size();
  if (n == 0) {  // held whole: one combination, one empty tuple (what the general path gives)
    c.combos = 1;
    c.combo_w.assign(1, 1);
    c.begin.assign({0, 1});
    c.entries.push_back(ChainEntry{IdxView{c.pool.data(), 0}, Range{0, extent}, 0, 0});
    c.code_space = 1;
    c.code_to_id.assign(1, 0);
    c.ids = 1;
    c.maxlen.assign(1, extent);
    return;
  }
  unit_classes(c, extent, compress, sc);
  const Vec<UnitClass>& classes = sc.classes;
  const Vec<std::pair<int32_t, int32_t>>& at = sc.at;
  int64_t reps = 1;
  for (const auto& [b, e] : at)
    if (e > b) reps *= e - b;
  std::array<int64_t, 16> unit{};
  std::array<int32_t, 16> idx_vec{};
  c.combos = reps;
  c.combo_w.assign(reps, 1);
  c.begin.resize(reps + 1);
  const size_t guess = static_cast<size_t>(std::min<int64_t>(16 * reps, 1024));
  c.entries.reserve(guess);  // typical sparse chains: no regrowth
  c.pool.reserve(guess * n);
  for (int64_t combo = 0; combo < reps; ++combo) {
    // Unit (class) per spatial loop: mixed radix, first spatial loop most significant.
    int64_t rest = combo;
    for (size_t j = n; j-- > 0;) {
      const auto [b, e] = at[j];
      if (e == b) continue;
      const UnitClass& cl = classes[b + rest % (e - b)];
      rest /= e - b;
      unit[j] = cl.first;
      c.combo_w[combo] *= cl.second;
    }
    c.begin[combo] = static_cast<int32_t>(c.entries.size());
    Enumerator{c, unit.data(), idx_vec.data()}.rec(0, extent, Range{0, extent});
  }
  c.begin[reps] = static_cast<int32_t>(c.entries.size());
  for (ChainEntry& e : c.entries)
    e.idx = IdxView{c.pool.data() + e.idx.n, static_cast<int32_t>(n)};
  // Dense tuple ids: mixed-radix codes over the largest index + 1 per chain loop (the top-level
  // loop by slot).
  c.radix.assign(n, 1);
  auto index_of = [&](const ChainEntry& e, size_t j) -> int64_t {
    return j == 0 && c.has_top ? e.top : e.idx[j];
  };
  for (const ChainEntry& e : c.entries)
    for (size_t j = 0; j < n; ++j) c.radix[j] = std::max<int64_t>(c.radix[j], index_of(e, j) + 1);
  c.stride.assign(n, 1);
  c.code_space = 1;
  for (size_t j = n; j-- > 0;) {
    c.stride[j] = c.code_space;
    c.code_space *= c.radix[j];
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

}  // namespace

int DimChain::loop_at_slow(int pos) const {
  for (size_t j = 0; j < loops.size(); ++j)
    if (loops[j].pos == pos) return static_cast<int>(j);
  return -1;
}

int DimChain::loops_before_slow(int pos) const {
  int n = 0;
  for (const auto& l : loops) n += l.pos < pos ? 1 : 0;
  return n;
}

const ChainEntry* DimChain::previous(int64_t u, size_t i, int k) const {
  const EntryList l = list(u);
  const int owner = loop_at(k);
  if (owner >= 0) return i > 0 ? &l[i - 1] : nullptr;
  const int jb = loops_before(k);
  size_t last = i;
  while (last + 1 < l.size() &&
         std::equal(l[i].idx.begin(), l[i].idx.begin() + jb, l[last + 1].idx.begin()))
    ++last;
  return &l[last];
}

int num_global_loops(const Schedule& s) {
  int n = 0;
  for (const auto& lvl : s.levels()) n += static_cast<int>(lvl.loops.size());
  return n;
}

Chains build_chains(const Schedule& s) { return build_chains(s, nullptr, heap_mem()); }

Chains build_chains(const Schedule& s, const TopPlan* plan, Mem* mem) {
  Chains chains(mem);
  chains.reserve(kNumDims);
  for (Dim d : kAllDims) {
    chains.emplace_back(mem);
    chains.back().dim = d;
  }
  std::array<int, kNumDims> nloops{};
  for (const Level& lvl : s.levels())
    for (const Loop& lp : lvl.loops) ++nloops[idx(lp.dim)];
  for (DimChain& c : chains) c.loops.reserve(nloops[idx(c.dim)]);
  int pos = 0;
  for (size_t l = 0; l < s.levels().size(); ++l) {
    const Level& lvl = s.levels()[l];
    for (const Loop& lp : lvl.loops) {
      DimChain& c = chains[idx(lp.dim)];
      c.loops.push_back(ChainLoop{pos++, lp.kind, lp.tile,
                                  lp.kind == LoopKind::kSpatial ? lvl.units : 1,
                                  static_cast<int>(l), lp.extent, lp.trips});
      if (lp.kind == LoopKind::kSpatial) c.spatial_levels.push_back(static_cast<int>(l));
    }
  }
  for (DimChain& c : chains) {  // one pass: the chain's loops ascend in position
    c.npos = std::min(pos, DimChain::kPosTable);
    size_t j = 0;
    for (int k = 0; k < c.npos; ++k) {
      c.before_pos[k] = static_cast<int8_t>(j);
      const bool here = j < c.loops.size() && c.loops[j].pos == k;
      c.at_pos[k] = static_cast<int8_t>(here ? static_cast<int>(j++) : -1);
    }
  }
  const Level& top_level = s.levels().front();
  std::array<bool, kNumDims> window{};  // dims of window coordinates: units stay explicit
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput})
    for (const TensorCoord& tc : s.layer().coords(t))
      if (tc.b) window[idx(tc.a)] = window[idx(*tc.b)] = true;
  Scratch sc(mem);
  for (DimChain& c : chains) {
    const Dim d = c.dim;
    if (c.loops.size() > 16) throw std::logic_error("build_chains: more than 16 loops on a dim");
    // The top-level loop's listed indices: the plan's, or all of them.
    c.has_top = !c.loops.empty() && c.loops[0].level == 0;
    if (c.has_top) {
      const TopDim* td = plan ? &plan->dim[idx(d)] : nullptr;
      if (td && td->n > 1) {
        c.sparse = true;
        c.top_x.assign(td->x.begin(), td->x.begin() + td->size);
        c.top_w1.assign(td->w1.begin(), td->w1.begin() + td->size);
        c.top_w2.assign(td->w2.begin(), td->w2.begin() + td->size);
        if (td->n <= 4096) {  // direct slot lookup (id_at, L2 / idle tiles)
          c.slot_of.assign(td->n, -1);
          for (int i = 0; i < td->size; ++i)
            if (td->x[i] >= 0 && td->x[i] < td->n) c.slot_of[td->x[i]] = i;
        }
      } else {
        const int64_t trips = top_level.loops[c.loops[0].pos].trips;  // full extent: constant
        c.top_x.resize(trips);
        for (int64_t x = 0; x < trips; ++x) c.top_x[x] = x;
        c.top_w1.assign(trips, 1);
        c.top_w2.assign(trips, 1);
        c.top_w2[0] = 0;
      }
    } else {  // the single slot {0} of weight 1
      c.top_x.assign(1, 0);
      c.top_w1.assign(1, 1);
      c.top_w2.assign(1, 0);
    }
    // Unit combinations: every one, or (sparse chains, dims without window coordinates) one per
    // class of units with equal tile lengths, weighted by the class sizes.
    enumerate(c, s.layer().dim(d), plan && !window[idx(d)], sc);
  }
  return chains;
}

}  // namespace baton::detail
