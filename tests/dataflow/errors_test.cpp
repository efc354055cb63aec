// DIRECTIVES.md "Errors, not silent nonsense" and MAESTRO-SEMANTICS.md §5.1: every bad input is
// rejected with a located diagnostic (exact line:column, a specific phrase, a hint where the fix
// is obvious), and the inputs MAESTRO mishandles but baton reads natively are accepted with exact
// MAC counts. one_layer() puts the layer body at line 3 of test.m.
#include <fstream>

#include "baton/dataflow/network.h"
#include "test_util.h"

namespace baton::test {
namespace {

// Joins lines with '\n'.
std::string lines(const std::vector<std::string>& ls) {
  std::string s;
  for (const auto& l : ls) s += (s.empty() ? "" : "\n") + l;
  return s;
}

// A layer with `head` (lines 3, 4, ...) then `Dataflow {` and one directive per line.
std::string layer(const std::vector<std::string>& head, const std::vector<std::string>& df) {
  std::string s = lines(head) + "\nDataflow {";
  for (const auto& d : df) s += "\n" + d;
  return one_layer(s + "\n}");
}

std::string all(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += "\n  " + d.format();
  return s;
}

// Compiles `text` on `pes` PEs; it must be rejected with exactly one error, which is returned.
Diagnostic the_error(const std::string& text, int64_t pes = 1) {
  std::vector<Diagnostic> errors;
  auto s = compile(text, pes, &errors);
  EXPECT_FALSE(s.has_value()) << "accepted:\n" << text;
  EXPECT_EQ(errors.size(), 1u) << all(errors);
  return errors.empty() ? Diagnostic{} : errors[0];
}

// The diagnostic is an error at test.m:line:col whose message contains `phrase` and which has a
// hint (when `hint`).
testing::AssertionResult At(const Diagnostic& d, int line, int col, const std::string& phrase,
                            bool hint = true) {
  if (d.severity != Severity::kError || d.loc.file != "test.m" || d.loc.line != line ||
      d.loc.column != col)
    return testing::AssertionFailure() << "want test.m:" << line << ":" << col << ", got "
                                       << d.format();
  if (d.message.find(phrase) == std::string::npos)
    return testing::AssertionFailure() << "message lacks \"" << phrase << "\": " << d.format();
  if (hint && d.hint.empty()) return testing::AssertionFailure() << "no hint: " << d.format();
  return testing::AssertionSuccess();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* kConv = "Type: CONV";

// ---- Offsets (rules 3, 6, 11) --------------------------------------------------------------

TEST(MappingErrors, OffsetGreaterThanSizeLeavesGaps) {
  auto d = the_error(layer({kConv, "Dimensions { K: 8, C: 2 }"}, {"  TemporalMap(1,2) K;"}));
  EXPECT_TRUE(At(d, 6, 3, "`TemporalMap(1,2) K`: offset 2 > size 1 on K leaves gaps"));
  EXPECT_TRUE(has(d.hint, "(1,1)")) << d.hint;
}

TEST(MappingErrors, OffsetLessThanSizeRepeatsMacs) {
  auto d = the_error(layer({kConv, "Dimensions { K: 8, C: 2 }"}, {"SpatialMap(2,1) K;"}), 2);
  EXPECT_TRUE(At(d, 6, 1, "offset 1 < size 2 on K makes tiles overlap (MACs repeated)"));
  EXPECT_TRUE(has(d.hint, "(2,2)")) << d.hint;
}

TEST(MappingErrors, WindowOffsetMustEqualOutputRowsPerTile) {
  // Y = 12, R = 3: a 7-row tile covers 5 output rows but advances by 1.
  auto d = the_error(layer({kConv, "Dimensions { K: 1, C: 1, R: 3, Y: 12 }"},
                           {"TemporalMap(Sz(R),Sz(R)) R;", "    TemporalMap(7,1) Y;"}));
  EXPECT_TRUE(At(d, 7, 5, "each tile covers 5 output rows (window R = 3, stride 1) but "
                          "advances 1: tiles overlap in output rows"));
  EXPECT_TRUE(has(d.hint, "TemporalMap(7,5) Y")) << d.hint;
  // Stride 2: `TemporalMap(Sz(R),1) Y` is one output row per step (offset ⌈1/2⌉ = 1 = sp).
  auto s = compile(layer({kConv, "Stride { Y: 2 }", "Dimensions { K: 1, C: 1, R: 3, Y: 9 }"},
                         {"TemporalMap(Sz(R),1) Y;"}), 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps(), 4);
  EXPECT_EQ(s->macs(), s->layer().macs());
}

TEST(MappingErrors, OffsetRulesDoNotApplyToADimensionWithOneTile) {
  auto s = compile(layer({kConv, "Dimensions { K: 8, C: 2, R: 3, Y: 12 }"},
                         {"TemporalMap(Sz(R),7) R;", "TemporalMap(8,3) K;", "TemporalMap(5,9) C;",
                          "TemporalMap(Sz(R),1) Y;"}), 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->macs(), s->layer().macs());
  EXPECT_EQ(s->macs(), 8 * 2 * 3 * 10);
}

// ---- Directives per level (rules 4, 7) -----------------------------------------------------

TEST(MappingErrors, TwoDirectivesOnOneDimensionInOneLevel) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"},
                           {"  SpatialMap(1,1) K;", "  TemporalMap(2,2) K;"}), 2);
  EXPECT_TRUE(At(d, 7, 3, "`TemporalMap(2,2) K`: a second directive on K in one level (first: "
                          "`SpatialMap(1,1) K` at line 6:3)"));
  // The same dimension in two levels is fine.
  EXPECT_TRUE(compile(layer({kConv, "Dimensions { K: 4, C: 2 }"},
                            {"SpatialMap(2,2) K;", "Cluster(2,P);", "SpatialMap(1,1) K;"}), 4));
}

TEST(MappingErrors, YAndYPrimeInOneLevelAreTwoDirectivesOnOneDimension) {
  auto d = the_error(layer({kConv, "Dimensions { K: 2, C: 1, R: 3, Y: 8 }"},
                           {"SpatialMap(1,1) K;", "TemporalMap(Sz(R),1) Y;",
                            "TemporalMap(1,1) Y';"}),
                     2);
  EXPECT_TRUE(At(d, 8, 1, "a second directive on Y' in one level (first: "
                          "`TemporalMap(Sz(R),1) Y`"));
  EXPECT_TRUE(has(d.hint, "Y and Y' are the same dimension")) << d.hint;
}

TEST(MappingErrors, TwoSpatialMapsMustBeAYRorXSPair) {
  auto d = the_error(layer({kConv, "Dimensions { K: 2, C: 2 }"},
                           {"SpatialMap(1,1) K;", "  SpatialMap(1,1) C;"}), 2);
  EXPECT_TRUE(At(d, 7, 3, "are two SpatialMaps in one level that are not a Y-R or X-S pair"));
  // Only input rows Y pair with R, not output rows Y' (rule 11).
  d = the_error(layer({kConv, "Dimensions { K: 2, C: 1, R: 3, Y: 5 }"},
                      {"SpatialMap(1,1) Y';", "SpatialMap(1,1) R;"}), 3);
  EXPECT_TRUE(At(d, 7, 1, "`SpatialMap(1,1) Y'` and `SpatialMap(1,1) R` are two SpatialMaps"));
}

TEST(MappingErrors, YRPairingMustCoverTheLevelsOutputRows) {
  // Y = 4, R = 3: the level holds P = 2 output rows.
  const std::vector<std::string> head = {kConv, "Dimensions { K: 1, C: 1, R: 3, Y: 4 }"};
  auto d = the_error(layer(head, {"SpatialMap(2,2) Y;", " SpatialMap(2,2) R;"}), 2);
  EXPECT_TRUE(At(d, 7, 2, "the pairing does not cover the level's 2 output rows exactly"));
  d = the_error(layer(head, {"SpatialMap(1,1) Y;", "SpatialMap(1,1) R;"}), 3);
  EXPECT_TRUE(At(d, 7, 1, "4 input-row tiles but 3 filter-row tiles"));
  EXPECT_TRUE(has(d.hint, "SpatialMap(1,1) Y'")) << d.hint;
  // One output row per cluster: the Eyeriss pairing is accepted.
  auto s = compile(layer(head, {"SpatialMap(1,1) Y';", "Cluster(3,P);", "SpatialMap(1,1) Y;",
                                "SpatialMap(1,1) R;"}), 6);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->macs(), s->layer().macs());
}

TEST(MappingErrors, YTileTooSmallForItsRTile) {
  auto d = the_error(layer({kConv, "Dimensions { K: 1, C: 1, R: 3, Y: 12 }"},
                           {"TemporalMap(2,2) Y;"}));
  EXPECT_TRUE(At(d, 6, 1, "a tile of 2 input rows cannot hold one output row with the R tile "
                          "of 3"));
  EXPECT_TRUE(has(d.hint, "Sz(R)")) << d.hint;
}

TEST(MappingErrors, LevelWithSeveralUnitsNeedsASpatialMap) {
  const std::vector<std::string> head = {kConv, "Dimensions { K: 8, C: 4 }"};
  auto d = the_error(layer(head, {"SpatialMap(1,1) K;", "  Cluster(4,P);", "TemporalMap(1,1) C;",
                                  "TemporalMap(1,1) K;"}), 8);
  EXPECT_TRUE(At(d, 7, 3, "level 1 (the level below `Cluster(4, P)`) has 4 units but no "
                          "SpatialMap"));
  d = the_error(layer(head, {"TemporalMap(1,1) K;"}), 2);
  EXPECT_TRUE(At(d, 6, 1, "level 0 (the top level) has 2 units but no SpatialMap"));
  EXPECT_TRUE(compile(layer(head, {"TemporalMap(1,1) K;"}), 1));  // one unit: no SpatialMap needed
}

// ---- Layer types ---------------------------------------------------------------------------

TEST(LayerErrors, DsconvNeedsKOne) {
  auto d = the_error(layer({"Type: DSCONV", "Dimensions { C: 4, K: 2, R: 3, Y: 5 }"},
                           {"SpatialMap(1,1) C;"}), 2);
  EXPECT_TRUE(At(d, 4, 20, "DSCONV layer 'L' has K = 2; it must be 1"));
}

TEST(LayerErrors, PoolNeedsKOne) {
  auto d = the_error(layer({"Type: POOL", "Dimensions { K: 3, C: 4, R: 2, Y: 4 }"},
                           {"SpatialMap(1,1) C;"}), 2);
  EXPECT_TRUE(At(d, 4, 14, "POOL layer 'L' has K = 3; it must be 1"));
}

TEST(LayerErrors, FcNeedsUnitWindow) {
  auto d = the_error(layer({"Type: FC", "Dimensions { K: 4, C: 4, R: 3 }"}, {"SpatialMap(1,1) K;"}),
                     2);
  EXPECT_TRUE(At(d, 4, 26, "FC layer 'L' has R = 3; FC needs R = S = Y = X = 1"));
  EXPECT_TRUE(has(d.hint, "CONV")) << d.hint;
}

TEST(LayerErrors, UnsupportedLayerType) {
  auto d = the_error(layer({"Type:   LSTM", "Dimensions { K: 4, C: 4 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 3, 9, "unsupported layer type 'LSTM'"));
  EXPECT_TRUE(has(d.hint, "CONV, FC, DSCONV, NGCONV, TRCONV, POOL, GEMM")) << d.hint;
}

TEST(LayerErrors, MissingType) {
  auto d = the_error(layer({"Dimensions { K: 4, C: 4 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 2, 7, "layer 'L' has no `Type`"));  // at the layer name
  EXPECT_TRUE(has(d.hint, "Type: CONV")) << d.hint;
}

TEST(LayerErrors, TrconvRejectsOutputCoordinateDirectives) {
  auto d = the_error(layer({"Type: TRCONV", "Dimensions { K: 2, C: 1, R: 2, Y: 4 }"},
                           {"SpatialMap(1,1) K;", "TemporalMap(1,1)  Y';"}), 2);
  EXPECT_TRUE(At(d, 7, 19, "Y' directives are not allowed on a TRCONV layer"));
  EXPECT_TRUE(has(d.hint, "TemporalMap(Sz(R),1) Y")) << d.hint;
  // A TRCONV layer is declared by its input size (one error, no "declares neither Y nor Y'").
  d = the_error(layer({"Type: TRCONV", "Dimensions { K: 2, R: 2, Y': 4 }"}, {"SpatialMap(1,1) K;"}),
                2);
  EXPECT_TRUE(At(d, 4, 26, "unknown dimension 'Y'' for a TRCONV layer"));
  EXPECT_TRUE(has(d.hint, "input size Y")) << d.hint;
}

// ---- Dimensions ----------------------------------------------------------------------------

TEST(DimensionErrors, ZeroSizeInDimensions) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 0 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 20, "dimension size of 'C' is 0; it must be at least 1"));
}

TEST(DimensionErrors, ZeroSizeOrOffsetInADirective) {
  const std::vector<std::string> head = {kConv, "Dimensions { K: 4, C: 2 }"};
  auto d = the_error(layer(head, {"SpatialMap(0,1) K;"}));
  EXPECT_TRUE(At(d, 6, 12, "`SpatialMap` size is 0; it must be at least 1"));
  d = the_error(layer(head, {"SpatialMap(1, 0) K;"}));
  EXPECT_TRUE(At(d, 6, 15, "`SpatialMap` offset is 0; it must be at least 1"));
}

TEST(DimensionErrors, NegativeNumbers) {
  auto d = the_error(layer({kConv, "Dimensions { K: -4, C: 2 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 17, "dimension size '-4' is not a positive integer"));
  d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"}, {"TemporalMap(-1,1) K;"}));
  EXPECT_TRUE(At(d, 6, 13, "`TemporalMap` size '-1' is not a positive integer"));
}

TEST(DimensionErrors, SizeWithTrailingLetters) {
  // MAESTRO's atoi reads `12abc` as 12.
  auto d = the_error(layer({kConv, "Dimensions { K: 12abc, C: 2 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 17, "dimension size '12abc' is not a positive integer"));
}

TEST(DimensionErrors, NumberTooLarge) {
  auto d = the_error(layer({kConv, "Dimensions { K: 99999999999999999999 }"},
                           {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 17, "'99999999999999999999' is too large"));
  d = the_error(layer({kConv, "Dimensions { K: 2147483648, C: 2147483648, N: 2147483648 }"},
                      {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 2, 7, "is too large: its MAC or input element count exceeds 2^53"));
}

TEST(DimensionErrors, UnknownDimensionInDimensions) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2, Q: 3 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 26, "unknown dimension 'Q' for a CONV layer"));
  EXPECT_TRUE(has(d.hint, "allowed: N, K, C, R, S, Y, X, Y', X'")) << d.hint;
  d = the_error(layer({kConv, "Dimensions { G: 2, K: 4 }"}, {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 14, "unknown dimension 'G' for a CONV layer"));
  EXPECT_EQ(d.hint, "G is a dimension of NGCONV only");
}

TEST(DimensionErrors, UnknownDimensionInADirective) {
  const std::vector<std::string> head = {kConv, "Dimensions { K: 4, C: 2 }"};
  auto d = the_error(layer(head, {"SpatialMap(1,1) K;", "TemporalMap(1,1) Q;"}), 2);
  EXPECT_TRUE(At(d, 7, 18, "`TemporalMap(1,1) Q`: unknown dimension 'Q' for a CONV layer"));
  d = the_error(layer(head, {"SpatialMap(1,1) K;", "TemporalMap(1,1) G;"}), 2);
  EXPECT_TRUE(At(d, 7, 18, "unknown dimension 'G' for a CONV layer"));
  EXPECT_EQ(d.hint, "G is a dimension of NGCONV only");
}

TEST(DimensionErrors, SizeOfAnUndeclaredDimension) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"},
                           {"SpatialMap(1,1) K;", "TemporalMap(Sz(Y),1) Y;"}), 2);
  EXPECT_TRUE(At(d, 7, 13, "`Sz(Y)`: 'Y' is not a declared dimension of this CONV layer"));
}

TEST(DimensionErrors, YAndYPrimeBothDeclared) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, R: 3, Y: 8, Y': 6 }"},
                           {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 4, 32, "both Y and Y' are declared"));
}

TEST(DimensionErrors, SameDimensionDeclaredTwiceWithDifferentValues) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }", "Dimensions { K: 8 }"},
                           {"SpatialMap(1,1) K;"}));
  EXPECT_TRUE(At(d, 5, 14, "dimension 'K' declared twice with different values (4 and 8)"));
}

TEST(DimensionErrors, SameDimensionTwiceWithTheSameValueIsOnlyAWarning) {
  const std::string text =
      layer({kConv, "Dimensions { K: 4, C: 2, K: 4 }"}, {"SpatialMap(1,1) K;"});
  std::vector<Diagnostic> diags;
  auto L = make_layer(parse_mfile(text, "test.m").layers.at(0), 0, diags);
  ASSERT_TRUE(L);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].severity, Severity::kWarning);
  EXPECT_EQ(diags[0].loc.line, 4);
  EXPECT_EQ(diags[0].loc.column, 26);
  auto s = compile(text, 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->macs(), 8);
}

TEST(NetworkErrors, LayerWithoutDataflowNeedsATemplate) {
  const std::string dir = testing::TempDir();
  const std::string model = dir + "baton_errors_model.m", tmpl = dir + "baton_errors_tmpl.m";
  std::ofstream(model) << "Network M {\n  Layer A {\n    Type: CONV\n    Dimensions { K: 4, C: 2 }"
                          "\n  }\n}\n";
  std::ofstream(tmpl) << "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; }\n";
  CompiledNetwork net = compile_network(model, std::nullopt, hw_with_pes(2));
  ASSERT_EQ(net.layers.size(), 1u);
  ASSERT_EQ(net.layers[0].errors.size(), 1u) << all(net.layers[0].errors);
  const Diagnostic& d = net.layers[0].errors[0];
  EXPECT_EQ(d.loc.file, model);
  EXPECT_EQ(d.loc.line, 2);
  EXPECT_EQ(d.loc.column, 9);
  EXPECT_TRUE(has(d.message, "layer 'A' has no `Dataflow`")) << d.format();
  EXPECT_TRUE(has(d.hint, "--dataflow")) << d.hint;
  EXPECT_FALSE(net.layers[0].schedule);
  net = compile_network(model, tmpl, hw_with_pes(2));
  ASSERT_FALSE(net.has_errors()) << all(net.errors());
  EXPECT_EQ(net.layers[0].schedule->macs(), 8);
}

TEST(NetworkErrors, EveryLayersErrorsAreReportedInFileOrder) {
  const std::string path = testing::TempDir() + "baton_errors_layers.m";
  std::ofstream(path) << lines({
      "Network N {",
      "Layer A { Type: CONV Dimensions { K: 8 } Dataflow { SpatialMap(1,2) K; } }",
      "Layer B { Type: CONV Dimensions { K: 8 } Dataflow { SpatialMap(1,1) K; } }",
      "Layer C { Type: DSCONV Dimensions { K: 2 } Dataflow { TemporalMap(1,1) Q; } }",
      "}"});
  CompiledNetwork net = compile_network(path, std::nullopt, hw_with_pes(2));
  ASSERT_EQ(net.layers.size(), 3u);
  EXPECT_TRUE(net.layers[1].schedule);
  const auto errors = net.errors();
  ASSERT_EQ(errors.size(), 2u) << all(errors);  // C's dataflow is not checked: C is invalid
  EXPECT_EQ(errors[0].loc.line, 2);
  EXPECT_EQ(errors[0].loc.column, 53);
  EXPECT_TRUE(has(errors[0].message, "offset 2 > size 1 on K")) << errors[0].format();
  EXPECT_EQ(errors[1].loc.line, 4);
  EXPECT_EQ(errors[1].loc.column, 37);
  EXPECT_TRUE(has(errors[1].message, "DSCONV layer 'C' has K = 2")) << errors[1].format();
}

// ---- MAESTRO-SEMANTICS §5.1: syntax ---------------------------------------------------------

TEST(SyntaxErrors, DirectiveWithoutOffset) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"}, {"SpatialMap(1) K;"}));
  EXPECT_TRUE(At(d, 6, 13, "expected an offset after the size, found ')'"));
  EXPECT_TRUE(has(d.hint, "SpatialMap(1,1)")) << d.hint;
}

TEST(SyntaxErrors, MisspeltKeyword) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"}, {"  Temporalmap(1,1) K;"}));
  EXPECT_TRUE(At(d, 6, 3, "unknown directive 'Temporalmap'"));
  EXPECT_TRUE(has(d.hint, "`TemporalMap`")) << d.hint;
}

TEST(SyntaxErrors, ClusterWithoutType) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }"},
                           {"SpatialMap(1,1) K;", "Cluster(2);", "SpatialMap(1,1) C;"}), 4);
  EXPECT_TRUE(At(d, 7, 10, "expected the cluster type P or L after the cluster size"));
  EXPECT_TRUE(has(d.hint, "Cluster(2, P)")) << d.hint;
}

TEST(SyntaxErrors, UnbalancedBracesErrorAtEndOfFile) {
  std::string text = layer({kConv, "Dimensions { K: 4, C: 2 }"}, {"SpatialMap(1,1) K;"});
  text.erase(text.rfind('}'));  // drop the Network's `}` (line 9): end of file at 9:1
  auto d = the_error(text, 2);
  EXPECT_TRUE(At(d, 9, 1, "expected '}' to close `Network`, found end of file"));
  EXPECT_TRUE(has(d.hint, "line 1:11")) << d.hint;
}

TEST(SyntaxErrors, StrideAfterDimensions) {
  auto d = the_error(layer({kConv, "Dimensions { K: 4, C: 2 }", "  Stride { Y: 2 }"},
                           {"SpatialMap(1,1) K;"}), 2);
  EXPECT_TRUE(At(d, 5, 3, "`Stride` must precede `Dimensions`"));
}

TEST(SyntaxErrors, SeveralErrorsAreAllReported) {
  const std::string text = lines({
      "Network T {",
      "Layer A {",
      "Type: CONV",
      "Dimensions { K: 0, C: 12abc }",                      // 2 errors (line 4)
      "Dataflow { SpatialMap(1) K; Temporalmap(1,1) C; }",  // 2 errors (line 5)
      "}",
      "Layer B {",
      "Type: CONV",
      "Dimensions { K: 4 }",
      "Dataflow { Cluster(2); SpatialMap(0,1) K; }",  // 2 errors (line 10)
      "}",
      "}"});
  try {
    parse_mfile(text, "test.m");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    const auto& ds = e.diagnostics();
    ASSERT_EQ(ds.size(), 6u) << all(ds);
    struct Where { int line, col; const char* phrase; };
    const Where want[] = {{4, 14, "size of 'K' is 0"},
                          {4, 23, "'12abc' is not a positive integer"},
                          {5, 24, "expected an offset"},
                          {5, 29, "unknown directive 'Temporalmap'"},
                          {10, 21, "cluster type P or L"},
                          {10, 35, "`SpatialMap` size is 0"}};
    for (size_t i = 0; i < ds.size(); ++i)
      EXPECT_TRUE(At(ds[i], want[i].line, want[i].col, want[i].phrase)) << i;
  }
}

}  // namespace
}  // namespace baton::test
