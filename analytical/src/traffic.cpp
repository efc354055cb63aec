// Closed-form per-tensor traffic: for each advancing loop position k the (PE, step) pairs form a
// product over dimension groups, so every count is Π_g Σ a_g − Π_g Σ b_g (docs/ANALYTICAL.md).
#include "traffic.h"

#include <algorithm>
#include <map>
#include <set>

namespace baton::detail {
namespace {

using Rows = std::vector<int64_t>;

// {p·σ + r : p ∈ P, r ∈ R} as a sorted set.
Rows window_rows(const Range& p, const Range& r, int64_t sigma) {
  Rows out;
  for (int64_t a = p.lo; a < p.hi; ++a)
    for (int64_t b = r.lo; b < r.hi; ++b) out.push_back(a * sigma + b);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
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

}  // namespace

std::vector<Pick> picks(const DimChain& c, Mode mode, int k) {
  std::vector<Pick> out;
  const int owner = mode == Mode::kTransition ? c.loop_at(k) : -1;
  const int jb = mode == Mode::kTransition ? c.loops_before(k) : 0;
  const int n = static_cast<int>(c.loops.size());
  for (int64_t combo = 0; combo < c.combos; ++combo) {
    const auto& list = c.active[combo];
    if (list.empty()) continue;
    if (mode == Mode::kStep0) {
      out.push_back({combo, &list.front(), &list.front()});  // step 0 is every PE's first
      continue;
    }
    if (mode == Mode::kFinal) {
      out.push_back({combo, &list.back(), &list.back()});
      continue;
    }
    for (size_t t = 0; t < list.size(); ++t) {
      const auto& e = list[t].idx;
      if (owner >= 0) {
        if (e[owner] < 1) continue;
        bool zeros = true;
        for (int j = owner + 1; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        out.push_back({combo, &list[t], &list[t - 1]});
      } else {
        bool zeros = true;
        for (int j = jb; j < n && zeros; ++j) zeros = e[j] == 0;
        if (!zeros) continue;
        size_t last = t;
        while (last + 1 < list.size() &&
               std::equal(e.begin(), e.begin() + jb, list[last + 1].idx.begin()))
          ++last;
        out.push_back({combo, &list[t], &list[last]});
      }
    }
  }
  return out;
}

// Σ over (unit combos × entries) of one group for one mode/position, per step tuple.
GroupTable group_table(const Group& g, const std::vector<DimChain>& chains, Mode mode, int k) {
  GroupTable table;
  if (!g.coupled) {
    for (const Pick& q : picks(chains[idx(g.dims[0])], mode, k)) {
      Sums& s = table[mode == Mode::kTransition ? q.x->idx : std::vector<int32_t>{}];
      s.n += 1, s.h += 1, s.i += 1;
      // Siblings hold equal tiles of the tensor (point 4): one per step tuple, and one for the
      // final write-back even when siblings ended at different steps.
      s.nd = s.hd = s.id = 1;
    }
    return table;
  }
  if (g.dims.size() == 1) {
    for (const Pick& q : picks(chains[idx(g.dims[0])], mode, k)) {
      const double n = double(q.x->r.size()), h = double(q.y->r.size());
      const double i = double(std::max<int64_t>(
          0, std::min(q.x->r.hi, q.y->r.hi) - std::max(q.x->r.lo, q.y->r.lo)));
      Sums& s = table[q.x->idx];
      s.n += n, s.h += h, s.i += i;
      s.nd = s.n, s.hd = s.h, s.id = s.i;  // units of a coupled dim hold disjoint tiles
    }
    return table;
  }
  Sums s;
  // Window pair: units may share rows (halo), so distinct counts take explicit unions per tuple.
  const auto pa = picks(chains[idx(g.dims[0])], mode, k);
  const auto pb = picks(chains[idx(g.dims[1])], mode, k);
  std::map<std::pair<std::vector<int32_t>, std::vector<int32_t>>, std::pair<Rows, Rows>> uni;
  std::map<std::pair<std::vector<int32_t>, std::vector<int32_t>>, Rows> uni_new, uni_old;
  std::map<std::pair<std::vector<int32_t>, std::vector<int32_t>>, std::array<double, 3>> per_key;
  for (const Pick& a : pa)
    for (const Pick& b : pb) {
      const Rows x = window_rows(a.x->r, b.x->r, g.sigma);
      const Rows y = window_rows(a.y->r, b.y->r, g.sigma);
      const double i = double(common(x, y));
      const auto key = std::make_pair(a.x->idx, b.x->idx);
      auto& pk = per_key[key];
      pk[0] += double(x.size()), pk[1] += double(y.size()), pk[2] += i;
      Rows& nx = uni_new[key];
      Rows& ny = uni_old[key];
      Rows diff, left;
      std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(diff));
      std::set_difference(y.begin(), y.end(), x.begin(), x.end(), std::back_inserter(left));
      auto& u = uni[key];
      Rows m1, m2, m3, m4;
      std::set_union(u.first.begin(), u.first.end(), x.begin(), x.end(), std::back_inserter(m1));
      std::set_union(u.second.begin(), u.second.end(), y.begin(), y.end(),
                     std::back_inserter(m2));
      std::set_union(nx.begin(), nx.end(), diff.begin(), diff.end(), std::back_inserter(m3));
      std::set_union(ny.begin(), ny.end(), left.begin(), left.end(), std::back_inserter(m4));
      u.first.swap(m1), u.second.swap(m2), nx.swap(m3), ny.swap(m4);
    }
  // Distinct: n = |∪ N|, h = |∪ H|, and i chosen so that n − i = |∪ (N \ H)| and
  // h − i = |∪ (H \ N)| hold for this group alone (exact when it is the only group with units).
  for (const auto& [key, u] : uni) {
    std::vector<int32_t> k2 = key.first;
    k2.insert(k2.end(), key.second.begin(), key.second.end());
    Sums& t = table[k2];
    t.n = per_key[key][0], t.h = per_key[key][1], t.i = per_key[key][2];
    t.nd = double(u.first.size());
    t.hd = double(u.second.size());
    t.id = double(u.first.size()) - double(uni_new[key].size());
  }
  return table;
}

std::vector<Group> tensor_groups(const LayerSpec& L, Tensor t) {
  std::vector<Group> groups;
  std::array<bool, kNumDims> in_tensor{};
  for (const TensorCoord& c : L.coords(t)) {
    Group g;
    g.dims.push_back(c.a);
    in_tensor[idx(c.a)] = true;
    if (c.b) {
      g.dims.push_back(*c.b);
      g.sigma = c.stride;
      in_tensor[idx(*c.b)] = true;
    }
    groups.push_back(g);
  }
  for (Dim d : kAllDims)
    if (!in_tensor[idx(d)]) groups.push_back(Group{{d}, 1, false});
  return groups;
}

TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tensor t) {
  TensorCounts out;
  const LayerSpec& L = s.layer();
  if (!L.has_tensor(t)) return out;
  const std::vector<Group> groups = tensor_groups(L, t);

  auto eval = [&](Mode mode, int k) {
    double pn = 1, ph = 1, pi = 1, dn = 1, dh = 1, di = 1;
    for (const Group& g : groups) {
      Sums x;
      for (const auto& [key, v] : group_table(g, chains, mode, k)) {
        x.n += v.n, x.h += v.h, x.i += v.i, x.nd += v.nd, x.hd += v.hd, x.id += v.id;
      }
      pn *= x.n, ph *= x.h, pi *= x.i, dn *= x.nd, dh *= x.hd, di *= x.id;
    }
    return std::array<double, 6>{pn, ph, pi, dn, dh, di};
  };
  const auto first = eval(Mode::kStep0, 0);
  double enter = first[0], enter_d = first[3], leave = 0, leave_d = 0;
  const int m = num_global_loops(s);
  for (int k = 0; k < m; ++k) {
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
      const auto& list = c.active[combo];
      if (list.empty()) continue;
      any = 1;
      if (!g.coupled) {
        sum += 1;
      } else if (g.dims.size() == 1) {
        for (const auto& e : list) sum += double(e.r.size());
      }
    }
    if (g.dims.size() == 2) sum = any = 0;  // windows only occur in inputs; not needed there
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
