// Simulator modes: functional mode on reduced copies of every reference mapping family, fault
// injection (corrupted payload -> mismatch; dropped write-back -> traffic differs), watchdog.
#include <gtest/gtest.h>

#include "baton/sim/simulator.h"
#include "baton/validation/crosscheck.h"
#include "baton/analytical/model.h"
#include "common/reduce.h"
#include "common/reference_files.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

class FunctionalFamily : public ::testing::TestWithParam<std::string> {};

// Reduced copies of the first layers of one file per dataflow family.
TEST_P(FunctionalFamily, OutputsExactOnReducedReferenceLayers) {
  const MFile f = read_mfile(reference_inputs() + "/mapping/" + GetParam() + ".m");
  const HardwareSpec hw = load_hardware(reference_inputs() + "/hw/accelerator_1.m");
  SimOptions opt;
  opt.functional = true;
  int simulated = 0;
  for (size_t i = 0; i < f.layers.size() && simulated < 6; ++i) {
    const LayerDecl d = reduced(f.layers[i]);
    std::vector<Diagnostic> diags;
    auto L = make_layer(d, static_cast<int>(i), diags);
    ASSERT_TRUE(L);
    ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
    ASSERT_TRUE(r.schedule) << d.name;
    const SimLayerResult res = Simulator::instance().run(*r.schedule, hw, opt);
    EXPECT_FALSE(res.functional_mismatch) << d.name << ": " << *res.functional_mismatch;
    ++simulated;
  }
  EXPECT_GT(simulated, 0);
}

INSTANTIATE_TEST_SUITE_P(Families, FunctionalFamily,
                         ::testing::Values("Resnet50_kcp_ws", "Resnet50_xp_ws", "Resnet50_yxp_os",
                                           "googlenet_rs", "Resnet50_nlr", "GEMM_Example",
                                           "MobileNetV2_kcp_ws", "UNet_xp_ws"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(SimulatorFaults, CorruptedPayloadFailsFunctionalMode) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  SimOptions opt;
  opt.functional = true;
  EXPECT_FALSE(Simulator::instance().run(*s, hw, opt).functional_mismatch);
  opt.corrupt_fill_delta = 7;
  const auto r = Simulator::instance().run(*s, hw, opt);
  ASSERT_TRUE(r.functional_mismatch);
  EXPECT_NE(r.functional_mismatch->find("expected"), std::string::npos);
}

TEST(SimulatorFaults, DroppedWriteBackMakesTrafficDiffer) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  SimOptions opt;
  LayerCheck ok{"E1", 0, analyze(*s, hw), Simulator::instance().run(*s, hw, opt), 0, {}};
  compare(ok);
  EXPECT_TRUE(ok.traffic_match());
  opt.drop_writeback_packet = 3;
  LayerCheck bad{"E1", 0, analyze(*s, hw), Simulator::instance().run(*s, hw, opt), 0, {}};
  compare(bad);
  EXPECT_FALSE(bad.traffic_match());
  EXPECT_NE(std::find(bad.mismatches.begin(), bad.mismatches.end(), "output_l2_writes"),
            bad.mismatches.end());
}

TEST(SimulatorWatchdogDeathTest, LostPacketStopsTheSimulationWithADump) {
  EXPECT_EXIT(
      {
        auto s = compile_e1();
        HardwareSpec hw;
        hw.pes = 2;
        SimOptions opt;
        opt.lose_distribution_packet = 2;
        opt.watchdog_cycles = 1000;
        const auto r = Simulator::instance().run(*s, hw, opt);
        if (r.stalled) {
          std::fprintf(stderr, "%s", r.stalled->c_str());
          std::_Exit(5);
        }
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(5), "watchdog: no progress .*accelerator.noc.distribution");
}

}  // namespace
}  // namespace baton::test
