// The worked examples Ex1–Ex5 of MAESTRO-SEMANTICS.md §2.9 (numbers from the MAESTRO binary;
// NoC bandwidth 100, hop latency 0, off-chip 70000 = MAESTRO's CLI defaults for these runs).
#include <gtest/gtest.h>

#include <sstream>

#include "baton/dataflow/diagnostic.h"
#include "baton/maestro/compat.h"

namespace baton::maestro {
namespace {

MaestroHw cli_hw(int64_t pes, int64_t bw = 100, int64_t latency = 0) {
  MaestroHw hw;
  hw.num_pes = pes;
  hw.noc_bw = bw;
  hw.noc_hop_latency = latency;
  hw.offchip_bw = 70000;
  return hw;
}

// One layer `L` with the given type/stride/dims/dataflow text.
LayerResult run(const std::string& body, const MaestroHw& hw) {
  const MFile f = parse_mfile("Network n {\nLayer L {\n" + body + "\n}\n}\n", "example.m");
  return maestro_analyze(f.layers.at(0), *f.layers.at(0).dataflow, hw);
}

const char* kEx1 =
    "Type: CONV\nDimensions { K: 4, C: 2, R: 3, S: 1, Y: 6, X: 1 }\n"
    "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y;"
    " TemporalMap(Sz(R),Sz(R)) R; }";

TEST(MaestroExamples, Ex1WeightStationaryResetReuse) {
  const LayerResult r = run(kEx1, cli_hw(2));
  EXPECT_EQ(r.runtime, 48);
  EXPECT_EQ(r.num_macs, 96);
  EXPECT_EQ(r.input.l2_read, 21);
  EXPECT_EQ(r.filter.l2_read, 24);
  EXPECT_EQ(r.output.l2_write, 32);
  EXPECT_EQ(r.l2_size_req, 22);
  EXPECT_EQ(r.l1_size_req, 18);
}

TEST(MaestroExamples, Ex1NocBandwidthAndLatency) {
  EXPECT_EQ(run(kEx1, cli_hw(2, 4, 2)).runtime, 54);
}

TEST(MaestroExamples, Ex2SpatialFoldAndTemporalEdge) {
  const LayerResult r = run(
      "Type: CONV\nDimensions { K: 5, C: 1, R: 1, S: 1, Y: 1, X: 5 }\n"
      "Dataflow { SpatialMap(2,2) K; TemporalMap(2,2) X; }",
      cli_hw(2));
  EXPECT_EQ(r.runtime, 15);
  EXPECT_EQ(r.num_macs, 25);
  EXPECT_DOUBLE_EQ(r.avg_utilized_pes, 1.5);
  EXPECT_EQ(r.output.l2_write, 25);
  EXPECT_EQ(r.filter.l2_read, 6);
}

TEST(MaestroExamples, Ex3StrideAndOutputRows) {
  const std::string dims =
      "Type: CONV\nStride { Y: 2, X: 1 }\nDimensions { K: 2, C: 1, R: 3, S: 1, Y: 7, X: 1 }\n";
  const LayerResult a = run(
      dims + "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Y'; TemporalMap(Sz(R),Sz(R)) R; }",
      cli_hw(2));
  EXPECT_EQ(a.input.l2_read, 7);
  EXPECT_EQ(a.runtime, 9);
  EXPECT_EQ(a.num_macs, 18);
  const LayerResult b = run(
      dims + "Dataflow { SpatialMap(1,1) K; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(R),Sz(R)) R; }",
      cli_hw(2));
  EXPECT_EQ(b.input.l2_read, a.input.l2_read);
  EXPECT_EQ(b.runtime, a.runtime);
  EXPECT_EQ(b.num_macs, a.num_macs);
}

TEST(MaestroExamples, Ex4TwoLevels) {
  const LayerResult r = run(
      "Type: CONV\nDimensions { K: 4, C: 4, R: 1, S: 1, Y: 2, X: 2 }\n"
      "Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; Cluster(2,P); SpatialMap(1,1) C; }",
      cli_hw(4));
  EXPECT_EQ(r.runtime, 16);
  EXPECT_EQ(r.num_macs, 64);
  EXPECT_EQ(r.input.l2_read, 24);
  EXPECT_EQ(r.output.l2_write, 32);
}

TEST(MaestroExamples, Ex5SlidingSpatialMapHalo) {
  const LayerResult r = run(
      "Type: CONV\nDimensions { K: 1, C: 2, R: 3, S: 1, Y: 6, X: 1 }\n"
      "Dataflow { TemporalMap(1,1) C; SpatialMap(Sz(R),1) Y; TemporalMap(Sz(R),Sz(R)) R; }",
      cli_hw(4));
  EXPECT_EQ(r.input.l2_read, 12 + 6);  // all-init: no halo sharing; then 3 + 3×1 new rows
  EXPECT_EQ(r.filter.l2_read, 3 + 3);
  EXPECT_EQ(r.num_macs, 24);
  EXPECT_EQ(r.runtime, 6);
}

TEST(MaestroExamples, RejectsWhatMaestroCannotRun) {
  EXPECT_THROW(run("Type: CONV\nDimensions { K: 4, C: 1, R: 1, S: 1, Y: 1, X: 1 }\n"
                   "Dataflow { TemporalMap(1,1) K; }",
                   cli_hw(2)),
               InputError);  // no SpatialMap
  EXPECT_THROW(run("Type: CONV\nDimensions { K: 4, C: 1, R: 1, S: 1, Y: 1, X: 1 }\n"
                   "Dataflow { SpatialMap(1,1) K; Cluster(8,P); SpatialMap(1,1) C; }",
                   cli_hw(4)),
               InputError);  // Cluster larger than the PE array (MAESTRO: SIGFPE)
}

// Dimensions outside the MAESTRO names get their own ids (up to 21 per layer); one coupled to
// no tensor still multiplies the MAC count (§1.3).
TEST(MaestroExamples, ExtraDimensionNames) {
  const auto layer = [](int extra) {
    std::string dims = "K: 4, C: 1, R: 1, S: 1, Y: 1, X: 1";
    for (int i = 0; i < extra; ++i) dims += ", Z" + std::to_string(i) + (i == 0 ? ": 3" : ": 1");
    return "Type: CONV\nDimensions { " + dims + " }\n"
           "Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) Z0; }";
  };
  EXPECT_EQ(run(layer(21), cli_hw(2)).num_macs, 12);
  EXPECT_THROW(run(layer(22), cli_hw(2)), InputError);
}

TEST(MaestroExamples, CsvHasMaestroHeaderAnd53Columns) {
  const LayerResult r = run(kEx1, cli_hw(2));
  std::ostringstream os;
  write_maestro_csv(os, "n", {r});
  std::istringstream is(os.str());
  std::string header, row;
  std::getline(is, header);
  std::getline(is, row);
  EXPECT_EQ(header.rfind("Neural Network Name, Layer Number, NumPEs, Runtime (Cycles)", 0), 0u);
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 52);
  EXPECT_EQ(std::count(row.begin(), row.end(), ','), 52);
  EXPECT_EQ(row.rfind("n,L,2,48,", 0), 0u);
}

}  // namespace
}  // namespace baton::maestro
