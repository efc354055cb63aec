// Window-pair group tables (tables.h): per key of the pair's two dims, sums over the pairs of
// their picks, with explicit row sets where units may share rows (halo).
#include <algorithm>
#include <cstdint>

#include "rows.h"
#include "tables.h"

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

Tables::ScratchPtr Tables::new_scratch(Mem* mem) {
  return ScratchPtr(make_in<Scratch>(mem, mem).release(), ScratchFree{mem});
}
void Tables::ScratchFree::operator()(Scratch* p) const { MemDelete<Scratch>{mem}(p); }
Tables::Scratch& Tables::scratch() {
  if (!scratch_) scratch_ = new_scratch(scratch_.get_deleter().mem);
  return *scratch_;
}
Tables::~Tables() = default;

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
  // Keys ascend over (a, b) and differ when both dims' ids ascend strictly (one combo each):
  // one pair per key, in key order without sorting.
  const auto ascending = [](const Pick* p, int32_t n) {
    for (int32_t i = 1; i < n; ++i)
      if (p[i].x->id <= p[i - 1].x->id) return false;
    return true;
  };
  const bool asc = ascending(pa, npa) && ascending(pb, npb);
  // Ascending ids below ids(a) (ids(b)), as many as there are ids: every id once, so the pairs
  // write every key (each of its six sums): no zeroing needed.
  if (!(asc && size > 0 && npa == chains_[a].ids && npb == nb))
    zero_bytes(v, static_cast<size_t>(std::max<int64_t>(size, 1)) * sizeof(Sums));
  tab.v = v, tab.size = size, tab.total = Sums{};
  Sums& tot = tab.total;
  // The key's weight (the same for each of its pairs) times its sums; integers, exact.
  const auto add = [&tot](const Sums& q, double w) {
    tot.n += w * q.n, tot.h += w * q.h, tot.i += w * q.i;
    tot.nd += w * q.nd, tot.hd += w * q.hd, tot.id += w * q.id;
  };
  // One pair: its row sets are sorted and disjoint, so the unions are the sets themselves and
  // |N| − |N \ H| = |N ∩ H|: the distinct sums equal the plain ones. Usually both unions are
  // single intervals (span); else the rows are listed.
  const auto one = [&](const Pick& p, const Pick& r, Sums& q) {
    Iv x, y;
    if (span(p.x->r, r.x->r, gr.sigma, x) && span(p.y->r, r.y->r, gr.sigma, y)) {
      const double n = double(x.hi - x.lo), h = double(y.hi - y.lo);
      const double c = double(std::max<int64_t>(0, std::min(x.hi, y.hi) - std::max(x.lo, y.lo)));
      q = Sums{n, h, c, n, h, c};
      return;
    }
    Scratch& ss = scratch();
    ss.x.clear(), ss.y.clear();
    window_rows(p.x->r, r.x->r, gr.sigma, ss.x);
    window_rows(p.y->r, r.y->r, gr.sigma, ss.y);
    q.n = q.nd = double(size_of(ss.x));
    q.h = q.hd = double(size_of(ss.y));
    q.i = q.id = double(common(ss.x, ss.y));
  };
  if (asc) {
    for (int32_t i = 0; i < npa; ++i)
      for (int32_t j = 0; j < npb; ++j) {
        Sums& q = v[int64_t{pa[i].x->id} * nb + pb[j].x->id];
        one(pa[i], pb[j], q);
        add(q, pa[i].w * pb[j].w);
      }
    return;
  }
  Scratch& sc = scratch();
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
