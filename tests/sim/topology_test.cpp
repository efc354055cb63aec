// NoC topologies in the simulator: traffic identity on every topology (bus, crossbar, mesh,
// systolic, tree: the packets are the same, only their timing differs), contention on a mesh
// with narrow links is real and attributed to the NoC, and runs are deterministic.
#include <gtest/gtest.h>

#include "baton/analytical/reference.h"
#include "baton/sim/simulator.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

class Topologies : public ::testing::TestWithParam<std::string> {};

TEST_P(Topologies, TrafficIdentityOnRandomMappings) {
  int compared = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    HardwareSpec hw;
    hw.pes = rc.pes;
    hw.noc.topology = GetParam();
    hw.noc.bandwidth_elems_per_cycle = 2;
    hw.noc.buffer_depth_flits = 2;
    const SimLayerResult r = Simulator::instance().run(*s, hw);
    ASSERT_FALSE(r.stalled) << *r.stalled;
    const LayerCost ref = reference_count(*s, hw).cost;
    for (int t = 0; t < 3; ++t) {
      EXPECT_EQ(r.counted.tensor[t].l2_reads, ref.tensor[t].l2_reads) << seed;
      EXPECT_EQ(r.counted.tensor[t].noc_deliveries, ref.tensor[t].noc_deliveries) << seed;
      EXPECT_EQ(r.counted.tensor[t].dram_reads, ref.tensor[t].dram_reads) << seed;
    }
    EXPECT_EQ(r.counted.tensor[2].l2_writes, ref.tensor[2].l2_writes) << seed;
    EXPECT_EQ(r.counted.tensor[2].writebacks, ref.tensor[2].writebacks) << seed;
    EXPECT_EQ(r.counted.macs, ref.macs) << seed;
    // Timing differs by topology (a mesh has one L2 port per row, so it can also be faster);
    // each PE's cycle classes still account for the whole runtime.
    EXPECT_EQ(r.pe_cycles.total(), r.counted.runtime_cycles * s->pes_used()) << seed;
    ++compared;
  }
  EXPECT_GT(compared, 20);
}

INSTANTIATE_TEST_SUITE_P(Noc, Topologies, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

std::optional<Schedule> many_unicasts() {
  // Every PE needs its own weights each step: 16 unicast packets per step.
  return compile(one_layer(R"(Type: CONV
    Dimensions { K: 16, C: 8, R: 1, S: 1, Y: 1, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; })"), 16);
}

TEST(MeshContention, NarrowMeshIsSlowerThanAnIdealBusAndTheNocIsBlamed) {
  auto s = many_unicasts();
  ASSERT_TRUE(s);
  HardwareSpec bus;
  bus.pes = 16;
  bus.noc.bandwidth_elems_per_cycle = std::nullopt;
  HardwareSpec mesh = bus;
  mesh.noc.topology = "mesh";
  mesh.noc.bandwidth_elems_per_cycle = 1;
  const SimLayerResult b = Simulator::instance().run(*s, bus);
  const SimLayerResult m = Simulator::instance().run(*s, mesh);
  EXPECT_GT(m.counted.runtime_cycles, b.counted.runtime_cycles);
  EXPECT_GT(m.causes.ingress_bound, 0);
  EXPECT_EQ(b.causes.first_divergent_step, -1);
  EXPECT_GE(m.causes.first_divergent_step, 0);  // the report can point at where it departs
  EXPECT_EQ(m.causes.dominant(), "ingress (operands)");
  EXPECT_GT(m.pe_cycles.stall_weight, b.pe_cycles.stall_weight);
  EXPECT_EQ(m.counted.tensor[1].l2_reads, b.counted.tensor[1].l2_reads);
}

TEST(MeshContention, RunsAreDeterministic) {
  auto s = many_unicasts();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 16;
  hw.noc.topology = "mesh";
  hw.noc.bandwidth_elems_per_cycle = 1;
  const SimLayerResult a = Simulator::instance().run(*s, hw);
  const SimLayerResult b = Simulator::instance().run(*s, hw);
  EXPECT_EQ(a.counted.runtime_cycles, b.counted.runtime_cycles);
  EXPECT_EQ(a.distribution.busy_cycles, b.distribution.busy_cycles);
  EXPECT_EQ(a.distribution.credit_stalls, b.distribution.credit_stalls);
  EXPECT_EQ(a.distribution.max_link_flits, b.distribution.max_link_flits);
  EXPECT_EQ(a.pe_cycles.stall_weight, b.pe_cycles.stall_weight);
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

TEST(L2Ports, NarrowReadPortSlowsTheBusAndIsReported) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 16, C: 8, R: 1, S: 1, Y: 1, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; })"), 16);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 16;
  hw.noc.bandwidth_elems_per_cycle = 16;
  const SimLayerResult wide = Simulator::instance().run(*s, hw);
  EXPECT_EQ(wide.distribution.port_limited_cycles, 0);
  hw.l2_read_elems_per_cycle = 2;  // 17 elements per step through a 2-element port
  const SimLayerResult narrow = Simulator::instance().run(*s, hw);
  EXPECT_GT(narrow.counted.runtime_cycles, wide.counted.runtime_cycles);
  EXPECT_GT(narrow.distribution.port_limited_cycles, 0);
  EXPECT_EQ(narrow.counted.tensor[1].l2_reads, wide.counted.tensor[1].l2_reads);
}

// The names hardware files and DSE spaces accept are exactly the topologies noc/ implements.
TEST(TopologyNames, HardwareValidationListsEveryImplementedTopology) {
  EXPECT_EQ(noc_topology_names(), topology_names());
}

}  // namespace
}  // namespace baton::test
