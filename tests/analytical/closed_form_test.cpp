// The closed-form model equals the reference counter, count by count.
#include <gtest/gtest.h>

#include <cmath>

#include "baton/analytical/model.h"
#include "baton/analytical/reference.h"
#include "dataflow/test_util.h"

namespace baton::test {

// Compares every traffic count; returns "" when equal, else a description.
inline std::string compare_traffic(const LayerCost& a, const LayerCost& r) {
  std::string out;
  auto chk = [&](const char* what, int64_t x, int64_t y) {
    if (x != y) out += std::string(what) + ": model " + std::to_string(x) + " reference " +
                       std::to_string(y) + "\n";
  };
  const char* names[] = {"input", "weight", "output"};
  for (int t = 0; t < 3; ++t) {
    const std::string n = names[t];
    chk((n + ".l2_reads").c_str(), a.tensor[t].l2_reads, r.tensor[t].l2_reads);
    chk((n + ".noc_deliveries").c_str(), a.tensor[t].noc_deliveries, r.tensor[t].noc_deliveries);
  }
  chk("output.writebacks", a.tensor[2].writebacks, r.tensor[2].writebacks);
  chk("output.l2_writes", a.tensor[2].l2_writes, r.tensor[2].l2_writes);
  chk("output.readbacks", a.tensor[2].readbacks, r.tensor[2].readbacks);
  chk("output.rmw_reads", a.tensor[2].rmw_reads, r.tensor[2].rmw_reads);
  chk("macs", a.macs, r.macs);
  chk("steps", a.steps, r.steps);
  chk("compute_cycles", a.compute_cycles, r.compute_cycles);
  chk("noc_element_hops", a.noc_element_hops, r.noc_element_hops);
  chk("runtime_cycles", a.runtime_cycles, r.runtime_cycles);
  for (int t = 0; t < 3; ++t) {
    chk((std::string(names[t]) + ".dram_reads").c_str(), a.tensor[t].dram_reads,
        r.tensor[t].dram_reads);
    chk((std::string(names[t]) + ".dram_writes").c_str(), a.tensor[t].dram_writes,
        r.tensor[t].dram_writes);
  }
  chk("l1_bytes_needed", a.l1_bytes_needed, r.l1_bytes_needed);
  chk("l2_bytes_needed", a.l2_bytes_needed, r.l2_bytes_needed);
  if (std::abs(a.energy.total_pj() - r.energy.total_pj()) > 1e-6 * r.energy.total_pj())
    out += "energy: model " + std::to_string(a.energy.total_pj()) + " reference " +
           std::to_string(r.energy.total_pj()) + "\n";
  if (a.noc_bw_peak_elems_per_cycle != r.noc_bw_peak_elems_per_cycle)
    out += "noc_bw_peak: model " + std::to_string(a.noc_bw_peak_elems_per_cycle) + " reference " +
           std::to_string(r.noc_bw_peak_elems_per_cycle) + "\n";
  return out;
}

namespace {

struct Case {
  const char* name;
  const char* body;
  int64_t pes;
};

const Case kCases[] = {
    {"E1", R"(Type: CONV
      Dimensions { K: 4, C: 2, R: 3, S: 1, Y: 6, X: 1 }
      Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y;
                 TemporalMap(Sz(R),Sz(R)) R; })", 2},
    {"E2", R"(Type: CONV
      Dimensions { K: 5, C: 1, R: 1, S: 1, Y: 1, X: 5 }
      Dataflow { SpatialMap(2,2) K; TemporalMap(2,2) X; })", 2},
    {"E3", R"(Type: CONV
      Stride { X: 1, Y: 2 }
      Dimensions { K: 2, C: 1, R: 3, S: 1, Y: 7, X: 1 }
      Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y'; TemporalMap(Sz(R),Sz(R)) R; })", 2},
    {"E4", R"(Type: CONV
      Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 2, X: 2 }
      Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; Cluster(2,P); SpatialMap(1,1) C; })", 4},
    {"FoldOuterPartial", R"(Type: CONV
      Dimensions { K: 3, C: 5, R: 2, S: 1, Y: 5, X: 2 }
      Dataflow { SpatialMap(1,1) C; TemporalMap(1,1) K; TemporalMap(Sz(R),1) Y; })", 3},
    {"SpatialHalo", R"(Type: CONV
      Dimensions { K: 2, C: 2, R: 3, S: 3, Y: 7, X: 6 }
      Dataflow { TemporalMap(1,1) K; TemporalMap(1,1) C; SpatialMap(Sz(R),1) Y;
                 TemporalMap(Sz(S),1) X; })", 3},
    {"EdgeClusters", R"(Type: CONV
      Dimensions { K: 7, C: 7, R: 1, S: 1, Y: 3, X: 2 }
      Dataflow { SpatialMap(3,3) C; TemporalMap(1,1) Y'; Cluster(2,P); TemporalMap(2,2) C;
                 SpatialMap(1,1) K; })", 4},
    {"RowStationary", R"(Type: CONV
      Dimensions { K: 3, C: 2, R: 3, S: 2, Y: 6, X: 4 }
      Dataflow { SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C;
                 TemporalMap(2,2) K; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
                 Cluster(Sz(R),P); SpatialMap(1,1) Y; SpatialMap(1,1) R; })", 7},
};

class ClosedForm : public ::testing::TestWithParam<Case> {};

TEST_P(ClosedForm, EqualsReferenceCounter) {
  const Case& c = GetParam();
  auto s = compile(one_layer(c.body), c.pes);
  ASSERT_TRUE(s);
  for (bool mc : {true, false})
    for (bool red : {true, false}) {
      HardwareSpec hw;
      hw.pes = c.pes;
      hw.noc.bandwidth_elems_per_cycle = 3;
      hw.offchip_bw_elems_per_cycle = 2;
      hw.dram_latency_cycles = 5;
      hw.noc.multicast = mc;
      hw.noc.reduction = red;
      const std::string d = compare_traffic(analyze(*s, hw), reference_count(*s, hw).cost);
      EXPECT_EQ(d, "") << c.name << " multicast=" << mc << " reduction=" << red;
    }
}

INSTANTIATE_TEST_SUITE_P(Hand, ClosedForm, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

}  // namespace
}  // namespace baton::test
