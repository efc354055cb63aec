// The reference counter on DIRECTIVES.md's worked examples (native numbers) and on hand-timed
// single-step layers (rule 13).
#include <gtest/gtest.h>

#include "baton/analytical/reference.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

HardwareSpec ideal(int64_t pes) {
  HardwareSpec hw;
  hw.pes = pes;
  hw.noc.bandwidth_elems_per_cycle = std::nullopt;
  hw.noc.hop_latency_cycles = 1;
  hw.offchip_bw_elems_per_cycle = std::nullopt;
  hw.dram_latency_cycles = 0;
  return hw;
}

const char* kE4 = R"(Type: CONV
    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 2, X: 2 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; Cluster(2,P); SpatialMap(1,1) C; })";

TEST(ReferenceCounter, E1_TemporalReuseAndPartialSumReadBacks) {
  auto s = compile(one_layer(kE1Layer), 2);
  ASSERT_TRUE(s);
  const LayerCost c = reference_count(*s, ideal(2)).cost;
  EXPECT_EQ(c.tensor[0].l2_reads, 24);  // 2 folds x 2 channels x (3+1+1+1)
  EXPECT_EQ(c.tensor[0].noc_deliveries, 48);
  EXPECT_EQ(c.tensor[1].l2_reads, 24);  // 3 per PE whenever (f, c) changes
  EXPECT_EQ(c.tensor[2].writebacks, 32);
  EXPECT_EQ(c.tensor[2].l2_writes, 32);
  EXPECT_EQ(c.tensor[2].readbacks, 16);
  EXPECT_EQ(c.tensor[2].l2_reads, 16);
  EXPECT_EQ(c.macs, 96);
}

TEST(ReferenceCounter, E3_StridedWindowFetchesOnlyNewRows) {
  auto s = compile(one_layer(R"(Type: CONV
    Stride { X: 1, Y: 2 }
    Dimensions { K: 2, C: 1, R: 3, S: 1, Y: 7, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y'; TemporalMap(Sz(R),Sz(R)) R; })"), 2);
  ASSERT_TRUE(s);
  const LayerCost c = reference_count(*s, ideal(2)).cost;
  EXPECT_EQ(c.tensor[0].l2_reads, 7);  // 3 + 2 + 2
  EXPECT_EQ(c.tensor[0].noc_deliveries, 14);
}

TEST(ReferenceCounter, E4_InNetworkReductionHalvesOutputWrites) {
  auto s = compile(one_layer(kE4), 4);
  ASSERT_TRUE(s);
  const LayerCost c = reference_count(*s, ideal(4)).cost;
  EXPECT_EQ(c.tensor[0].l2_reads, 32);
  EXPECT_EQ(c.tensor[1].l2_reads, 16);
  EXPECT_EQ(c.tensor[2].writebacks, 32);
  EXPECT_EQ(c.tensor[2].l2_writes, 16);
  EXPECT_EQ(c.tensor[2].readbacks, 0);
  EXPECT_EQ(c.tensor[2].rmw_reads, 0);
}

TEST(ReferenceCounter, E4_WithoutReductionL2DoesReadModifyWrite) {
  auto s = compile(one_layer(kE4), 4);
  ASSERT_TRUE(s);
  HardwareSpec hw = ideal(4);
  hw.noc.reduction = false;
  const LayerCost c = reference_count(*s, hw).cost;
  EXPECT_EQ(c.tensor[2].l2_writes, 32);
  EXPECT_EQ(c.tensor[2].rmw_reads, 16);
  EXPECT_EQ(c.tensor[2].l2_reads, 16);
}

TEST(ReferenceCounter, WithoutMulticastEveryDeliveryReadsL2) {
  auto s = compile(one_layer(kE4), 4);
  ASSERT_TRUE(s);
  HardwareSpec hw = ideal(4);
  hw.noc.multicast = false;
  const LayerCost c = reference_count(*s, hw).cost;
  EXPECT_EQ(c.tensor[0].l2_reads, c.tensor[0].noc_deliveries);
  EXPECT_EQ(c.tensor[0].l2_reads, 64);
}

// One global step: runtime = DRAM fill + I_0 + C_0 + E_0 + final DRAM drain (rule 13).
TEST(ReferenceCounter, SingleStepRuntimeIsFillIngressComputeEgressDrain) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 2, C: 3, R: 1, S: 1, Y: 1, X: 1 }
    Dataflow { SpatialMap(1,1) K; })"), 2);
  ASSERT_TRUE(s);
  HardwareSpec hw = ideal(2);
  hw.noc.bandwidth_elems_per_cycle = 2;
  hw.noc.hop_latency_cycles = 3;
  hw.offchip_bw_elems_per_cycle = 4;
  hw.dram_latency_cycles = 10;
  const ReferenceResult r = reference_count(*s, hw);
  ASSERT_EQ(r.steps.size(), 1u);
  // inputs 3 (multicast) + weights 6 = V 9; outputs 2; compute 3 MACs per PE.
  EXPECT_EQ(r.steps[0].v, 9);
  EXPECT_EQ(r.steps[0].w, 2);
  EXPECT_EQ(r.steps[0].c, 3);
  const int64_t fill = 10 + (9 + 3) / 4, ingress = 3 + (9 + 1) / 2, egress = 3 + 1;
  const int64_t drain = 10 + (2 + 3) / 4;
  EXPECT_EQ(r.cost.runtime_cycles, fill + ingress + 3 + egress + drain);
  EXPECT_EQ(r.cost.dram_reads(), 9);
  EXPECT_EQ(r.cost.dram_writes(), 2);
}

TEST(ReferenceCounter, EnergyIsActionCountsTimesTable) {
  auto s = compile(one_layer(kE4), 4);
  ASSERT_TRUE(s);
  HardwareSpec hw = ideal(4);
  const LayerCost c = reference_count(*s, hw).cost;
  const double expect_mac = 64 * hw.energy.mac_pj;
  EXPECT_DOUBLE_EQ(c.energy.mac_pj, expect_mac);
  EXPECT_DOUBLE_EQ(c.energy.noc_pj, double(c.noc_element_hops) * hw.energy.noc_hop_pj);
  EXPECT_GT(c.energy.total_pj(), expect_mac);
}

}  // namespace
}  // namespace baton::test
