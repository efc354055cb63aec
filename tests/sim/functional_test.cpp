// Functional mode: values moved by the transfer plan and MACs computed by the PEs reproduce the
// layer's output exactly (random layers × mappings, with and without multicast / reduction), and
// a corrupted payload or a corrupted schedule is caught.
#include <gtest/gtest.h>

#include "baton/sim/functional.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

std::optional<std::string> run_functional(const Schedule& s, const HardwareSpec& hw,
                                          std::optional<int64_t> corrupt = std::nullopt) {
  FunctionalModel fm(s);
  if (corrupt) fm.corrupt_next_fill(*corrupt);
  TransferPlanner planner(s, hw);
  StepPlan step;
  while (planner.next(step)) fm.apply(step, hw.noc.reduction);
  return fm.check();
}

TEST(Functional, OutputsExactOnRandomMappings) {
  int checked = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    for (int variant = 0; variant < 2; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.noc.multicast = hw.noc.reduction = variant == 0;
      const auto err = run_functional(*s, hw);
      EXPECT_FALSE(err) << "seed " << seed << " variant " << variant << ": " << *err << "\n"
                        << rc.text;
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(Functional, CorruptedPayloadIsCaughtWithTheFirstDifferingElement) {
  auto s = compile(one_layer(kE1Layer), 2);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  ASSERT_FALSE(run_functional(*s, hw));
  const auto err = run_functional(*s, hw, 5);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("output element (N=0, K="), std::string::npos) << *err;
  EXPECT_NE(err->find("expected"), std::string::npos) << *err;
}

TEST(Functional, CorruptedScheduleIsCaught) {
  // Drop a MAC point from PE 0's tile at one step: the output no longer matches.
  auto s = compile(one_layer(kE1Layer), 2);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  FunctionalModel fm(*s);
  TransferPlanner planner(*s, hw);
  StepPlan step;
  bool corrupted = false;
  while (planner.next(step)) {
    if (!corrupted && !step.final_drain && step.step == 3) {
      step.tiles[0].r[idx(Dim::R)].hi -= 1;  // PE 0 skips one filter row
      corrupted = true;
    }
    fm.apply(step, hw.noc.reduction);
  }
  ASSERT_TRUE(corrupted);
  EXPECT_TRUE(fm.check());
}

}  // namespace
}  // namespace baton::test
