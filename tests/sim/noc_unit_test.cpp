// NoC topologies stepped directly: no link of any topology ever carries more than its bandwidth
// (per lane) per cycle, every packet arrives, and an uncontended mesh packet takes its
// documented hop latency.
#include <gtest/gtest.h>

#include "baton/noc/topology.h"

namespace baton::test {
namespace {

int64_t run_until_idle(Topology& t, int64_t start, int64_t expected) {
  std::vector<NocArrival> arrived;
  int64_t now = start;
  for (; now < start + 100000 && (t.busy() || static_cast<int64_t>(arrived.size()) < expected);
       ++now)
    t.advance(now, arrived);
  EXPECT_EQ(static_cast<int64_t>(arrived.size()), expected);
  return now;
}

class LinkBandwidth : public ::testing::TestWithParam<std::string> {};

TEST_P(LinkBandwidth, NoLinkCarriesMoreThanItsBandwidthPerCycle) {
  for (int64_t bw : {1, 3, 8}) {
    NocSpec spec;
    spec.topology = GetParam();
    spec.bandwidth_elems_per_cycle = bw;
    spec.buffer_depth_flits = 2;
    for (NocDirection dir : {NocDirection::kDistribution, NocDirection::kCollection}) {
      auto net = make_topology(spec, 12, dir);
      int64_t id = 0;
      for (int32_t pe = 0; pe < 12; ++pe)  // unicasts and multicasts of assorted sizes
        net->inject(NocPacket{id++, 1 + pe % 7, pe % 3 == 0 ? 4 : 1,
                              pe % 3 == 0 ? std::vector<int32_t>{pe, (pe + 5) % 12,
                                                                 (pe + 7) % 12, 11}
                                          : std::vector<int32_t>{pe}},
                    0);
      run_until_idle(*net, 0, id);
      EXPECT_LE(net->stats().max_link_elems_per_cycle, bw) << GetParam() << " bw " << bw;
      EXPECT_GT(net->stats().max_link_elems_per_cycle, 0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Noc, LinkBandwidth, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(MeshLatency, UncontendedPacketTakesOneCyclePerHopPlusItsFlits) {
  NocSpec spec;
  spec.topology = "mesh";
  spec.bandwidth_elems_per_cycle = 4;
  spec.hop_latency_cycles = 1;
  auto net = make_topology(spec, 16, NocDirection::kDistribution);  // 4 x 4
  // PE 15 sits at row 3, column 3: it enters at row 3's L2 port (column 0) and crosses 3 links.
  net->inject(NocPacket{7, 8, 1, {15}}, 0);
  std::vector<NocArrival> arrived;
  int64_t now = 0;
  while (arrived.empty() && now < 100) net->advance(++now, arrived);
  ASSERT_EQ(arrived.size(), 1u);
  // Flit 1 enters the router at cycle 1, leaves it at 2, crosses 3 links (cycles 3..5) and is
  // ejected at 5; flit 2 follows one cycle behind: the packet arrives at cycle 6.
  EXPECT_EQ(arrived[0].cycle, 6);
}

}  // namespace
}  // namespace baton::test
