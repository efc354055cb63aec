// Per-link loads (Topology::link_info / link_flits, SimLayerResult::*_links, busiest_links) on
// every topology: names are unique, the busiest link agrees with NocStats, the bus's one link is
// its busy cycles, and narrow links concentrate load.
#include <gtest/gtest.h>

#include <set>

#include "baton/sim/simulator.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

class LinkLoads : public ::testing::TestWithParam<std::string> {};

TEST_P(LinkLoads, AgreeWithTheNetworkStatistics) {
  int checked = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    HardwareSpec hw;
    hw.pes = rc.pes;
    hw.noc.topology = GetParam();
    hw.noc.bandwidth_elems_per_cycle = 2;
    const SimLayerResult r = Simulator::instance().run(*s, hw);
    ASSERT_FALSE(r.stalled);
    for (int n = 0; n < 2; ++n) {
      const auto& links = n ? r.collection_links : r.distribution_links;
      const NocStats& st = n ? r.collection : r.distribution;
      ASSERT_FALSE(links.empty());
      std::set<std::string> names;
      int64_t max_flits = 0, max_per_lane = 0;
      for (const LinkLoad& l : links) {
        EXPECT_TRUE(names.insert(l.name).second) << "duplicate link name " << l.name;
        EXPECT_GE(l.flits, 0);
        max_flits = std::max(max_flits, l.flits);
        max_per_lane = std::max(max_per_lane, (l.flits + l.lanes - 1) / l.lanes);
      }
      if (GetParam() == "bus") {
        EXPECT_EQ(links[0].flits, st.busy_cycles);
      } else {
        // A lane's flits are between the link's share and its total (equal for one lane).
        EXPECT_LE(st.max_link_flits, max_flits);
        EXPECT_GE(st.max_link_flits, max_per_lane);
      }
      const auto busy = busiest_links(links, r.counted.runtime_cycles, 3);
      ASSERT_LE(busy.size(), 3u);
      if (st.elements > 0) {
        ASSERT_FALSE(busy.empty());
        EXPECT_EQ(busy[0].flits, max_flits);
        for (size_t i = 1; i < busy.size(); ++i) EXPECT_LE(busy[i].flits, busy[i - 1].flits);
        EXPECT_GT(busy[0].flits_per_cycle, 0.0);
        EXPECT_LE(busy[0].flits_per_cycle, 1.0 + 1e-12);  // a lane moves one flit per cycle
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 3);
}

INSTANTIATE_TEST_SUITE_P(Noc, LinkLoads, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(LinkLoads, BusiestLinksOrderAndRate) {
  const std::vector<LinkLoad> links = {{"a", 1, 5}, {"b", 2, 9}, {"c", 1, 0}, {"d", 1, 9}};
  const auto b = busiest_links(links, 10, 5);
  ASSERT_EQ(b.size(), 3u);  // "c" carried nothing
  EXPECT_EQ(b[0].name, "b");  // ties keep topology order
  EXPECT_EQ(b[1].name, "d");
  EXPECT_DOUBLE_EQ(b[0].flits_per_cycle, 9.0 / 20.0);
  EXPECT_DOUBLE_EQ(b[1].flits_per_cycle, 0.9);
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

// Packet latency histograms (SimLayerResult::latency): every arrived packet is counted once, in
// its class; on an unlimited bus every packet takes exactly the hop latency.
TEST(PacketLatency, HistogramsCountEveryPacketOnce) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  for (const char* topo : {"bus", "mesh", "tree"}) {
    HardwareSpec hw;
    hw.pes = 2;
    hw.noc.topology = topo;
    hw.noc.bandwidth_elems_per_cycle = 1;
    const SimLayerResult r = Simulator::instance().run(*s, hw);
    int64_t packets = 0;
    for (const LatencyHistogram& h : r.latency) {
      int64_t in_buckets = 0;
      for (int64_t b : h.buckets) in_buckets += b;
      EXPECT_EQ(in_buckets, h.packets) << topo;
      EXPECT_LE(h.mean(), double(h.max_cycles)) << topo;
      packets += h.packets;
    }
    EXPECT_EQ(packets, r.distribution.packets + r.collection.packets) << topo;
    EXPECT_GT(r.latency[0].packets, 0) << topo;  // inputs
    EXPECT_EQ(r.latency[3].packets, r.collection.packets) << topo;
  }
  HardwareSpec hw;
  hw.pes = 2;
  hw.noc.hop_latency_cycles = 3;  // unlimited bandwidth: moves at injection, arrives 3 later
  const SimLayerResult r = Simulator::instance().run(*s, hw);
  for (const LatencyHistogram& h : r.latency) {
    if (h.packets == 0) continue;
    EXPECT_EQ(h.max_cycles, 3);
    EXPECT_EQ(h.total_cycles, 3 * h.packets);
    ASSERT_EQ(h.buckets.size(), 3u);  // bucket 2 holds [2, 4)
    EXPECT_EQ(LatencyHistogram::bucket_label(2), "2-3");
  }
}

}  // namespace
}  // namespace baton::test
