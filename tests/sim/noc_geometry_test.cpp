// The documented geometry of crossbar, tree and systolic (docs/NOC.md), stepped directly:
// zero-load latencies (F flits over n links arrive at F + (n − 1)·max(h, 1) + h), where
// multicasts fork and partial sums are reduced (seen in element-hops: Σ elements × links
// crossed), how a systolic array forwards mappings that are not systolic-friendly, and
// round-robin arbitration.
#include <gtest/gtest.h>

#include <map>

#include "baton/noc/topology.h"

namespace baton::test {
namespace {

NocSpec spec(const std::string& topology, int64_t bw, int64_t hop, int64_t arity = 4) {
  NocSpec s;
  s.topology = topology;
  s.bandwidth_elems_per_cycle = bw;
  s.hop_latency_cycles = hop;
  s.tree_arity = arity;
  return s;
}

// Injects the packets at cycle 0, steps from cycle 1 until idle; arrival cycle per packet id.
std::map<int64_t, int64_t> run(Topology& net, const std::vector<NocPacket>& packets) {
  for (const NocPacket& p : packets) net.inject(p, 0);
  std::vector<NocArrival> arrived;
  for (int64_t now = 1; now < 10000 && net.busy(); ++now) net.advance(now, arrived);
  std::map<int64_t, int64_t> at;
  for (const NocArrival& a : arrived) at[a.id] = a.cycle;
  EXPECT_EQ(at.size(), packets.size());
  EXPECT_FALSE(net.busy());
  return at;
}

NocPacket packet(int64_t id, int64_t elements, std::vector<int32_t> pes) {
  const int64_t n = static_cast<int64_t>(pes.size());
  return NocPacket{id, elements, n, std::move(pes)};
}

constexpr auto kDist = NocDirection::kDistribution;
constexpr auto kColl = NocDirection::kCollection;

TEST(TreeGeometry, ZeroLoadLatencyIsOneHopPerLevelAndMulticastForksAtSwitches) {
  for (int64_t hop : {0, 1, 3}) {
    const int64_t h = std::max<int64_t>(hop, 1);
    // Binary, 8 PEs: 3 switch levels, L2 -> PE crosses 4 links. 8 elements at 4 per flit: F = 2.
    auto uni = make_topology(spec("tree", 4, hop, 2), 8, kDist);
    EXPECT_EQ(run(*uni, {packet(1, 8, {5})})[1], 2 + 3 * h + hop) << hop;
    EXPECT_EQ(uni->stats().element_hops, 8 * 4);
    auto all = make_topology(spec("tree", 4, hop, 2), 8, kDist);
    EXPECT_EQ(run(*all, {packet(1, 8, {0, 1, 2, 3, 4, 5, 6, 7})})[1], 2 + 3 * h + hop);
    // One copy per link of the tree: 1 (L2) + 2 + 4 + 8 links, not 8 paths of 4.
    EXPECT_EQ(all->stats().element_hops, 8 * 15);
    EXPECT_EQ(all->stats().fork_stalls, 0);
  }
}

TEST(TreeGeometry, PartialSumsAreReducedAtTheSwitchesAndReachL2Once) {
  auto net = make_topology(spec("tree", 4, 1, 2), 8, kColl);
  EXPECT_EQ(run(*net, {packet(1, 4, {0, 1, 2, 3, 4, 5, 6, 7})})[1], 1 + 3 + 1);
  EXPECT_EQ(net->stats().element_hops, 4 * 15);  // 8 PE links, 4, 2, then one flit into L2
  EXPECT_EQ(net->stats().max_link_flits, 1);
  // Sources on one side of the root: they meet at their common switch, the flit then passes.
  auto two = make_topology(spec("tree", 4, 1, 2), 8, kColl);
  EXPECT_EQ(run(*two, {packet(1, 4, {4, 7})})[1], 1 + 3 + 1);
  EXPECT_EQ(two->stats().element_hops, 4 * (2 + 2 + 1 + 1));
  // A partial sum whose partner is late waits for it: PE 1's flit is behind a long packet.
  auto late = make_topology(spec("tree", 1, 1, 2), 2, kColl);
  run(*late, {packet(1, 5, {1}), packet(2, 1, {0, 1})});
  EXPECT_EQ(late->stats().reduction_waits, 5);
}

TEST(TreeGeometry, ChubbyLinksDoubleTowardsTheRoot) {
  // Arity 4, 16 PEs: links 1 / 2 / 4 lanes from the PEs to L2; 16 + 4·2 + 4 lanes in all.
  auto net = make_topology(spec("tree", 4, 1, 4), 16, kDist);
  EXPECT_EQ(net->stats().links, 16 + 8 + 4);
  // Four single-flit unicasts into different subtrees cross the 4-lane root link together.
  const auto at = run(*net, {packet(1, 4, {0}), packet(2, 4, {4}), packet(3, 4, {8}),
                             packet(4, 4, {12})});
  for (int64_t id = 1; id <= 4; ++id) EXPECT_EQ(at.at(id), 1 + 2 + 1);
  EXPECT_LE(net->stats().max_link_elems_per_cycle, 4);
}

TEST(CrossbarGeometry, OneHopMulticastAsOneTransferAndRoundRobinOutputs) {
  for (int64_t hop : {0, 2}) {
    auto uni = make_topology(spec("crossbar", 4, hop), 9, kDist);
    EXPECT_EQ(run(*uni, {packet(1, 8, {8})})[1], 2 + hop);
    auto mc = make_topology(spec("crossbar", 4, hop), 9, kDist);
    EXPECT_EQ(run(*mc, {packet(1, 8, {0, 3, 8})})[1], 2 + hop);
    EXPECT_EQ(mc->stats().element_hops, 8 * 3);
  }
  // Three 2-flit packets for one PE share its output round robin: flits interleave A B C A B C.
  auto rr = make_topology(spec("crossbar", 4, 1), 4, kDist);
  const auto at = run(*rr, {packet(1, 8, {2}), packet(2, 8, {2}), packet(3, 8, {2})});
  EXPECT_EQ(at.at(1), 4 + 1);
  EXPECT_EQ(at.at(2), 5 + 1);
  EXPECT_EQ(at.at(3), 6 + 1);
  // Different outputs do not contend.
  auto par = make_topology(spec("crossbar", 4, 1), 4, kDist);
  const auto p = run(*par, {packet(1, 8, {0}), packet(2, 8, {1}), packet(3, 8, {2})});
  for (int64_t id = 1; id <= 3; ++id) EXPECT_EQ(p.at(id), 2 + 1);
}

TEST(CrossbarGeometry, ReductionIsOneTransferFromManyInputsAndAnL2PortBudgetLimits) {
  auto net = make_topology(spec("crossbar", 4, 1), 4, kColl);
  EXPECT_EQ(run(*net, {packet(1, 8, {0, 1, 2, 3})})[1], 2 + 1);
  EXPECT_EQ(net->stats().element_hops, 8 * 4);
  // L2 writes 4 elements per cycle: four 4-element flits from four PEs take 4 cycles.
  auto port = make_topology(spec("crossbar", 4, 1), 4, kColl, 4);
  const auto at = run(*port, {packet(1, 4, {0}), packet(2, 4, {1}), packet(3, 4, {2}),
                              packet(4, 4, {3})});
  int64_t last = 0;
  for (const auto& [id, cycle] : at) last = std::max(last, cycle);
  EXPECT_EQ(last, 4 + 1);
  EXPECT_GT(port->stats().port_limited_cycles, 0);
}

TEST(SystolicGeometry, OperandsEnterAtTheEdgesAndHopPeToPe) {
  // 16 PEs: 4 × 4; PE p at row p / 4, column p % 4. One flit per packet (bw 4, 4 elements).
  for (int64_t hop : {1, 2}) {
    const int64_t h = std::max<int64_t>(hop, 1);
    auto uni = make_topology(spec("systolic", 4, hop), 16, kDist);
    EXPECT_EQ(run(*uni, {packet(1, 4, {7})})[1], 1 + 3 * h + hop);  // west port, 4 links
    EXPECT_EQ(uni->stats().element_hops, 4 * 4);
  }
  // A column: one copy from the north port down column 3.
  auto column = make_topology(spec("systolic", 4, 1), 16, kDist);
  EXPECT_EQ(run(*column, {packet(1, 4, {3, 7, 11, 15})})[1], 1 + 3 + 1);
  EXPECT_EQ(column->stats().element_hops, 4 * 4);
  // Not systolic-friendly: PEs 4 and 7 of row 1 — forwarded through PEs 5 and 6 anyway.
  auto gap = make_topology(spec("systolic", 4, 1), 16, kDist);
  EXPECT_EQ(run(*gap, {packet(1, 4, {4, 7})})[1], 1 + 3 + 1);
  EXPECT_EQ(gap->stats().element_hops, 4 * 4);
  // A diagonal: three rows, three columns -> one copy per row, each from its own west port.
  auto diag = make_topology(spec("systolic", 4, 1), 16, kDist);
  EXPECT_EQ(run(*diag, {packet(1, 4, {0, 5, 10})})[1], 1 + 2 + 1);
  EXPECT_EQ(diag->stats().element_hops, 4 * (1 + 2 + 3));
}

TEST(SystolicGeometry, PartialSumsAccumulateAlongTheChainToTheEdge) {
  auto one = make_topology(spec("systolic", 4, 1), 16, kColl);
  EXPECT_EQ(run(*one, {packet(1, 4, {4})})[1], 1 + 3 + 1);  // PE 4 -> east edge: 4 links
  // A row of sources: one chain from the westmost, reduced on the way (4 links, not 4 + 3 + 2 + 1).
  auto row = make_topology(spec("systolic", 4, 1), 16, kColl);
  EXPECT_EQ(run(*row, {packet(1, 4, {4, 5, 6, 7})})[1], 1 + 3 + 1);
  EXPECT_EQ(row->stats().element_hops, 4 * 4);
  // A column of sources: one chain south from the northmost to the south edge.
  auto col = make_topology(spec("systolic", 4, 1), 16, kColl);
  EXPECT_EQ(run(*col, {packet(1, 4, {1, 5, 9})})[1], 1 + 3 + 1);
  EXPECT_EQ(col->stats().element_hops, 4 * 4);
}

}  // namespace
}  // namespace baton::test
