// Determinism on every topology: the same layer on the same hardware, simulated twice in one
// process, gives identical cycle counts, PE cycle classes and NoC statistics (every field). The
// layers are contended (narrow links, small buffers) and exercise unicasts, multicasts and
// reduction groups, so arbitration decides much of the timing.
#include <gtest/gtest.h>

#include "baton/sim/simulator.h"
#include "baton/noc/topology.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

auto fields(const NocStats& s) {
  return std::make_tuple(s.packets, s.elements, s.element_hops, s.busy_cycles, s.queued_cycles,
                         s.links, s.max_link_flits, s.fork_stalls, s.credit_stalls,
                         s.port_limited_cycles, s.max_link_elems_per_cycle, s.reduction_waits);
}
auto fields(const PeCycles& p) {
  return std::make_tuple(p.compute, p.stall_input, p.stall_weight, p.stall_output, p.stall_dram,
                         p.idle);
}

// Unicast weights per PE and a multicast input (K spatial), and reduction groups of 4 PEs with
// multicast inputs (C spatial under a K cluster).
const char* const kLayers[] = {
    R"(Type: CONV
    Dimensions { K: 16, C: 8, R: 1, S: 1, Y: 1, X: 3 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(1,1) X; })",
    R"(Type: CONV
    Dimensions { K: 4, C: 8, R: 3, S: 1, Y: 6, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; TemporalMap(Sz(R),1) Y;
               Cluster(4, P); SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; })",
};

class Determinism : public ::testing::TestWithParam<std::string> {};

TEST_P(Determinism, SameRunTwiceGivesIdenticalCyclesAndStatistics) {
  for (const char* layer : kLayers) {
    auto s = compile(one_layer(layer), 16);
    ASSERT_TRUE(s) << layer;
    HardwareSpec hw;
    hw.pes = 16;
    hw.noc.topology = GetParam();
    hw.noc.bandwidth_elems_per_cycle = 1;
    hw.noc.buffer_depth_flits = 1;
    hw.l2_read_elems_per_cycle = 3;
    const SimLayerResult a = Simulator::instance().run(*s, hw);
    const SimLayerResult b = Simulator::instance().run(*s, hw);
    ASSERT_FALSE(a.stalled) << *a.stalled;
    EXPECT_EQ(a.counted.runtime_cycles, b.counted.runtime_cycles);
    EXPECT_EQ(fields(a.distribution), fields(b.distribution));
    EXPECT_EQ(fields(a.collection), fields(b.collection));
    EXPECT_EQ(fields(a.pe_cycles), fields(b.pe_cycles));
    ASSERT_EQ(a.per_pe_cycles.size(), b.per_pe_cycles.size());
    for (size_t i = 0; i < a.per_pe_cycles.size(); ++i)
      EXPECT_EQ(fields(a.per_pe_cycles[i]), fields(b.per_pe_cycles[i])) << "PE " << i;
    EXPECT_EQ(a.causes.first_divergent_step, b.causes.first_divergent_step);
    EXPECT_EQ(a.causes.divergent_slot_cycles, b.causes.divergent_slot_cycles);
    // The layer is contended on this hardware, so the statistics compared are not all zero.
    EXPECT_GT(a.distribution.busy_cycles, 0);
    EXPECT_GT(a.collection.busy_cycles, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Noc, Determinism, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace baton::test
