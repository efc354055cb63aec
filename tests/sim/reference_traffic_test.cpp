// Traffic identity on the reference mappings: for reduced copies of the layers of every accepted
// MAESTRO reference file, the simulator's per-tensor L2 reads / writes, NoC deliveries and DRAM
// traffic equal the analytical model's exactly, and on the bus the runtimes are equal too.
#include <gtest/gtest.h>

#include "baton/analytical/model.h"
#include "baton/sim/simulator.h"
#include "common/reduce.h"
#include "common/reference_files.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

class ReferenceTraffic : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceTraffic, SimulatorTrafficEqualsAnalyticalOnReducedLayers) {
  const MFile f = read_mfile(GetParam());
  HardwareSpec hw = load_hardware(reference_inputs() + "/hw/accelerator_1.m");
  int simulated = 0;
  for (size_t i = 0; i < f.layers.size() && simulated < 8; ++i) {
    const LayerDecl d = reduced(f.layers[i]);
    std::vector<Diagnostic> diags;
    auto L = make_layer(d, static_cast<int>(i), diags);
    ASSERT_TRUE(L);
    ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
    ASSERT_TRUE(r.schedule) << d.name;
    const LayerCost a = analyze(*r.schedule, hw);
    const SimLayerResult s = Simulator::instance().run(*r.schedule, hw);
    SCOPED_TRACE(d.name);
    for (int t = 0; t < 3; ++t) {
      EXPECT_EQ(s.counted.tensor[t].l2_reads, a.tensor[t].l2_reads) << t;
      EXPECT_EQ(s.counted.tensor[t].noc_deliveries, a.tensor[t].noc_deliveries) << t;
      EXPECT_EQ(s.counted.tensor[t].dram_reads, a.tensor[t].dram_reads) << t;
    }
    EXPECT_EQ(s.counted.tensor[2].l2_writes, a.tensor[2].l2_writes);
    EXPECT_EQ(s.counted.tensor[2].dram_writes, a.tensor[2].dram_writes);
    EXPECT_EQ(s.counted.runtime_cycles, a.runtime_cycles);
    ++simulated;
  }
  EXPECT_GT(simulated, 0);
}

INSTANTIATE_TEST_SUITE_P(Maestro, ReferenceTraffic,
                         ::testing::ValuesIn(accepted_reference_files()), file_param_name);

}  // namespace
}  // namespace baton::test
