// Chains (analytical/src/chains.h) on random small layers × mappings, full and sparse (plan_top):
// every entry's tuple maps back to its id through id_at (codes and the top-level slot lookup),
// the position tables agree with the direct searches,
// a unit combination's entries ascend in their top-level slot (L2Tiles counts their runs), and
// moving Chains keeps the views into the build's storage valid.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../../analytical/src/chains.h"
#include "../../analytical/src/top_classes.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

// Checks the chains of s; returns the number of entries seen.
size_t check(const Schedule& s, const detail::Chains& chains, const std::string& where) {
  size_t seen = 0;
  EXPECT_EQ(chains.size(), static_cast<size_t>(kNumDims)) << where;
  std::vector<int64_t> index(static_cast<size_t>(detail::num_global_loops(s)) + 1, 0);
  for (const detail::DimChain& c : chains) {
    EXPECT_EQ(c.begin.size(), static_cast<size_t>(c.combos) + 1) << where;
    for (int k = 0; k <= detail::num_global_loops(s); ++k) {  // position tables
      EXPECT_EQ(c.loop_at(k), c.loop_at_slow(k)) << where << " position " << k;
      EXPECT_EQ(c.loops_before(k), c.loops_before_slow(k)) << where << " position " << k;
    }
    for (int64_t u = 0; u < c.combos; ++u) {
      int32_t last_top = -1;
      for (const detail::ChainEntry& e : c.list(u)) {
        ++seen;
        EXPECT_GE(e.top, last_top) << where;
        last_top = e.top;
        for (size_t j = 0; j < c.loops.size(); ++j) index[c.loops[j].pos] = e.idx[j];
        if (c.has_top) {
          EXPECT_EQ(c.top_x[e.top], e.idx[0]) << where;
        }
        EXPECT_EQ(c.id_at(index.data()), e.id) << where << " dim " << idx(c.dim);
        EXPECT_GE(e.id, 0) << where;
        if (e.id >= 0) {
          EXPECT_GE(c.maxlen[e.id], e.r.size()) << where;
        }
      }
    }
  }
  return seen;
}

TEST(Chains, IdsRoundTripAndMovesKeepViews) {
  int checked = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    const std::string where = "seed " + std::to_string(seed);
    detail::Chains full = detail::build_chains(*s);
    const size_t n = check(*s, full, where + " full");
    detail::Chains moved(std::move(full));
    EXPECT_EQ(full.size(), 0u);  // NOLINT: moved-from state is specified (empty)
    detail::Chains assigned;
    assigned = std::move(moved);
    EXPECT_EQ(check(*s, assigned, where + " moved"), n);
    const detail::TopPlan plan = detail::plan_top(*s);
    if (plan.ok) check(*s, detail::build_chains(*s, &plan, detail::heap_mem()), where + " sparse");
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace baton::test
