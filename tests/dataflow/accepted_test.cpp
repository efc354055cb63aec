// Inputs MAESTRO rejects, crashes on or mis-reads (MAESTRO-SEMANTICS.md §5.1) that baton reads
// natively (DIRECTIVES.md): each is accepted, and the closed-form MACs equal the layer's MACs
// (walking the schedule visits every MAC point exactly once).
#include "test_util.h"

namespace baton::test {
namespace {

// Compiles `text` on `pes` PEs; it must be accepted with exact MACs and exact coverage.
std::optional<Schedule> accepted(const std::string& text, int64_t pes) {
  std::vector<Diagnostic> errors;
  auto s = compile(text, pes, &errors);
  std::string all;
  for (const auto& e : errors) all += "\n  " + e.format();
  EXPECT_TRUE(s.has_value()) << "rejected:" << all;
  if (!s) return s;
  EXPECT_EQ(s->macs(), s->layer().macs());
  const WalkStats w = walk(*s);
  EXPECT_TRUE(w.every_point_once) << w.first_problem;
  EXPECT_EQ(w.macs, s->macs());
  EXPECT_EQ(w.steps, s->steps());
  return s;
}

TEST(AcceptedInputs, NoSemicolonsOrCommasAtAll) {
  auto s = accepted(one_layer("Type CONV\nStride { X 1 Y 1 }\n"
                              "Dimensions { K 4 C 2 R 3 S 1 Y 6 X 1 }\n"
                              "Dataflow { SpatialMap(1 1) K TemporalMap(1 1) C "
                              "TemporalMap(Sz(R) 1) Y TemporalMap(Sz(R) Sz(R)) R }"), 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->macs(), 96);  // worked example E1
  EXPECT_EQ(s->steps(), 16);
  s = accepted(one_layer("Type CONV Dimensions { K 4 C 2 }\n"
                         "Dataflow { SpatialMap(1 1) K Cluster(2 P) SpatialMap(1 1) C }"), 4);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->levels().size(), 2u);
}

TEST(AcceptedInputs, FcAndPoolTypes) {
  auto fc = accepted(one_layer("Type: FC\nDimensions { N: 2, K: 4, C: 3 }\n"
                               "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; }"), 2);
  ASSERT_TRUE(fc);
  EXPECT_EQ(fc->layer().type, LayerType::kFc);
  EXPECT_EQ(fc->macs(), 2 * 4 * 3);
  auto pool = accepted(one_layer("Type: POOL\nStride { X: 2, Y: 2 }\n"
                                 "Dimensions { C: 4, R: 2, S: 2, Y: 4, X: 4 }\n"
                                 "Dataflow { SpatialMap(1,1) C; }"), 2);
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->layer().dim(Dim::P), 2);
  EXPECT_EQ(pool->macs(), 4 * 2 * 2 * 2 * 2);  // one operation per window element
  EXPECT_FALSE(pool->layer().has_tensor(Tensor::kWeight));
}

TEST(AcceptedInputs, TrconvUpsamplesWithStrideDefaultingToR) {
  // Y = 3, R = 2, σ = R: lowered input rows [pad x0 0 x1 0 x2 pad], P = (3-1)*2 + 2 = 6; of the
  // 12 (p, r) pairs, 6 read an inserted zero or the padding.
  auto s = accepted(one_layer("Type: TRCONV\nDimensions { K: 1, C: 1, R: 2, S: 1, Y: 3, X: 1 }\n"
                              "Dataflow { TemporalMap(Sz(R),1) Y; }"), 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->layer().dim(Dim::P), 6);
  EXPECT_EQ(s->layer().input_rows, 7);
  EXPECT_EQ(s->macs(), 12);
  EXPECT_EQ(s->layer().zero_macs(), 6);
  // U-Net TRCONV1: Y = 28 -> P = 56.
  auto u = accepted(one_layer("Type: TRCONV\nDimensions { K: 1, C: 1, R: 2, S: 2, Y: 28, X: 28 }"
                              "\nDataflow { SpatialMap(Sz(R),1) Y; }"), 4);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->layer().dim(Dim::P), 56);
  EXPECT_EQ(u->layer().dim(Dim::Q), 56);
  EXPECT_GT(u->layer().zero_macs(), 0);
}

TEST(AcceptedInputs, DimensionThatDoesNotDivideLeavesUnitsIdle) {
  auto s = accepted(one_layer("Type: CONV\nDimensions { K: 5, C: 1 }\n"
                              "Dataflow { SpatialMap(1,1) K; }"), 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps(), 3);
  EXPECT_EQ(s->macs(), 5);
  EXPECT_DOUBLE_EQ(s->avg_active_pes(), 5.0 / 3.0);
}

TEST(AcceptedInputs, TileLargerThanTheDimensionIsClipped) {
  auto s = accepted(one_layer("Type: CONV\nDimensions { K: 4, C: 1 }\n"
                              "Dataflow { SpatialMap(8,8) K; }"), 2);
  ASSERT_TRUE(s);
  const Loop& k = s->levels()[0].loops[0];
  EXPECT_EQ(k.tile, 4);
  EXPECT_EQ(k.tiles, 1);
  EXPECT_EQ(s->steps(), 1);
  EXPECT_EQ(s->peak_active_pes(), 1);
}

TEST(AcceptedInputs, AnyNumberOfClusterLevels) {
  auto s = accepted(one_layer("Type: CONV\nDimensions { K: 4, C: 4, Y: 4, X: 4 }\n"
                              "Dataflow { SpatialMap(1,1) K; Cluster(2,P); SpatialMap(1,1) C;\n"
                              "Cluster(2,P); SpatialMap(1,1) Y'; Cluster(2,P);\n"
                              "SpatialMap(1,1) X';\n"
                              "Cluster(2,P); SpatialMap(1,1) K; }"), 32);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->levels().size(), 5u);
  EXPECT_EQ(s->levels()[0].units, 2);
  EXPECT_EQ(s->pes_used(), 32);
  EXPECT_TRUE(s->fit().fits);
}

TEST(AcceptedInputs, TemporalMapOnRSmallerThanR) {
  // MAESTRO: "Invalid mapping ... Tile size of R" for (1,1) and (2,2) with R = 3.
  for (const char* r : {"TemporalMap(1,1) R;", "TemporalMap(2,2) R;"}) {
    auto s = accepted(one_layer(std::string("Type: CONV\nDimensions { K: 2, C: 1, R: 3, Y: 5 }\n"
                                            "Dataflow { SpatialMap(1,1) K; ") +
                                r + " TemporalMap(1,1) Y'; }"), 2);
    ASSERT_TRUE(s) << r;
    EXPECT_EQ(s->macs(), 2 * 3 * 3);
  }
}

TEST(AcceptedInputs, YPrimeWithoutRDirectiveHoldsRWhole) {
  auto s = accepted(one_layer("Type: CONV\nDimensions { K: 2, C: 1, R: 3, Y: 5 }\n"
                              "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y'; }"), 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps(), 3);
  EXPECT_EQ(s->compute_cycles(1), 3 * 3);  // the whole 3-row window per step
}

TEST(AcceptedInputs, NamesWithDotsAndDashes) {
  const std::string text = "Network resnet-18.v1 {\n"
                           "Layer Conv2d-1 { Type: CONV Dimensions { K: 2 } "
                           "Dataflow { SpatialMap(1,1) K; } }\n"
                           "Layer features.0.conv { Type: CONV Dimensions { K: 2 } "
                           "Dataflow { SpatialMap(1,1) K; } }\n}\n";
  const MFile f = parse_mfile(text, "test.m");
  EXPECT_EQ(f.network_name, "resnet-18.v1");
  ASSERT_EQ(f.layers.size(), 2u);
  EXPECT_EQ(f.layers[0].name, "Conv2d-1");
  EXPECT_EQ(f.layers[1].name, "features.0.conv");
  EXPECT_TRUE(accepted(text, 2));
}

TEST(AcceptedInputs, TypographicQuoteReadsAsPrime) {
  const std::string text = one_layer("Type: CONV\nDimensions { K: 2, R: 3, Y\xE2\x80\x99: 4 }\n"
                                     "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y\xE2\x80\x99;"
                                     " TemporalMap(Sz(Y\xE2\x80\x99),1) C; }");
  const MFile f = parse_mfile(text, "test.m");
  EXPECT_EQ(f.layers[0].dims.at(2).name, "Y'");
  EXPECT_EQ(f.layers[0].dataflow->directives.at(1).dim, "Y'");
  auto s = accepted(text, 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->layer().dim(Dim::P), 4);
  EXPECT_EQ(s->levels()[0].loops[1].dim, Dim::P);
  EXPECT_EQ(s->steps(), 4);
}

TEST(AcceptedInputs, ClusterProductLargerThanPesIsAFitResultNotAnError) {
  auto s = accepted(one_layer("Type: CONV\nDimensions { K: 4, C: 64 }\n"
                              "Dataflow { SpatialMap(1,1) K; Cluster(64,P); SpatialMap(1,1) C; }"),
                    4);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->fit().fits);
  EXPECT_NE(s->fit().reason.find("multiply to 64 PEs but the hardware has 4"), std::string::npos)
      << s->fit().reason;
}

}  // namespace
}  // namespace baton::test
