// Group tables (tables.h): per-key sums over one dim's (unit combination, step entry) picks, or
// over a window pair's, for one mode / advancing position.
#include "tables.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <new>

#include "rows.h"

namespace baton::detail {
namespace {

// Σ over keys of v[key] · w[key] (w: top-level indices per key).
Sums weighted_total(const Sums* v, const double* w, int64_t n) {
  Sums x;
  for (int64_t key = 0; key < n; ++key) {
    const double k = w[key];
    x.n += k * v[key].n, x.h += k * v[key].h, x.i += k * v[key].i;
    x.nd += k * v[key].nd, x.hd += k * v[key].hd, x.id += k * v[key].id;
  }
  return x;
}

}  // namespace

struct Tables::Scratch {
  explicit Scratch(Mem* m)
      : w(m), pa(m), pb(m), pairs(m), x(m), y(m), un(m), uh(m), unew(m) {}
  Vec<double> w;
  struct Pk {
    const ChainEntry* x;
    const ChainEntry* y;
    double w;
  };
  Vec<Pk> pa, pb;
  struct Pair {
    int64_t key;
    int32_t a, b;
  };
  Vec<Pair> pairs;
  Rows x, y, un, uh, unew;
};

Groups tensor_groups(const LayerSpec& L, Tensor t) {
  Groups groups;
  std::array<bool, kNumDims> in_tensor{};
  for (const TensorCoord& c : L.coords(t)) {
    Group g;
    g.dims[0] = c.a;
    in_tensor[idx(c.a)] = true;
    if (c.b) {
      g.dims[1] = *c.b;
      g.ndims = 2;
      g.sigma = c.stride;
      in_tensor[idx(*c.b)] = true;
    }
    groups.push_back(g);
  }
  for (Dim d : kAllDims)
    if (!in_tensor[idx(d)]) groups.push_back(Group{{d, d}, 1, 1, false});
  return groups;
}

Tables::Tables(const Schedule& s, const Chains& chains, Mem* mem)
    : chains_(chains),
      m_(num_global_loops(s)),
      var_(mem),
      single_(mem),
      window_(mem),
      store_(8192, mem),
      scratch_(make_in<Scratch>(mem, mem)) {
  const LayerSpec& L = s.layer();
  int windows = 0;
  for (auto& w : wslot_) w.fill(-1);
  for (int t = 0; t < 3; ++t) {
    has_[t] = L.has_tensor(static_cast<Tensor>(t));
    if (!has_[t]) continue;
    groups_[t] = tensor_groups(L, static_cast<Tensor>(t));
    for (size_t g = 0; g < groups_[t].size() && g < 16; ++g)
      if (groups_[t][g].ndims == 2) wslot_[t][g] = static_cast<int8_t>(windows++);
  }
  // Variants per dim: transitions owned by chain loop j (j), with j loops of the dim before the
  // position (n + j), step 0 (2n + 1), final (2n + 2).
  for (const DimChain& c : chains) nv_ = std::max(nv_, 2 * static_cast<int>(c.loops.size()) + 3);
  for (const DimChain& c : chains) nloops_[idx(c.dim)] = static_cast<int>(c.loops.size());
  var_.resize(static_cast<size_t>(m_) * kNumDims);
  for (const DimChain& c : chains) {
    const int n = static_cast<int>(c.loops.size());
    int before = 0;
    for (int k = 0; k < m_; ++k) {
      const int owner = c.loop_at(k);
      var_[k * kNumDims + idx(c.dim)] = static_cast<int16_t>(owner >= 0 ? owner : n + before);
      before += owner >= 0 ? 1 : 0;
    }
  }
  single_.assign(static_cast<size_t>(kNumDims) * 2 * nv_, nullptr);
  window_.assign(static_cast<size_t>(windows) * nv_ * nv_, nullptr);
  for (int t = 0; t < 3; ++t) {
    if (!has_[t]) continue;
    constant_[t] = Sums{1, 1, 1, 1, 1, 1};
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      const bool loops = !chains[idx(gr.dims[0])].loops.empty() ||
                         (gr.ndims == 2 && !chains[idx(gr.dims[1])].loops.empty());
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

Sums* Tables::alloc(int64_t n) {
  static_assert(std::is_trivially_copyable_v<Sums> && sizeof(Sums) == 6 * sizeof(double));
  const size_t count = static_cast<size_t>(std::max<int64_t>(n, 1));
  Sums* p = static_cast<Sums*>(store_.allocate(count * sizeof(Sums), alignof(Sums)));
  // All-zero bytes are +0.0 (IEEE 754): the same zeros as Sums() without a store per field.
  std::memset(static_cast<void*>(p), 0, count * sizeof(Sums));
  return p;
}

FlatTable* Tables::new_table() {
  static_assert(sizeof(FlatTable) % alignof(Sums) == 0 && alignof(FlatTable) <= alignof(Sums));
  static_assert(sizeof(FlatTable) <= 2 * sizeof(Sums));
  return new (alloc(2)) FlatTable();
}

const FlatTable& Tables::build(int t, size_t g, Mode mode, int k) {
  const Group& gr = groups_[t][g];
  const Dim a = gr.dims[0];
  const int va = variant(a, mode, k);
  Scratch& sc = *scratch_;
  if (gr.ndims == 1) {
    // Coupled and free tables of the dim (most dims are coupled to one tensor and free in
    // another) from one pass over the picks.
    FlatTable** slots = &single_[idx(a) * 2 * nv_ + va];  // [0]: free, [nv_]: coupled
    FlatTable*& slot = slots[gr.coupled ? nv_ : 0];
    if (slot) return *slot;
    FlatTable& fr = *(slots[0] = new_table());
    FlatTable& co = *(slots[nv_] = new_table());
    const DimChain& c = chains_[idx(a)];
    // Free dims at step 0 / the end: one key (siblings hold equal tiles, point 4: one per step
    // tuple, and one for the final write-back even when siblings ended at different steps).
    const bool keyed = mode == Mode::kTransition;
    co.size = c.ids;
    fr.size = keyed ? c.ids : 1;
    Sums* vc = alloc(co.size);
    Sums* vf = alloc(fr.size);
    co.v = vc, fr.v = vf;
    sc.w.assign(2 * co.size, 0.0);
    double* wc = sc.w.data();
    double* wf = wc + co.size;
    for_picks(c, mode, k, [&](int64_t u, const ChainEntry& x, const ChainEntry& y, double tw) {
      const double cw = double(c.combo_w[u]);
      const int64_t kf = keyed ? x.id : 0;
      wf[kf] = tw;
      Sums& f = vf[kf];
      f.n += cw, f.h += cw, f.i += cw;
      f.nd = f.hd = f.id = 1;
      wc[x.id] = tw;
      Sums& q = vc[x.id];
      const double i =
          double(std::max<int64_t>(0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
      q.n += cw * double(x.r.size()), q.h += cw * double(y.r.size()), q.i += cw * i;
      q.nd = q.n, q.hd = q.h, q.id = q.i;  // units of a coupled dim hold disjoint tiles
    });
    co.total = weighted_total(vc, wc, co.size);
    fr.total = weighted_total(vf, wf, fr.size);
    return *slot;
  }
  const Dim b = gr.dims[1];
  const int vb = variant(b, mode, k);
  FlatTable*& slot = window_[(wslot_[t][g] * nv_ + va) * nv_ + vb];
  if (slot) return *slot;
  slot = new_table();
  FlatTable& tab = *slot;
  // Window pair: units may share rows (halo), so distinct counts take explicit unions per key.
  const DimChain& ca = chains_[idx(a)];
  const DimChain& cb = chains_[idx(b)];
  sc.pa.clear(), sc.pb.clear(), sc.pairs.clear();
  for_picks(ca, mode, k, [&](int64_t, const ChainEntry& x, const ChainEntry& y, double w) {
    sc.pa.push_back({&x, &y, w});
  });
  for_picks(cb, mode, k, [&](int64_t, const ChainEntry& x, const ChainEntry& y, double w) {
    sc.pb.push_back({&x, &y, w});
  });
  const int64_t nb = cb.ids;
  for (size_t i = 0; i < sc.pa.size(); ++i)
    for (size_t j = 0; j < sc.pb.size(); ++j)
      sc.pairs.push_back({int64_t{sc.pa[i].x->id} * nb + sc.pb[j].x->id, static_cast<int32_t>(i),
                          static_cast<int32_t>(j)});
  // By key, pairs of one key in generation order (a, then b): what a stable sort by key gives,
  // without its temporary buffer.
  std::sort(sc.pairs.begin(), sc.pairs.end(), [](const Scratch::Pair& p, const Scratch::Pair& q) {
    return p.key != q.key ? p.key < q.key : p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  tab.size = static_cast<int64_t>(ca.ids) * nb;
  Sums* v = alloc(tab.size);
  tab.v = v;
  sc.w.assign(tab.size, 0.0);
  for (size_t p = 0; p < sc.pairs.size();) {
    const int64_t key = sc.pairs[p].key;
    Sums& q = v[key];
    if (p + 1 == sc.pairs.size() || sc.pairs[p + 1].key != key) {
      // One pair: its row sets are sorted and disjoint, so the unions are the sets themselves
      // and |N| − |N \ H| = |N ∩ H|: the distinct sums equal the plain ones.
      const Scratch::Pk& pa = sc.pa[sc.pairs[p].a];
      const Scratch::Pk& pb = sc.pb[sc.pairs[p].b];
      sc.x.clear(), sc.y.clear();
      window_rows(pa.x->r, pb.x->r, gr.sigma, sc.x);
      window_rows(pa.y->r, pb.y->r, gr.sigma, sc.y);
      sc.w[key] = pa.w * pb.w;
      q.n = q.nd = double(size_of(sc.x));
      q.h = q.hd = double(size_of(sc.y));
      q.i = q.id = double(common(sc.x, sc.y));
      ++p;
      continue;
    }
    sc.un.clear(), sc.uh.clear(), sc.unew.clear();
    for (; p < sc.pairs.size() && sc.pairs[p].key == key; ++p) {
      const Scratch::Pk& pa = sc.pa[sc.pairs[p].a];
      const Scratch::Pk& pb = sc.pb[sc.pairs[p].b];
      sc.x.clear(), sc.y.clear();
      window_rows(pa.x->r, pb.x->r, gr.sigma, sc.x);
      window_rows(pa.y->r, pb.y->r, gr.sigma, sc.y);
      sc.w[key] = pa.w * pb.w;
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
  }
  tab.total = weighted_total(v, sc.w.data(), tab.size);
  return tab;
}

}  // namespace baton::detail
