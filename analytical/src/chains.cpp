#include "chains.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <type_traits>

#include "top_classes.h"

namespace baton::detail {
namespace {

// A section of one of the store's arrays (offsets: the arrays grow during the build).
struct Sec {
  uint32_t b = 0, n = 0;
};
// (Inlined: dozens of small appends per build, a call each cost more than the copy.)
template <class T>
[[gnu::always_inline]] inline Sec append(Buf<T>& v, size_t n, const T& x) {
  const Sec s{static_cast<uint32_t>(v.grow(n)), static_cast<uint32_t>(n)};
  std::fill_n(v.data() + s.b, n, x);
  return s;
}
template <class T>
[[gnu::always_inline]] inline Sec append(Buf<T>& v, const T* from, size_t n) {
  const Sec s{static_cast<uint32_t>(v.grow(n)), static_cast<uint32_t>(n)};
  std::copy(from, from + n, v.data() + s.b);
  return s;
}
template <class T>
View<T> view(Buf<T>& v, Sec s) {
  return View<T>{v.data() + s.b, s.n};
}
template <class T>
View<const T> cview(Buf<T>& v, Sec s) {
  return View<const T>{v.data() + s.b, s.n};
}

// Shared constant sections (written once per build, viewed by several dims): {0, 1} at the
// start of i64 and i32.
constexpr Sec kZero64{0, 1}, kOne64{1, 1}, kBegin01{0, 2}, kZero32{0, 1};

// Where one dim's arrays are in the store until the build completes.
struct Layout {
  Sec levels, combo_w, entries, begin, top_x, top_w1, top_w2, slot_of, radix, stride, code_to_id,
      maxlen;
  const TopDim* plan = nullptr;  // sparse: the top-level sections are the plan's arrays
  const int64_t* top(Buf<int64_t>& i64) const {
    return plan ? plan->x.data() : i64.data() + top_x.b;
  }
};

// Appends the active tuples of one unit combination (in step order) to the store; an entry's
// idx.n holds its pool offset until the pool is complete.
struct Enumerator {
  const ChainLoop* loops;
  size_t n;
  bool has_top;
  const int64_t* top_x;
  int64_t slots;
  const int64_t* unit;
  int32_t* idx_vec;
  ChainStore& st;
  // Depth-first over the chain loops with an explicit stack (a call per tuple prefix cost more
  // than the work at it): level j iterates t over its trips within the range r[j].
  void run(int64_t extent) {
    struct Span {  // a level's range (no initialisers: [0, depth] written before read)
      int64_t lo, hi;
    };
    std::array<Span, 17> r;
    std::array<int64_t, 17> max_ext;
    std::array<int64_t, 16> t, cnt;
    int32_t slot = 0;
    r[0] = Span{0, extent}, max_ext[0] = extent;
    auto enter = [&](size_t j) {
      t[j] = 0;
      cnt[j] = j == 0 && has_top ? slots : loops[j].trips_at(max_ext[j]);
    };
    size_t j = 0;
    enter(0);
    for (;;) {
      if (t[j] < cnt[j]) {
        const ChainLoop& lp = loops[j];
        const bool temporal = lp.kind == LoopKind::kTemporal;
        const bool top = j == 0 && has_top;
        const int64_t i = top ? top_x[t[j]] : t[j];
        const int64_t first = temporal ? i : i * lp.units;
        const int64_t tile_idx = temporal ? i : first + unit[j];
        const int64_t lo = r[j].lo + tile_idx * lp.tile;
        if (lo < r[j].hi) {
          idx_vec[j] = static_cast<int32_t>(i);
          if (top) slot = static_cast<int32_t>(t[j]);
          ++t[j];
          r[j + 1] = Span{lo, std::min(lo + lp.tile, r[j].hi)};
          max_ext[j + 1] = std::max<int64_t>(0, std::min(lp.tile, max_ext[j] - first * lp.tile));
          if (j + 1 < n) {
            enter(++j);
            continue;
          }
          const int32_t off = static_cast<int32_t>(st.pool.size());
          append<int32_t>(st.pool, idx_vec, n);
          st.entries[st.entries.grow(1)] =
              ChainEntry{IdxView{nullptr, off}, Range{r[n].lo, r[n].hi}, 0, slot};
          continue;
        }
        // prefix-shaped activity: later indices are idle too
      }
      if (j == 0) break;
      --j;
    }
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
  // Loops after the last spatial one have no classes, and the lengths below it are not needed.
  size_t spatial_end = 0;
  for (size_t j = 0; j < c.loops.size(); ++j)
    if (c.loops[j].kind == LoopKind::kSpatial) spatial_end = j + 1;
  for (size_t j = 0; j < c.loops.size(); ++j) {
    const ChainLoop& lp = c.loops[j];
    const int32_t first = static_cast<int32_t>(out.size());
    if (j >= spatial_end) {
      at.emplace_back(first, first);
      continue;
    }
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
    if (j + 1 == spatial_end) continue;
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

// Entries of every (representative) unit combination, then tuple ids, appended to the store
// (c.loops and the top-level slots in `lay` are set).
void enumerate(DimChain& c, Layout& lay, ChainStore& st, int64_t extent, bool compress,
               Scratch& sc) {
  const size_t n = c.loops.size();
  if (n == 0) {  // held whole: one combination, one empty tuple (what the general path gives)
    c.combos = 1;
    lay.combo_w = kOne64;
    lay.begin = kBegin01;
    lay.entries = Sec{static_cast<uint32_t>(st.entries.grow(1)), 1};
    st.entries[lay.entries.b] =
        ChainEntry{IdxView{nullptr, static_cast<int32_t>(st.pool.size())}, Range{0, extent}, 0, 0};
    c.code_space = 1;
    lay.code_to_id = kZero32;
    c.ids = 1;
    lay.maxlen = append<int64_t>(st.i64, 1, extent);
    return;
  }
  std::array<int64_t, 16> unit;      // set per combination where read (spatial loops)
  std::array<int32_t, 16> idx_vec;   // set before each entry is stored
  const uint32_t e0 = static_cast<uint32_t>(st.entries.size());
  if (lay.levels.n == 0) {  // no spatial loop: the one combination (no unit classes to form)
    c.combos = 1;
    lay.combo_w = kOne64;
    lay.begin = append<int32_t>(st.i32, 2, 0);
    Enumerator{c.loops.data(), n, c.has_top, lay.top(st.i64),
               static_cast<int64_t>(lay.top_x.n), unit.data(), idx_vec.data(), st}
        .run(extent);
  } else {
    unit_classes(c, extent, compress, sc);
    const Vec<UnitClass>& classes = sc.classes;
    const Vec<std::pair<int32_t, int32_t>>& at = sc.at;
    int64_t reps = 1;
    for (const auto& [b, e] : at)
      if (e > b) reps *= e - b;
    c.combos = reps;
    // Unit (class) per spatial loop and combination: mixed radix, first spatial loop most
    // significant. The weights first (the entries do not touch st.i64).
    lay.combo_w = append<int64_t>(st.i64, reps, 1);
    lay.begin = append<int32_t>(st.i32, reps + 1, 0);
    Enumerator en{c.loops.data(), n, c.has_top, lay.top(st.i64),
                  static_cast<int64_t>(lay.top_x.n), unit.data(), idx_vec.data(), st};
    for (int64_t combo = 0; combo < reps; ++combo) {
      int64_t rest = combo, w = 1;
      for (size_t j = n; j-- > 0;) {
        const auto [b, e] = at[j];
        if (e == b) continue;
        const UnitClass& cl = classes[b + rest % (e - b)];
        rest /= e - b;
        unit[j] = cl.first;
        w *= cl.second;
      }
      st.i64[lay.combo_w.b + combo] = w;
      st.i32[lay.begin.b + combo] = static_cast<int32_t>(st.entries.size() - e0);
      en.run(extent);
    }
  }
  const int64_t reps = c.combos;
  const uint32_t ne = static_cast<uint32_t>(st.entries.size() - e0);
  st.i32[lay.begin.b + reps] = static_cast<int32_t>(ne);
  lay.entries = Sec{e0, ne};
  ChainEntry* const es = st.entries.data() + e0;
  const int32_t* const pool = st.pool.data();
  // Dense tuple ids: mixed-radix codes over the largest index + 1 per chain loop (the top-level
  // loop by slot).
  lay.radix = append<int64_t>(st.i64, n, 1);
  lay.stride = append<int64_t>(st.i64, n, 1);
  int64_t* const radix = st.i64.data() + lay.radix.b;
  int64_t* const stride = st.i64.data() + lay.stride.b;
  const size_t j0 = c.has_top ? 1 : 0;  // loops indexed by the pool (the top one by e.top)
  for (size_t i = 0; i < ne; ++i) {
    const int32_t* const x = pool + es[i].idx.n;
    if (j0) radix[0] = std::max<int64_t>(radix[0], es[i].top + 1);
    for (size_t j = j0; j < n; ++j) radix[j] = std::max<int64_t>(radix[j], x[j] + 1);
  }
  c.code_space = 1;
  for (size_t j = n; j-- > 0;) {
    stride[j] = c.code_space;
    c.code_space *= radix[j];
  }
  lay.code_to_id = append<int32_t>(st.i32, c.code_space, -1);
  int32_t* const code_to_id = st.i32.data() + lay.code_to_id.b;
  auto code_of = [&](const ChainEntry& e) {
    const int32_t* const x = pool + e.idx.n;
    int64_t code = j0 ? e.top * stride[0] : 0;
    for (size_t j = j0; j < n; ++j) code += x[j] * stride[j];
    return code;
  };
  for (size_t i = 0; i < ne; ++i) {
    es[i].id = static_cast<int32_t>(code_of(es[i]));  // the code until ids are known
    code_to_id[es[i].id] = 0;
  }
  c.ids = 0;
  for (int64_t k = 0; k < c.code_space; ++k)  // codes ascend in lexicographic tuple order
    if (code_to_id[k] == 0) code_to_id[k] = c.ids++;
  lay.maxlen = append<int64_t>(st.i64, c.ids, 0);
  int64_t* const maxlen = st.i64.data() + lay.maxlen.b;
  for (size_t i = 0; i < ne; ++i) {
    ChainEntry& e = es[i];
    e.id = code_to_id[e.id];
    maxlen[e.id] = std::max(maxlen[e.id], e.r.size());
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
  chains.store_ = make_in<ChainStore>(mem, mem);
  ChainStore& st = *chains.store_;
  chains.dims_ = st.dims.data();
  chains.n_ = kNumDims;
  // Loops grouped by dim (chain order = global order within a dim).
  std::array<int, kNumDims> nloops{}, nspatial{};
  int pos = 0;
  for (const Level& lvl : s.levels())
    for (const Loop& lp : lvl.loops) {
      ++nloops[idx(lp.dim)], ++pos;
      if (lp.kind == LoopKind::kSpatial) ++nspatial[idx(lp.dim)];
    }
  std::array<Layout, kNumDims> lay{};
  std::array<size_t, kNumDims> lb{};
  size_t nl = 0, ns = 0;
  for (int d = 0; d < kNumDims; ++d) {
    lb[d] = nl, nl += nloops[d];
    lay[d].levels = Sec{static_cast<uint32_t>(ns), 0}, ns += nspatial[d];
  }
  // One block for every buffer's initial capacity (typical layers need no more): the 8-byte
  // aligned arrays first, then the 4-byte ones.
  constexpr size_t c64 = 128, c32 = 256, centries = 64, cpool = 128;
  st.block_bytes = nl * sizeof(ChainLoop) + c64 * sizeof(int64_t) +
                   centries * sizeof(ChainEntry) + (ns + c32 + cpool) * sizeof(int32_t);
  st.block = mem->allocate(st.block_bytes, alignof(std::max_align_t));
  {
    char* b = static_cast<char*>(st.block);
    auto take = [&b](auto& buf, size_t cap) {
      using T = std::remove_reference_t<decltype(*buf.data())>;
      static_assert(alignof(T) <= 8, "block layout");
      buf.adopt(reinterpret_cast<T*>(b), cap);
      b += cap * sizeof(T);
    };
    static_assert(sizeof(ChainLoop) % 8 == 0 && sizeof(ChainEntry) % 8 == 0,
                  "8-byte sections first");
    take(st.loops, nl), take(st.i64, c64), take(st.entries, centries);
    take(st.levels, ns), take(st.i32, c32), take(st.pool, cpool);
  }
  st.loops.grow(nl);
  st.levels.grow(ns);
  {
    int p = 0;
    std::array<size_t, kNumDims> fill{};
    for (size_t l = 0; l < s.levels().size(); ++l) {
      const Level& lvl = s.levels()[l];
      for (const Loop& lp : lvl.loops) {
        const int d = idx(lp.dim);
        st.loops[lb[d] + fill[d]++] =
            ChainLoop{p++, lp.kind, lp.tile, lp.kind == LoopKind::kSpatial ? lvl.units : 1,
                      static_cast<int>(l), lp.extent, lp.trips};
        if (lp.kind == LoopKind::kSpatial)
          st.levels[lay[d].levels.b + lay[d].levels.n++] = static_cast<int>(l);
      }
    }
  }
  const Level& top_level = s.levels().front();
  std::array<bool, kNumDims> window{};  // dims of window coordinates: units stay explicit
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput})
    for (const TensorCoord& tc : s.layer().coords(t))
      if (tc.b) window[idx(tc.a)] = window[idx(*tc.b)] = true;
  st.i64[st.i64.grow(2)] = 0, st.i64[1] = 1;  // kZero64, kOne64
  st.i32[st.i32.grow(2)] = 0, st.i32[1] = 1;  // kBegin01, kZero32
  Scratch sc(mem);
  for (int di = 0; di < kNumDims; ++di) {
    DimChain& c = st.dims[di];
    Layout& L = lay[di];
    const Dim d = kAllDims[di];
    c.dim = d;
    c.loops = View<ChainLoop>{st.loops.data() + lb[di], static_cast<size_t>(nloops[di])};
    c.npos = std::min(pos, DimChain::kPosTable);
    // The chain's loops ascend in position: before_pos is j on (pos_{j−1}, pos_j] (0 up to
    // pos_0: as constructed). Whole-table fill of at_pos: a fixed size, no library call.
    c.at_pos.fill(-1);
    for (int j = 0, k = 0; j < nloops[di]; ++j) {
      const int p = c.loops[j].pos;
      if (p >= c.npos) {
        std::fill(c.before_pos.begin() + k, c.before_pos.begin() + c.npos, int8_t(j));
        k = c.npos;
        break;
      }
      c.at_pos[p] = int8_t(j);
      std::fill(c.before_pos.begin() + k, c.before_pos.begin() + p + 1, int8_t(j));
      k = p + 1;
      if (j + 1 == nloops[di])
        std::fill(c.before_pos.begin() + k, c.before_pos.begin() + c.npos, int8_t(j + 1));
    }
    if (c.loops.size() > 16) throw std::logic_error("build_chains: more than 16 loops on a dim");
    // The top-level loop's listed indices: the plan's, or all of them.
    c.has_top = !c.loops.empty() && c.loops[0].level == 0;
    const TopDim* td = c.has_top && plan ? &plan->dim[idx(d)] : nullptr;
    if (td && td->n > 1) {
      c.sparse = true;
      const size_t n = static_cast<size_t>(td->size);
      L.plan = td;
      L.top_x = Sec{0, static_cast<uint32_t>(n)};
      if (td->n <= 4096) {  // direct slot lookup (id_at, L2 / idle tiles)
        L.slot_of = append<int32_t>(st.i32, td->n, -1);
        for (size_t i = 0; i < n; ++i)
          if (td->x[i] >= 0 && td->x[i] < td->n) st.i32[L.slot_of.b + td->x[i]] = int32_t(i);
      }
    } else if (c.has_top) {
      const int64_t trips = top_level.loops[c.loops[0].pos].trips;  // full extent: constant
      L.top_x = append<int64_t>(st.i64, trips, 0);
      for (int64_t x = 0; x < trips; ++x) st.i64[L.top_x.b + x] = x;
      L.top_w1 = append<int64_t>(st.i64, trips, 1);
      L.top_w2 = append<int64_t>(st.i64, trips, 1);
      st.i64[L.top_w2.b] = 0;
    } else {  // the single slot {0} of weight 1
      L.top_x = kZero64, L.top_w1 = kOne64, L.top_w2 = kZero64;
    }
    // Unit combinations: every one, or (sparse chains, dims without window coordinates) one per
    // class of units with equal tile lengths, weighted by the class sizes.
    enumerate(c, L, st, s.layer().dim(d), plan && !window[idx(d)], sc);
  }
  // The store is complete: views and the entries' index pointers.
  for (int di = 0; di < kNumDims; ++di) {
    DimChain& c = st.dims[di];
    const Layout& L = lay[di];
    c.spatial_levels = view(st.levels, L.levels);
    c.combo_w = view(st.i64, L.combo_w);
    c.entries = view(st.entries, L.entries);
    c.begin = view(st.i32, L.begin);
    if (L.plan) {
      c.top_x = View<const int64_t>{L.plan->x.data(), L.top_x.n};
      c.top_w1 = View<const int64_t>{L.plan->w1.data(), L.top_x.n};
      c.top_w2 = View<const int64_t>{L.plan->w2.data(), L.top_x.n};
    } else {
      c.top_x = cview(st.i64, L.top_x);
      c.top_w1 = cview(st.i64, L.top_w1);
      c.top_w2 = cview(st.i64, L.top_w2);
    }
    c.slot_of = view(st.i32, L.slot_of);
    c.radix = view(st.i64, L.radix);
    c.stride = view(st.i64, L.stride);
    c.code_to_id = view(st.i32, L.code_to_id);
    c.maxlen = view(st.i64, L.maxlen);
    const int32_t n = static_cast<int32_t>(c.loops.size());
    for (ChainEntry& e : c.entries) e.idx = IdxView{st.pool.data() + e.idx.n, n};
  }
  return chains;
}

}  // namespace baton::detail
