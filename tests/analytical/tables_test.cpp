// The group tables (analytical/src/tables.h), built for every variant of a dim in one pass and
// from per-variant pick lists, equal a reference that builds each (group, mode, position) table
// on its own from for_picks (one pass per variant, totals from a weighted sum over keys): every
// key and every total, for every tensor, group, mode and loop position (advancing or not, so
// tables built on demand are covered too), on the sparse chains of the class pass and on the
// full chains of medium-sized layers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "../../analytical/src/classes.h"
#include "../../analytical/src/rows.h"
#include "../../analytical/src/tables.h"
#include "baton/dataflow/network.h"
#include "common/reference_files.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

using detail::ChainEntry;
using detail::DimChain;
using detail::Mode;
using detail::Sums;

struct RefTable {
  std::vector<Sums> v;
  Sums total;
};

Sums weighted(const std::vector<Sums>& v, const std::vector<double>& w) {
  Sums x;
  for (size_t k = 0; k < v.size(); ++k) {
    x.n += w[k] * v[k].n, x.h += w[k] * v[k].h, x.i += w[k] * v[k].i;
    x.nd += w[k] * v[k].nd, x.hd += w[k] * v[k].hd, x.id += w[k] * v[k].id;
  }
  return x;
}

// A dim's coupled or free table for one mode / position; dims without loops as at step 0.
RefTable ref_single(const DimChain& c, bool coupled, Mode mode, int k) {
  if (c.loops.empty()) mode = Mode::kStep0;
  const bool keyed = mode == Mode::kTransition;
  RefTable r;
  r.v.assign(coupled || keyed ? c.ids : 1, Sums{});
  std::vector<double> w(r.v.size(), 0.0);
  detail::for_picks(c, mode, k, [&](int64_t u, const ChainEntry& x, const ChainEntry& y, double tw) {
    const double cw = double(c.combo_w[u]);
    if (!coupled) {
      const int64_t key = keyed ? x.id : 0;
      w[key] = tw;
      Sums& f = r.v[key];
      f.n += cw, f.h += cw, f.i += cw;
      f.nd = f.hd = f.id = 1;
      return;
    }
    w[x.id] = tw;
    Sums& q = r.v[x.id];
    const double i =
        double(std::max<int64_t>(0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
    q.n += cw * double(x.r.size()), q.h += cw * double(y.r.size()), q.i += cw * i;
    q.nd = q.n, q.hd = q.h, q.id = q.i;
  });
  r.total = weighted(r.v, w);
  return r;
}

// A window pair's table: explicit row sets and unions per key.
RefTable ref_window(const DimChain& ca, const DimChain& cb, int64_t sigma, Mode mode, int k) {
  struct Pk {
    const ChainEntry *x, *y;
    double w;
  };
  std::vector<Pk> pa, pb;
  const auto list = [&](const DimChain& c, std::vector<Pk>& out) {
    detail::for_picks(c, c.loops.empty() ? Mode::kStep0 : mode, k,
                      [&](int64_t, const ChainEntry& x, const ChainEntry& y, double w) {
                        out.push_back({&x, &y, w});
                      });
  };
  list(ca, pa), list(cb, pb);
  RefTable r;
  r.v.assign(static_cast<size_t>(ca.ids) * cb.ids, Sums{});
  std::vector<double> w(r.v.size(), 0.0);
  std::map<int64_t, std::vector<std::pair<const Pk*, const Pk*>>> by_key;
  for (const Pk& a : pa)
    for (const Pk& b : pb) by_key[int64_t{a.x->id} * cb.ids + b.x->id].push_back({&a, &b});
  for (const auto& [key, pairs] : by_key) {
    Sums& q = r.v[key];
    detail::Rows un, uh, unew;
    for (const auto& [a, b] : pairs) {
      detail::Rows x, y;
      detail::window_rows(a->x->r, b->x->r, sigma, x);
      detail::window_rows(a->y->r, b->y->r, sigma, y);
      w[key] = a->w * b->w;
      q.n += double(detail::size_of(x)), q.h += double(detail::size_of(y));
      q.i += double(detail::common(x, y));
      detail::subtract(x, y, unew);
      un.insert(un.end(), x.begin(), x.end());
      uh.insert(uh.end(), y.begin(), y.end());
    }
    const int64_t n = detail::union_size(un);
    q.nd = double(n);
    q.hd = double(detail::union_size(uh));
    q.id = double(n) - double(detail::union_size(unew));
  }
  r.total = weighted(r.v, w);
  return r;
}

void expect_eq(const Sums& a, const Sums& b, const std::string& where) {
  EXPECT_EQ(a.n, b.n) << where;
  EXPECT_EQ(a.h, b.h) << where;
  EXPECT_EQ(a.i, b.i) << where;
  EXPECT_EQ(a.nd, b.nd) << where;
  EXPECT_EQ(a.hd, b.hd) << where;
  EXPECT_EQ(a.id, b.id) << where;
}

// Every table of every tensor, group, mode and position against the reference.
void check(const Schedule& s, const detail::Chains& chains, const std::string& where) {
  detail::Tables tab(s, chains);
  const int m = tab.loops();
  for (int t = 0; t < 3; ++t) {
    if (!tab.has(t)) continue;
    for (size_t g = 0; g < tab.groups(t).size(); ++g) {
      const detail::Group& gr = tab.groups(t)[g];
      for (int k = -2; k < m; ++k) {
        const Mode mode = k == -2 ? Mode::kStep0 : k == -1 ? Mode::kFinal : Mode::kTransition;
        const int kk = std::max(k, 0);
        const RefTable r =
            gr.ndims == 1
                ? ref_single(chains[idx(gr.dims[0])], gr.coupled, mode, kk)
                : ref_window(chains[idx(gr.dims[0])], chains[idx(gr.dims[1])], gr.sigma, mode, kk);
        const detail::FlatTable& ft = tab.get(t, g, mode, kk);
        const std::string at = where + " tensor " + std::to_string(t) + " group " +
                               std::to_string(g) + " position " + std::to_string(k);
        ASSERT_EQ(ft.size, static_cast<int64_t>(r.v.size())) << at;
        for (int64_t key = 0; key < ft.size; ++key)
          expect_eq(ft.v[key], r.v[key], at + " key " + std::to_string(key));
        expect_eq(ft.total, r.total, at + " total");
      }
    }
  }
}

class GroupTables : public ::testing::TestWithParam<std::string> {};

TEST_P(GroupTables, EqualOnePassPerVariantReference) {
  const MFile f = read_mfile(GetParam());
  HardwareSpec hw = load_hardware(reference_inputs() + "/hw/accelerator_1.m");
  for (int variant = 0; variant < 2; ++variant) {
    if (variant == 1) hw.pes = 37;  // partial clusters and folds
    for (size_t i = 0; i < layers_to_check(f.layers.size()); ++i) {
      std::vector<Diagnostic> diags;
      auto L = make_layer(f.layers[i], static_cast<int>(i), diags);
      ASSERT_TRUE(L);
      ScheduleResult r = build_schedule(*L, *f.layers[i].dataflow, hw);
      if (!r.schedule) continue;
      const Schedule& s = *r.schedule;
      const std::string where = f.layers[i].name + " variant " + std::to_string(variant);
      const detail::ClassSetup setup(s, detail::heap_mem());
      if (setup.ok()) check(s, setup.chains(), where + " (sparse chains)");
      if (s.steps() <= 20000) check(s, detail::build_chains(s), where + " (full chains)");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Maestro, GroupTables, ::testing::ValuesIn(accepted_reference_files()),
                         file_param_name);

}  // namespace
}  // namespace baton::test
