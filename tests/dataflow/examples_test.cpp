// DIRECTIVES.md worked examples E1–E4 as hand-countable tests of the Schedule.
#include "test_util.h"

namespace baton::test {
namespace {

TEST(WorkedExamples, E1_SpatialKTemporalCY) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->layer().dim(Dim::P), 4);
  EXPECT_EQ(s->steps(), 16);  // K fold {0,1} x c {0,1} x p {0..3}
  EXPECT_EQ(s->macs(), 96);
  EXPECT_EQ(s->compute_cycles(1), 16 * 3);
  EXPECT_DOUBLE_EQ(s->avg_active_pes(), 2.0);
  ASSERT_EQ(s->levels().size(), 1u);
  const auto& loops = s->levels()[0].loops;
  ASSERT_EQ(loops.size(), 4u);
  EXPECT_EQ(loops[0].trips, 2);  // K folds
  EXPECT_EQ(loops[2].dim, Dim::P);
  EXPECT_EQ(loops[2].tile, 1);
  EXPECT_EQ(loops[2].trips, 4);
  WalkStats w = walk(*s);
  EXPECT_EQ(w.steps, 16);
  EXPECT_EQ(w.macs, 96);
  EXPECT_TRUE(w.every_point_once) << w.first_problem;
  // PE u holds k = 2f + u, 3 MACs per step.
  StepWalker walker(*s);
  for (int i = 0; i < 8; ++i) walker.next();  // fold 1 starts at step 8
  EXPECT_EQ(walker.tiles()[1].r[idx(Dim::K)], (Range{3, 4}));
  EXPECT_EQ(walker.tiles()[0].macs(), 3);
}

TEST(WorkedExamples, E2_SpatialFoldAndTemporalEdge) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 5, C: 1, R: 1, S: 1, Y: 1, X: 5 }
    Dataflow { SpatialMap(2,2) K; TemporalMap(2,2) X; })"), 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps(), 6);
  EXPECT_EQ(s->macs(), 25);
  EXPECT_EQ(s->compute_cycles(1), 4 + 4 + 2 + 2 + 2 + 1);
  EXPECT_DOUBLE_EQ(s->avg_active_pes(), 1.5);
  EXPECT_EQ(s->peak_active_pes(), 2);
  const Loop& k = s->levels()[0].loops[0];
  EXPECT_EQ(k.tiles, 3);
  EXPECT_EQ(k.trips, 2);
  EXPECT_EQ(k.edge_tile, 1);
  WalkStats w = walk(*s);
  EXPECT_EQ(w.compute_cycles, 15);
  EXPECT_EQ(w.active_sum, 9);
  EXPECT_TRUE(w.every_point_once) << w.first_problem;
}

TEST(WorkedExamples, E3_StrideOutputRowsEqualWindowForm) {
  const std::string dims = "Type: CONV\nStride { X: 1, Y: 2 }\n"
                           "Dimensions { K: 2, C: 1, R: 3, S: 1, Y: 7, X: 1 }\n";
  auto a = compile(one_layer(dims + "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y'; "
                                    "TemporalMap(Sz(R),Sz(R)) R; }"), 2);
  auto b = compile(one_layer(dims + "Dataflow { SpatialMap(1,1) K; TemporalMap(3,2) Y; "
                                    "TemporalMap(Sz(R),Sz(R)) R; }"), 2);
  ASSERT_TRUE(a && b);
  for (const auto* s : {&*a, &*b}) {
    EXPECT_EQ(s->layer().dim(Dim::P), 3);
    EXPECT_EQ(s->steps(), 3);
    EXPECT_EQ(s->macs(), 18);
    EXPECT_EQ(s->compute_cycles(1), 9);
    EXPECT_TRUE(walk(*s).every_point_once);
  }
  EXPECT_EQ(a->levels()[0].loops[1].tile, b->levels()[0].loops[1].tile);
}

TEST(WorkedExamples, E4_TwoLevelsClusterReduction) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 2, X: 2 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; Cluster(2,P); SpatialMap(1,1) C; })"), 4);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->levels().size(), 2u);
  EXPECT_EQ(s->levels()[0].units, 2);
  EXPECT_EQ(s->levels()[1].units, 2);
  EXPECT_EQ(s->top_steps(), 4);
  EXPECT_EQ(s->steps(), 4);
  EXPECT_EQ(s->macs(), 64);
  EXPECT_EQ(s->compute_cycles(1), 16);  // 4 MACs per PE per step
  EXPECT_EQ(s->peak_active_pes(), 4);
  WalkStats w = walk(*s);
  EXPECT_TRUE(w.every_point_once) << w.first_problem;
  StepWalker walker(*s);
  walker.next();  // step 1: (k fold 0, c step 1)
  // PE id = cluster * 2 + pe; cluster q holds k = 2f + q, PE p holds c = 2*cstep + p.
  EXPECT_EQ(walker.tiles()[3].r[idx(Dim::K)], (Range{1, 2}));
  EXPECT_EQ(walker.tiles()[3].r[idx(Dim::C)], (Range{3, 4}));
  EXPECT_EQ(walker.tiles()[3].macs(), 4);
}

}  // namespace
}  // namespace baton::test
