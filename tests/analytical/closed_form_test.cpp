// The closed-form model equals the reference counter, count by count.
#include <gtest/gtest.h>

#include <cmath>

#include "baton/analytical/model.h"
#include "baton/analytical/reference.h"
#include "common/compare_cost.h"
#include "dataflow/test_util.h"

namespace baton::test {


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
      const std::string d = compare_costs(analyze(*s, hw), reference_count(*s, hw).cost);
      EXPECT_EQ(d, "") << c.name << " multicast=" << mc << " reduction=" << red;
    }
}

INSTANTIATE_TEST_SUITE_P(Hand, ClosedForm, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

}  // namespace
}  // namespace baton::test
