// Closed-form per-tensor traffic: for each advancing loop position k the (PE, step) pairs form a
// product over dimension groups, so every count is Π_g Σ a_g − Π_g Σ b_g (docs/ANALYTICAL.md).
#include "traffic.h"

#include <algorithm>
#include <unordered_map>

namespace baton::detail {
namespace {

using Rows = std::vector<int64_t>;

// {p·σ + r : p ∈ P, r ∈ R} as a sorted set.
void window_rows(const Range& p, const Range& r, int64_t sigma, Rows& out) {
  out.clear();
  if (r.size() >= sigma || p.size() <= 1) {
    if (p.size() <= 0 || r.size() <= 0) return;
    for (int64_t x = p.lo * sigma + r.lo; x < (p.hi - 1) * sigma + r.hi; ++x) out.push_back(x);
    return;
  }
  for (int64_t a = p.lo; a < p.hi; ++a)  // disjoint blocks in ascending order
    for (int64_t b = r.lo; b < r.hi; ++b) out.push_back(a * sigma + b);
}
int64_t common(const Rows& a, const Rows& b) {
  int64_t n = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++n, ++i, ++j;
  }
  return n;
}

// Selected entries of one dim for a mode/position: f(combo, step entry x, previous entry y, w)
// with w the number of top-level indices the pick stands for (chains.h: sparse chains).
template <class F>
void for_picks(const DimChain& c, Mode mode, int k, F&& f) {
  const int owner = mode == Mode::kTransition ? c.loop_at(k) : -1;
  const int jb = mode == Mode::kTransition ? c.loops_before(k) : 0;
  const int n = static_cast<int>(c.loops.size());
  const bool top_owner = owner == 0 && c.has_top;
  for (int64_t combo = 0; combo < c.combos; ++combo) {
    const EntryList list = c.list(combo);
    if (list.empty()) continue;
    if (mode == Mode::kStep0) {
      f(combo, list.front(), list.front(), 1.0);  // step 0 is every PE's first
      continue;
    }
    if (mode == Mode::kFinal) {
      f(combo, list.back(), list.back(), 1.0);
      continue;
    }
    if (owner < 0 && jb == n) {  // every loop of the dim is outside: x = y for every entry
      for (const auto& e : list) f(combo, e, e, double(c.top_w1[e.top]));
      continue;
    }
    for (size_t t = 0; t < list.size(); ++t) {
      const IdxView e = list[t].idx;
      if (owner >= 0) {
        if (e[owner] < 1) continue;
        bool zeros = true;
        for (int j = owner + 1; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        if (!top_owner) {
          f(combo, list[t], list[t - 1], double(c.top_w1[list[t].top]));
        } else if (list[t - 1].idx[0] == e[0] - 1) {  // x − 1 is listed
          f(combo, list[t], list[t - 1], double(c.top_w2[list[t].top]));
        }
      } else {
        bool zeros = true;
        for (int j = jb; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        size_t last = t;
        while (last + 1 < list.size() &&
               std::equal(e.begin(), e.begin() + jb, list[last + 1].idx.begin()))
          ++last;
        // jb = 0: the all-zero tuple (top-level index 0) after the list's last entry.
        f(combo, list[t], list[last], jb == 0 ? 1.0 : double(c.top_w1[list[t].top]));
      }
    }
  }
}

// total = Σ_key v[key] · w[key] (w: top-level indices per key; 1 when empty).
void finish(FlatTable& tab, const std::vector<double>& w) {
  Sums x;
  for (size_t key = 0; key < tab.v.size(); ++key) {
    const Sums& v = tab.v[key];
    const double k = w.empty() ? 1.0 : w[key];
    x.n += k * v.n, x.h += k * v.h, x.i += k * v.i;
    x.nd += k * v.nd, x.hd += k * v.hd, x.id += k * v.id;
  }
  tab.total = x;
}

// Σ over (unit combos × entries) of one single-dim group for one mode/position, per step tuple.
std::unique_ptr<FlatTable> single_table(const DimChain& c, bool coupled, Mode mode, int k) {
  auto tab = std::make_unique<FlatTable>();
  auto& v = tab->v;
  std::vector<double> w;
  if (!coupled) {
    const bool keyed = mode == Mode::kTransition;
    v.resize(keyed ? c.ids : 1);
    w.resize(v.size());
    for_picks(c, mode, k, [&](int64_t u, const ChainEntry& x, const ChainEntry&, double tw) {
      w[keyed ? x.id : 0] = tw;
      Sums& s = v[keyed ? x.id : 0];
      const double cw = double(c.combo_w[u]);
      s.n += cw, s.h += cw, s.i += cw;
      // Siblings hold equal tiles of the tensor (point 4): one per step tuple, and one for the
      // final write-back even when siblings ended at different steps.
      s.nd = s.hd = s.id = 1;
    });
  } else {
    v.resize(c.ids);
    w.resize(v.size());
    for_picks(c, mode, k, [&](int64_t u, const ChainEntry& x, const ChainEntry& y, double tw) {
      w[x.id] = tw;
      const double cw = double(c.combo_w[u]);
      const double n = cw * double(x.r.size()), h = cw * double(y.r.size());
      const double i = cw * double(std::max<int64_t>(
                                0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
      Sums& s = v[x.id];
      s.n += n, s.h += h, s.i += i;
      s.nd = s.n, s.hd = s.h, s.id = s.i;  // units of a coupled dim hold disjoint tiles
    });
  }
  finish(*tab, w);
  return tab;
}

// Window pair: units may share rows (halo), so distinct counts take explicit unions per tuple.
std::unique_ptr<FlatTable> window_table(const DimChain& ca, const DimChain& cb, int64_t sigma,
                                        Mode mode, int k) {
  struct Pk {
    const ChainEntry* x;
    const ChainEntry* y;
    double w;
  };
  std::vector<Pk> pa, pb;
  for_picks(ca, mode, k, [&](int64_t, const ChainEntry& x, const ChainEntry& y, double w) {
    pa.push_back({&x, &y, w});
  });
  for_picks(cb, mode, k, [&](int64_t, const ChainEntry& x, const ChainEntry& y, double w) {
    pb.push_back({&x, &y, w});
  });
  struct Acc {
    double n = 0, h = 0, i = 0, w = 0;
    Rows un, uh, unew;  // ∪ N, ∪ H, ∪ (N \ H)
  };
  std::unordered_map<int64_t, Acc> acc;
  const int64_t nb = cb.ids;
  Rows x, y, diff, tmp;
  auto unite = [&](Rows& u, const Rows& add) {
    tmp.clear();
    std::set_union(u.begin(), u.end(), add.begin(), add.end(), std::back_inserter(tmp));
    u.swap(tmp);
  };
  for (const Pk& a : pa)
    for (const Pk& b : pb) {
      window_rows(a.x->r, b.x->r, sigma, x);
      window_rows(a.y->r, b.y->r, sigma, y);
      Acc& q = acc[int64_t{a.x->id} * nb + b.x->id];
      q.w = a.w * b.w;
      q.n += double(x.size()), q.h += double(y.size()), q.i += double(common(x, y));
      diff.clear();
      std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(diff));
      unite(q.un, x);
      unite(q.uh, y);
      unite(q.unew, diff);
    }
  auto tab = std::make_unique<FlatTable>();
  tab->v.resize(static_cast<size_t>(ca.ids) * nb);
  std::vector<double> w(tab->v.size(), 0.0);
  // Distinct: n = |∪ N|, h = |∪ H|, and i chosen so that n − i = |∪ (N \ H)| (exact when this
  // is the only group with units).
  for (const auto& [key, q] : acc) {
    Sums& t = tab->v[key];
    w[key] = q.w;
    t.n = q.n, t.h = q.h, t.i = q.i;
    t.nd = double(q.un.size());
    t.hd = double(q.uh.size());
    t.id = double(q.un.size()) - double(q.unew.size());
  }
  finish(*tab, w);
  return tab;
}

// Some step advances the loop at global position k (its index reaches 1).
bool advances(const std::vector<DimChain>& chains, int k) {
  for (const DimChain& c : chains) {
    const int j = c.loop_at(k);
    if (j >= 0) return c.radix[j] > 1;
  }
  return false;
}

}  // namespace

std::vector<Group> tensor_groups(const LayerSpec& L, Tensor t) {
  std::vector<Group> groups;
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

Tables::Tables(const Schedule& s, const std::vector<DimChain>& chains)
    : s_(s), chains_(chains), m_(num_global_loops(s)) {
  const LayerSpec& L = s.layer();
  for (int t = 0; t < 3; ++t) {
    has_[t] = L.has_tensor(static_cast<Tensor>(t));
    if (has_[t]) groups_[t] = tensor_groups(L, static_cast<Tensor>(t));
  }
  for (Dim d : kAllDims) {
    const size_t nv = 2 * chains[idx(d)].loops.size() + 3;
    single_[idx(d)][0].resize(nv);
    single_[idx(d)][1].resize(nv);
  }
}
Tables::~Tables() = default;

int Tables::variant(Dim d, Mode mode, int k) const {
  const DimChain& c = chains_[idx(d)];
  const int n = static_cast<int>(c.loops.size());
  if (mode == Mode::kStep0) return 2 * n + 1;
  if (mode == Mode::kFinal) return 2 * n + 2;
  const int owner = c.loop_at(k);
  return owner >= 0 ? owner : n + c.loops_before(k);
}

const FlatTable& Tables::get(int t, size_t g, Mode mode, int k) {
  const Group& gr = groups_[t][g];
  const Dim a = gr.dims[0];
  const int va = variant(a, mode, k);
  if (gr.ndims == 1) {
    auto& slot = single_[idx(a)][gr.coupled ? 1 : 0][va];
    if (!slot) slot = single_table(chains_[idx(a)], gr.coupled, mode, k);
    return *slot;
  }
  const Dim b = gr.dims[1];
  const int vb = variant(b, mode, k);
  const int nvb = 2 * static_cast<int>(chains_[idx(b)].loops.size()) + 3;
  const std::array<int, 2> key{t, static_cast<int>(g)};
  auto it = std::find_if(window_.begin(), window_.end(),
                         [&](const auto& w) { return w.first == key; });
  if (it == window_.end()) {
    window_.emplace_back(
        key, std::vector<std::unique_ptr<FlatTable>>(
                 static_cast<size_t>(2 * chains_[idx(a)].loops.size() + 3) * nvb));
    it = std::prev(window_.end());
  }
  auto& slot = it->second[static_cast<size_t>(va) * nvb + vb];
  if (!slot) slot = window_table(chains_[idx(a)], chains_[idx(b)], gr.sigma, mode, k);
  return *slot;
}

TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tensor t) {
  Tables tab(s, chains);
  return tensor_counts(s, chains, tab, t);
}

TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tables& tab,
                           Tensor t) {
  TensorCounts out;
  const LayerSpec& L = s.layer();
  if (!L.has_tensor(t)) return out;
  const int ti = static_cast<int>(t);
  const std::vector<Group>& groups = tab.groups(ti);

  auto eval = [&](Mode mode, int k) {
    double pn = 1, ph = 1, pi = 1, dn = 1, dh = 1, di = 1;
    for (size_t g = 0; g < groups.size(); ++g) {
      const Sums& x = tab.get(ti, g, mode, k).total;
      pn *= x.n, ph *= x.h, pi *= x.i, dn *= x.nd, dh *= x.hd, di *= x.id;
    }
    return std::array<double, 6>{pn, ph, pi, dn, dh, di};
  };
  const auto first = eval(Mode::kStep0, 0);
  double enter = first[0], enter_d = first[3], leave = 0, leave_d = 0;
  const int m = tab.loops();
  for (int k = 0; k < m; ++k) {
    if (!advances(chains, k)) continue;  // no step advances loop k: nothing enters or leaves
    const auto v = eval(Mode::kTransition, k);
    enter += v[0] - v[2];
    leave += v[1] - v[2];
    enter_d += v[3] - v[5];
    leave_d += v[4] - v[5];
  }
  const auto fin = eval(Mode::kFinal, 0);
  leave += fin[0];
  leave_d += fin[3];
  // Distinct elements each PE ever holds: per coupled dim the union of its disjoint tiles.
  double held = 1, held_d = 1;
  for (const Group& g : groups) {
    const DimChain& c = chains[idx(g.dims[0])];
    double sum = 0, any = 0;
    for (int64_t combo = 0; combo < c.combos; ++combo) {
      const EntryList list = c.list(combo);
      if (list.empty()) continue;
      any = 1;
      const double cw = double(c.combo_w[combo]);
      if (!g.coupled) {
        sum += cw;
      } else if (g.ndims == 1) {
        for (const auto& e : list) sum += cw * double(c.top_w1[e.top]) * double(e.r.size());
      }
    }
    if (g.ndims == 2) sum = any = 0;  // windows only occur in inputs; not needed there
    held *= sum;
    held_d *= g.coupled ? sum : any;
  }
  out.held = static_cast<int64_t>(held + 0.5);
  out.held_distinct = static_cast<int64_t>(held_d + 0.5);
  out.enter = static_cast<int64_t>(enter + 0.5);
  out.leave = static_cast<int64_t>(leave + 0.5);
  out.enter_distinct = static_cast<int64_t>(enter_d + 0.5);
  out.leave_distinct = static_cast<int64_t>(leave_d + 0.5);
  return out;
}

}  // namespace baton::detail
