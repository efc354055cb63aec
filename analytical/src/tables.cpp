// Group tables (tables.h): per-key sums over one dim's (unit combination, step entry) picks, or
// over a window pair's, for one mode / advancing position.
#include "tables.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <new>
#include <stdexcept>

#include "rows.h"

namespace baton::detail {
struct Tables::Scratch {
  explicit Scratch(Mem* m) : pairs(m), x(m), y(m), un(m), uh(m), unew(m) {}
  struct Pair {
    int64_t key;
    int32_t a, b;
  };
  Vec<Pair> pairs;
  Rows x, y, un, uh, unew;
};

namespace {

// memset in pieces below 2 KB: larger ones take a `rep stosb` path that is slow to count under
// callgrind (and no faster at these sizes). All-zero bytes are +0.0 (IEEE 754), nullptr and 0:
// zeros without a store per field.
void zero(void* p, size_t bytes) {
  std::byte* b = static_cast<std::byte*>(p);
  for (; bytes >= 2048; b += 1024, bytes -= 1024) std::memset(b, 0, 1024);
  std::memset(b, 0, bytes);
}

// Every combo lists at most one entry: the all-zero tuple, of top-level weight 1.
bool one_tuple(const DimChain& c) {
  for (int64_t u = 0; u < c.combos; ++u) {
    const EntryList list = c.list(u);
    if (list.size() > 1) return false;
    if (list.empty()) continue;
    for (const int32_t i : list.front().idx)
      if (i != 0) return false;
    if (c.top_w1[list.front().top] != 1) return false;
  }
  return true;
}

}  // namespace

Groups tensor_groups(const LayerSpec& L, Tensor t) {
  Groups groups;
  tensor_groups(L, t, groups);
  return groups;
}

void tensor_groups(const LayerSpec& L, Tensor t, Groups& groups) {
  groups.n = 0;
  std::array<bool, kNumDims> in_tensor{};
  for (const TensorCoord& c : L.coords(t)) {
    Group& g = groups.v[groups.n++];
    g.dims = {c.a, c.a};
    g.ndims = 1, g.sigma = 1, g.coupled = true;
    in_tensor[idx(c.a)] = true;
    if (c.b) {
      g.dims[1] = *c.b;
      g.ndims = 2;
      g.sigma = c.stride;
      in_tensor[idx(*c.b)] = true;
    }
  }
  for (Dim d : kAllDims)
    if (!in_tensor[idx(d)]) groups.push_back(Group{{d, d}, 1, 1, false});
}

Tables::Tables(const Schedule& s, const Chains& chains, Mem* mem)
    : chains_(chains),
      m_(num_global_loops(s)),
      store_(8192, mem),
      scratch_(make_in<Scratch>(mem, mem)) {
  const LayerSpec& L = s.layer();
  int windows = 0;
  std::array<bool, kNumDims> in_window{};
  for (int t = 0; t < 3; ++t) {
    has_[t] = L.has_tensor(static_cast<Tensor>(t));
    if (!has_[t]) continue;
    tensor_groups(L, static_cast<Tensor>(t), groups_[t]);
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      if (gr.ndims != 2) continue;
      ref_[t][g] = Ref{windows++, static_cast<int8_t>(idx(gr.dims[0])),
                       static_cast<int8_t>(idx(gr.dims[1])), true};
      in_window[idx(gr.dims[0])] = in_window[idx(gr.dims[1])] = true;
    }
  }
  // Variants per dim: transitions owned by chain loop j (j), with j loops of the dim before the
  // position (n + j), step 0 (2n + 1), final (2n + 2).
  for (const DimChain& c : chains) nv_ = std::max(nv_, 2 * static_cast<int>(c.loops.size()) + 3);
  if (nv_ > kMaxVariants) throw std::logic_error("Tables: more than 16 loops on a dim");
  for (int t = 0; t < 3; ++t)
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      Ref& r = ref_[t][g];
      if (r.window) {
        r.base *= nv_ * nv_;
      } else {
        r.a = static_cast<int8_t>(idx(gr.dims[0]));
        r.base = (idx(gr.dims[0]) * 2 + (gr.coupled ? 1 : 0)) * nv_;
      }
    }
  // Every index array in one zeroed block.
  const size_t nsingle = static_cast<size_t>(kNumDims) * 2 * nv_;
  const size_t nwindow = static_cast<size_t>(windows) * nv_ * nv_;
  const size_t nvar = static_cast<size_t>(m_ + 2) * kNumDims;
  const size_t bytes = (nsingle + nwindow) * sizeof(FlatTable*) +
                       static_cast<size_t>(kNumDims) * nv_ * sizeof(int32_t) +
                       (nvar + static_cast<size_t>(m_) + 4) * sizeof(int16_t);
  std::byte* block = static_cast<std::byte*>(store_.allocate(bytes, alignof(FlatTable*)));
  zero(block, bytes);
  single_ = reinterpret_cast<FlatTable**>(block);
  window_ = single_ + nsingle;
  npicks_ = reinterpret_cast<int32_t*>(window_ + nwindow);
  var_ = reinterpret_cast<int16_t*>(npicks_ + static_cast<size_t>(kNumDims) * nv_);
  advancing_ = var_ + nvar;
  for (const DimChain& c : chains) {
    const int n = static_cast<int>(c.loops.size());
    if (n == 0) continue;
    int16_t* var = &var_[idx(c.dim)];
    // A dim whose every unit combination lists (at most) the all-zero tuple, of top-level
    // weight 1, has the same picks (x = y = that entry, weight 1) at step 0, at the end and at
    // every position its loops do not own: one table for all of them (positions it owns never
    // advance).
    const bool one = one_tuple(c);
    int k = 0;  // chain loops are in global order
    for (int j = 0; j <= n; ++j) {
      const int16_t between = static_cast<int16_t>(one ? 2 * n + 1 : n + j);
      const int end = j < n ? c.loops[j].pos : m_;
      for (; k < end; ++k) var[k * kNumDims] = between;
      if (j == n) break;
      var[k * kNumDims] = static_cast<int16_t>(j);
      // advancing_ doubles as a flag per position until it is compacted below
      advancing_[k++] = c.radix[j] > 1 ? 1 : 0;
    }
    var[m_ * kNumDims] = static_cast<int16_t>(2 * n + 1);
    var[(m_ + 1) * kNumDims] = static_cast<int16_t>(one ? 2 * n + 1 : 2 * n + 2);
  }
  for (int k = 0; k < m_; ++k)
    if (advancing_[k]) advancing_[nadvancing_++] = static_cast<int16_t>(k);
  // The variants step 0, the end and the advancing positions use (tensor_counts asks for all of
  // them, the class pass for some).
  // Dims without loops outside windows (no picks needed): their one variant directly, the
  // tables of all of them in one block.
  const auto fixed = [&](const DimChain& c) {
    return c.loops.empty() && c.ids == 1 && !in_window[idx(c.dim)];
  };
  int nfixed = 0;
  for (const DimChain& c : chains) nfixed += fixed(c) ? 1 : 0;
  FlatTable* fx = nfixed == 0 ? nullptr
                              : static_cast<FlatTable*>(store_.allocate(
                                    nfixed * (2 * sizeof(FlatTable) + 2 * sizeof(Sums)),
                                    alignof(FlatTable)));
  for (const DimChain& c : chains) {
    const int n = static_cast<int>(c.loops.size());
    if (fixed(c)) {
      build_fixed(c, fx);
      fx = reinterpret_cast<FlatTable*>(reinterpret_cast<Sums*>(fx + 2) + 2);
      continue;
    }
    list_picks(c);
    std::array<uint8_t, kMaxVariants> need{};
    need[n == 0 ? 0 : 2 * n + 1] = need[n == 0 ? 0 : 2 * n + 2] = 1;
    if (n > 0)
      for (const int16_t k : advancing()) need[var_[k * kNumDims + idx(c.dim)]] = 1;
    build_single(c, need.data());
    // What each PE ever holds (tensor_counts): every entry with its top-level weight.
    Held& h = held_[idx(c.dim)];
    for (int64_t u = 0; u < c.combos; ++u) {
      const EntryList list = c.list(u);
      if (list.empty()) continue;
      const double cw = double(c.combo_w[u]);
      h.any = 1;
      h.free += cw;
      for (const auto& e : list) h.coupled += cw * double(c.top_w1[e.top]) * double(e.r.size());
    }
  }
  for (int t = 0; t < 3; ++t) {
    if (!has_[t]) continue;
    constant_[t] = Sums{1, 1, 1, 1, 1, 1};
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      const bool loops = var_[m_ * kNumDims + idx(gr.dims[0])] != 0 ||
                         (gr.ndims == 2 && var_[m_ * kNumDims + idx(gr.dims[1])] != 0);
      if (loops) {
        varying_[t].push_back(static_cast<int8_t>(g));
        continue;
      }
      const Sums& x = get(t, g, Mode::kStep0, 0).total;
      Sums& c = constant_[t];
      c.n *= x.n, c.h *= x.h, c.i *= x.i, c.nd *= x.nd, c.hd *= x.hd, c.id *= x.id;
    }
  }
}
Tables::~Tables() = default;

void Tables::list_picks(const DimChain& c) {
  const int d = idx(c.dim);
  // Each variant picks an entry at most once: a bucket of entries.size() picks per variant,
  // filled in for_picks order.
  const size_t stride = c.entries.size();
  const int nv = c.loops.empty() ? 1 : 2 * static_cast<int>(c.loops.size()) + 3;
  Pick* const p = static_cast<Pick*>(
      store_.allocate(std::max<size_t>(1, stride * nv) * sizeof(Pick), alignof(Pick)));
  int32_t* const n = &npicks_[d * nv_];
  for_all_picks(c, [&](int v, int64_t u, const ChainEntry& x, const ChainEntry& y, double w) {
    p[v * stride + n[v]++] = Pick{&x, &y, w, double(c.combo_w[u])};
  });
  picks_[d] = p;
  stride_[d] = stride;
}

void Tables::build_fixed(const DimChain& c, FlatTable* ft) {
  // The one variant (as at step 0) picks each combo's entry (the empty tuple, id 0) with
  // itself, weight 1: build_single's sums, in the same order, without listing the picks.
  double n = 0, cws = 0, any = 0, held = 0;
  for (int64_t u = 0; u < c.combos; ++u) {
    const EntryList list = c.list(u);
    if (list.empty()) continue;
    const ChainEntry& e = list.front();
    const double cw = double(c.combo_w[u]);
    n += cw * double(e.r.size());
    cws += cw;
    any = 1;
    held += cw * double(c.top_w1[e.top]) * double(e.r.size());
  }
  Sums* key = reinterpret_cast<Sums*>(ft + 2);
  key[0] = Sums{n, n, n, n, n, n};
  key[1] = any != 0 ? Sums{cws, cws, cws, 1, 1, 1} : Sums{};
  ft[0].v = key, ft[0].size = 1, ft[0].total = key[0];
  ft[1].v = key + 1, ft[1].size = 1, ft[1].total = key[1];
  single_[(idx(c.dim) * 2 + 1) * nv_] = &ft[0];
  single_[idx(c.dim) * 2 * nv_] = &ft[1];
  held_[idx(c.dim)] = Held{held, cws, any};
}

void Tables::build_single(const DimChain& c, const uint8_t* need) {
  static_assert(std::is_trivially_copyable_v<Sums> && std::is_trivially_copyable_v<FlatTable>);
  static_assert(sizeof(FlatTable) % alignof(Sums) == 0 && alignof(FlatTable) <= alignof(Sums));
  const int d = idx(c.dim);
  const int n = static_cast<int>(c.loops.size());
  const int nv = n == 0 ? 1 : 2 * n + 3;
  // Free dims at step 0 / the end (variants from nkeyed on) have one key (siblings hold equal
  // tiles, point 4: one per step tuple, and one for the final write-back even when siblings
  // ended at different steps).
  const int64_t ids = std::max<int32_t>(c.ids, 1);
  const int nkeyed = n > 0 ? 2 * n + 1 : 0;
  // One block: the FlatTables of the variants built (every field set below), then their keys.
  int built = 0;
  int64_t keys = 0;
  for (int v = 0; v < nv; ++v)
    if (need[v]) ++built, keys += ids + (v < nkeyed ? ids : 1);
  if (built == 0) return;
  FlatTable* ft = static_cast<FlatTable*>(store_.allocate(
      2 * built * sizeof(FlatTable) + static_cast<size_t>(keys) * sizeof(Sums), alignof(FlatTable)));
  Sums* key = reinterpret_cast<Sums*>(ft + 2 * built);
  zero(key, static_cast<size_t>(keys) * sizeof(Sums));
  FlatTable** const sco = &single_[(d * 2 + 1) * nv_];
  FlatTable** const sfr = &single_[d * 2 * nv_];
  for (int v = 0; v < nv; ++v) {
    if (!need[v]) continue;
    const int64_t nf = v < nkeyed ? ids : 1;
    FlatTable& co = *ft++;
    FlatTable& fr = *ft++;
    Sums* const vc = key;
    Sums* const vf = vc + ids;
    key += ids + nf;
    co.v = vc, co.size = c.ids;
    fr.v = vf, fr.size = v < nkeyed ? c.ids : 1;
    sco[v] = &co;
    sfr[v] = &fr;
    // Totals weight each key by the top-level indices it stands for (the same for every pick
    // of the key), summed per pick: all terms are integers, exact in any order.
    Sums tc, tf;
    int32_t np = 0;
    const Pick* pk = picks(d, v, np);
    if (c.combos == 1) {
      // One combo: a variant picks each entry (so each key) at most once, and step 0 / the end
      // one entry: the sums are the pick's own, stored without accumulating.
      for (int32_t i = 0; i < np; ++i) {
        const ChainEntry& x = *pk[i].x;
        const ChainEntry& y = *pk[i].y;
        const double cw = pk[i].cw, tw = pk[i].w;
        vf[v < nkeyed ? x.id : 0] = Sums{cw, cw, cw, 1, 1, 1};
        tf.n += tw * cw, tf.nd += tw;
        const double xi =
            double(std::max<int64_t>(0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
        const double qn = cw * double(x.r.size()), qh = cw * double(y.r.size()), qi = cw * xi;
        vc[x.id] = Sums{qn, qh, qi, qn, qh, qi};
        tc.n += tw * qn, tc.h += tw * qh, tc.i += tw * qi;
      }
      np = 0;
    }
    for (int32_t i = 0; i < np; ++i) {
      const ChainEntry& x = *pk[i].x;
      const ChainEntry& y = *pk[i].y;
      const double cw = pk[i].cw, tw = pk[i].w;
      Sums& f = vf[v < nkeyed ? x.id : 0];
      f.n += cw, f.h += cw, f.i += cw;
      if (f.nd == 0) {
        f.nd = f.hd = f.id = 1;
        tf.nd += tw;
      }
      tf.n += tw * cw;
      Sums& q = vc[x.id];
      const double xi =
          double(std::max<int64_t>(0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
      const double qn = cw * double(x.r.size()), qh = cw * double(y.r.size()), qi = cw * xi;
      q.n += qn, q.h += qh, q.i += qi;
      q.nd = q.n, q.hd = q.h, q.id = q.i;  // units of a coupled dim hold disjoint tiles
      tc.n += tw * qn, tc.h += tw * qh, tc.i += tw * qi;
    }
    co.total = Sums{tc.n, tc.h, tc.i, tc.n, tc.h, tc.i};
    fr.total = Sums{tf.n, tf.n, tf.n, tf.nd, tf.nd, tf.nd};
  }
}

const FlatTable& Tables::build(int t, size_t g, int r) {
  const Group& gr = groups_[t][g];
  const int va = variant(gr.dims[0], r);
  if (gr.ndims == 2) return build_window(t, g, va, variant(gr.dims[1], r));
  // A single-dim variant the constructor did not build.
  const DimChain& c = chains_[idx(gr.dims[0])];
  std::array<uint8_t, kMaxVariants> need{};
  need[va] = 1;
  build_single(c, need.data());
  return *single_[(idx(gr.dims[0]) * 2 + (gr.coupled ? 1 : 0)) * nv_ + va];
}

namespace {

// The rows {p·σ + r} (window_rows) as one interval (empty: {0, 0}), when they form one.
bool span(const Range& p, const Range& r, int64_t sigma, Iv& out) {
  if (p.size() <= 0 || r.size() <= 0) {
    out = {0, 0};
    return true;
  }
  if (r.size() < sigma && p.size() > 1) return false;
  out = {p.lo * sigma + r.lo, (p.hi - 1) * sigma + r.hi};
  return true;
}

}  // namespace

const FlatTable& Tables::build_window(int t, size_t g, int va, int vb) {
  const Group& gr = groups_[t][g];
  FlatTable*& slot = window_[ref_[t][g].base + va * nv_ + vb];
  if (slot) return *slot;
  const int64_t keys = std::max<int64_t>(int64_t{chains_[idx(gr.dims[0])].ids} * chains_[idx(gr.dims[1])].ids, 1);
  FlatTable* tab = static_cast<FlatTable*>(
      store_.allocate(sizeof(FlatTable) + static_cast<size_t>(keys) * sizeof(Sums), alignof(FlatTable)));
  fill_window(*tab, gr, va, vb);
  return *(slot = tab);
}

void Tables::fill_window(FlatTable& tab, const Group& gr, int va, int vb) {
  // Window pair: units may share rows (halo), so distinct counts take explicit unions per key.
  const int a = idx(gr.dims[0]), b = idx(gr.dims[1]);
  const int64_t nb = chains_[b].ids;
  const int64_t size = int64_t{chains_[a].ids} * nb;
  int32_t npa = 0, npb = 0;
  const Pick* pa = picks(a, va, npa);
  const Pick* pb = picks(b, vb, npb);
  Sums* const v = reinterpret_cast<Sums*>(&tab + 1);  // the keys follow the table
  zero(v, static_cast<size_t>(std::max<int64_t>(size, 1)) * sizeof(Sums));
  tab.v = v, tab.size = size, tab.total = Sums{};
  Sums& tot = tab.total;
  // The key's weight (the same for each of its pairs) times its sums; integers, exact.
  const auto add = [&tot](const Sums& q, double w) {
    tot.n += w * q.n, tot.h += w * q.h, tot.i += w * q.i;
    tot.nd += w * q.nd, tot.hd += w * q.hd, tot.id += w * q.id;
  };
  Scratch& sc = *scratch_;
  // One pair: its row sets are sorted and disjoint, so the unions are the sets themselves and
  // |N| − |N \ H| = |N ∩ H|: the distinct sums equal the plain ones.
  const auto one = [&](const Pick& p, const Pick& r, Sums& q) {
    Iv x, y;
    if (span(p.x->r, r.x->r, gr.sigma, x) && span(p.y->r, r.y->r, gr.sigma, y)) {
      q.n = q.nd = double(x.hi - x.lo);
      q.h = q.hd = double(y.hi - y.lo);
      q.i = q.id = double(std::max<int64_t>(0, std::min(x.hi, y.hi) - std::max(x.lo, y.lo)));
      return;
    }
    sc.x.clear(), sc.y.clear();
    window_rows(p.x->r, r.x->r, gr.sigma, sc.x);
    window_rows(p.y->r, r.y->r, gr.sigma, sc.y);
    q.n = q.nd = double(size_of(sc.x));
    q.h = q.hd = double(size_of(sc.y));
    q.i = q.id = double(common(sc.x, sc.y));
  };
  // Keys ascend over (a, b) and differ when both dims' ids ascend strictly (one combo each):
  // one pair per key, in key order without sorting.
  const auto ascending = [](const Pick* p, int32_t n) {
    for (int32_t i = 1; i < n; ++i)
      if (p[i].x->id <= p[i - 1].x->id) return false;
    return true;
  };
  if (ascending(pa, npa) && ascending(pb, npb)) {
    for (int32_t i = 0; i < npa; ++i)
      for (int32_t j = 0; j < npb; ++j) {
        Sums& q = v[int64_t{pa[i].x->id} * nb + pb[j].x->id];
        Iv x, y;  // one's fast case, inline
        if (span(pa[i].x->r, pb[j].x->r, gr.sigma, x) &&
            span(pa[i].y->r, pb[j].y->r, gr.sigma, y)) {
          const double n = double(x.hi - x.lo), h = double(y.hi - y.lo);
          const double c = double(std::max<int64_t>(0, std::min(x.hi, y.hi) - std::max(x.lo, y.lo)));
          q = Sums{n, h, c, n, h, c};
        } else {
          one(pa[i], pb[j], q);
        }
        add(q, pa[i].w * pb[j].w);
      }
    return;
  }
  sc.pairs.clear();
  for (int32_t i = 0; i < npa; ++i)
    for (int32_t j = 0; j < npb; ++j)
      sc.pairs.push_back({int64_t{pa[i].x->id} * nb + pb[j].x->id, i, j});
  // By key, pairs of one key in generation order (a, then b): what a stable sort by key gives,
  // without its temporary buffer.
  std::sort(sc.pairs.begin(), sc.pairs.end(), [](const Scratch::Pair& p, const Scratch::Pair& q) {
    return p.key != q.key ? p.key < q.key : p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  for (size_t p = 0; p < sc.pairs.size();) {
    const int64_t key = sc.pairs[p].key;
    Sums& q = v[key];
    if (p + 1 == sc.pairs.size() || sc.pairs[p + 1].key != key) {
      one(pa[sc.pairs[p].a], pb[sc.pairs[p].b], q);
      add(q, pa[sc.pairs[p].a].w * pb[sc.pairs[p].b].w);
      ++p;
      continue;
    }
    double w = 0;
    sc.un.clear(), sc.uh.clear(), sc.unew.clear();
    for (; p < sc.pairs.size() && sc.pairs[p].key == key; ++p) {
      const Pick& x = pa[sc.pairs[p].a];
      const Pick& y = pb[sc.pairs[p].b];
      sc.x.clear(), sc.y.clear();
      window_rows(x.x->r, y.x->r, gr.sigma, sc.x);
      window_rows(x.y->r, y.y->r, gr.sigma, sc.y);
      w = x.w * y.w;
      q.n += double(size_of(sc.x)), q.h += double(size_of(sc.y));
      q.i += double(common(sc.x, sc.y));
      subtract(sc.x, sc.y, sc.unew);
      sc.un.insert(sc.un.end(), sc.x.begin(), sc.x.end());
      sc.uh.insert(sc.uh.end(), sc.y.begin(), sc.y.end());
    }
    // Distinct: n = |∪ N|, h = |∪ H|, and i chosen so that n − i = |∪ (N \ H)| (exact when
    // this is the only group with units).
    const int64_t un = union_size(sc.un);
    q.nd = double(un);
    q.hd = double(union_size(sc.uh));
    q.id = double(un) - double(union_size(sc.unew));
    add(q, w);
  }
}

}  // namespace baton::detail
