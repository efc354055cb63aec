// Closed-form per-tensor traffic: for each advancing loop position k the (PE, step) pairs form a
// product over dimension groups, so every count is Π_g Σ a_g − Π_g Σ b_g (docs/ANALYTICAL.md).
#include "traffic.h"

namespace baton::detail {

TensorCounts tensor_counts(const Schedule& s, const Chains& chains, Tensor t) {
  Tables tab(s, chains);
  return tensor_counts(s, chains, tab, t);
}

TensorCounts tensor_counts(const Schedule& s, const Chains& /*chains: tab's*/, Tables& tab,
                           Tensor t) {
  TensorCounts out;
  const LayerSpec& L = s.layer();
  if (!L.has_tensor(t)) return out;
  const int ti = static_cast<int>(t);
  const Groups& groups = tab.groups(ti);

  // Π over the varying groups of their totals at a variant row (Tables::row).
  const Sums& c = tab.constant(ti);
  const auto& varying = tab.varying(ti);
  auto eval = [&](int r) {
    double pn = c.n, ph = c.h, pi = c.i, dn = c.nd, dh = c.hd, di = c.id;
    const FlatTable* const* row = tab.row_tables(ti, r);
    for (size_t j = 0; j < varying.size(); ++j) {
      const Sums& x = row[j]->total;
      pn *= x.n, ph *= x.h, pi *= x.i, dn *= x.nd, dh *= x.hd, di *= x.id;
    }
    return std::array<double, 6>{pn, ph, pi, dn, dh, di};
  };
  const auto first = eval(tab.row(Mode::kStep0, 0));
  double enter = first[0], enter_d = first[3], leave = 0, leave_d = 0;
  for (const int k : tab.advancing()) {  // no step advances the others: nothing enters or leaves
    const auto v = eval(k);
    enter += v[0] - v[2];
    leave += v[1] - v[2];
    enter_d += v[3] - v[5];
    leave_d += v[4] - v[5];
  }
  const auto fin = eval(tab.row(Mode::kFinal, 0));
  leave += fin[0];
  leave_d += fin[3];
  // Distinct elements each PE ever holds: per coupled dim the union of its disjoint tiles.
  double held = 1, held_d = 1;
  for (const Group& g : groups) {
    const Tables::Held& h = tab.held(g.dims[0]);
    // Windows only occur in inputs; not needed there.
    held *= g.ndims == 2 ? 0 : g.coupled ? h.coupled : h.free;
    held_d *= g.ndims == 2 ? 0 : g.coupled ? h.coupled : h.any;
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
