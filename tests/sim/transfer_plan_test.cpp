// The transfer plan carries exactly the traffic of DIRECTIVES rules 9–11: per step, its packets'
// volumes equal the reference counter's V_t / W_t, and over a layer its per-tensor L2 reads /
// writes and per-PE deliveries equal the reference counter's (random layers × mappings, with and
// without multicast / reduction).
#include <gtest/gtest.h>

#include "baton/analytical/reference.h"
#include "baton/sim/transfer_plan.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

struct Totals {
  std::array<int64_t, 3> reads{}, deliveries{};
  int64_t writes = 0, writebacks = 0, macs = 0;
  std::vector<int64_t> v, w;  // per step
};

Totals run_plan(const Schedule& s, const HardwareSpec& hw) {
  Totals t;
  TransferPlanner planner(s, hw);
  StepPlan step;
  while (planner.next(step)) {
    int64_t v = 0, w = 0;
    for (const Packet& p : step.distribution) {
      const int k = static_cast<int>(p.tensor);
      t.reads[k] += p.elements.size();
      t.deliveries[k] += p.elements.size() * p.pes.size();
      v += p.elements.size();
    }
    for (const Packet& p : step.collection) {
      t.writes += p.elements.size();
      t.writebacks += p.elements.size() * p.pes.size();
      w += p.elements.size();
    }
    for (int64_t m : step.pe_macs) t.macs += m;
    if (!step.final_drain) t.v.push_back(v);
    if (step.step > 0) t.w.push_back(w);  // W_{t−1}: leaving at the boundary into t
  }
  return t;
}

void expect_equal(const Schedule& s, const HardwareSpec& hw, const std::string& what) {
  const Totals t = run_plan(s, hw);
  const ReferenceResult r = reference_count(s, hw);
  const LayerCost& c = r.cost;
  SCOPED_TRACE(what);
  EXPECT_EQ(t.macs, c.macs);
  EXPECT_EQ(t.reads[0], c.tensor[0].l2_reads);
  EXPECT_EQ(t.reads[1], c.tensor[1].l2_reads);
  EXPECT_EQ(t.reads[2], c.tensor[2].readbacks);
  EXPECT_EQ(t.deliveries[0], c.tensor[0].noc_deliveries);
  EXPECT_EQ(t.deliveries[1], c.tensor[1].noc_deliveries);
  EXPECT_EQ(t.deliveries[2], c.tensor[2].noc_deliveries);
  EXPECT_EQ(t.writes, c.tensor[2].l2_writes);
  EXPECT_EQ(t.writebacks, c.tensor[2].writebacks);
  ASSERT_EQ(t.v.size(), r.steps.size());
  ASSERT_EQ(t.w.size(), r.steps.size());
  for (size_t i = 0; i < r.steps.size(); ++i) {
    EXPECT_EQ(t.v[i], r.steps[i].v) << "V at step " << i;
    EXPECT_EQ(t.w[i], r.steps[i].w) << "W at step " << i;
  }
}

TEST(TransferPlan, WorkedExampleE4MulticastsInputsAndReducesOutputs) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 2, X: 2 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; Cluster(2,P); SpatialMap(1,1) C; })"), 4);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 4;
  TransferPlanner planner(*s, hw);
  StepPlan step;
  ASSERT_TRUE(planner.next(step));
  // Step 0: channel c of 4 pixels goes to the PE of each cluster holding c: 2 packets of 4
  // elements, each to 2 PEs (one per cluster); weights: 4 single-PE packets.
  int inputs = 0, weights = 0;
  for (const Packet& p : step.distribution) {
    if (p.tensor == Tensor::kInput) {
      ++inputs;
      EXPECT_EQ(p.elements.size(), 4u);
      EXPECT_EQ(p.pes.size(), 2u);
    }
    if (p.tensor == Tensor::kWeight) ++weights;
  }
  EXPECT_EQ(inputs, 2);
  EXPECT_EQ(weights, 4);
  EXPECT_TRUE(step.collection.empty());
  expect_equal(*s, hw, "E4");
}

TEST(TransferPlan, TotalsEqualReferenceCounterOnRandomMappings) {
  int compared = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    for (int variant = 0; variant < 2; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.noc.multicast = variant == 0;
      hw.noc.reduction = variant == 0;
      expect_equal(*s, hw, "seed " + std::to_string(seed) + " variant " +
                               std::to_string(variant) + "\n" + rc.text);
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

}  // namespace
}  // namespace baton::test
