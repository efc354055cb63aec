// The `baton` binary end to end: exit statuses (0 ok, 2 bad input), no output file on errors,
// --keep-going, and the `schedule --json` format on the bundled default network.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "common/run_baton.h"

namespace baton::test {
namespace {
namespace fs = std::filesystem;


bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string conv_layer(const std::string& name, const std::string& dataflow) {
  return "  Layer " + name + " {\n    Type: CONV\n    Dimensions { K: 4, C: 2 }\n    Dataflow { " +
         dataflow + " }\n  }\n";
}

TEST(Cli, MissingMappingFileExitsTwoNamingTheFile) {
  const std::string missing = temp_path("no_such_mapping.m");
  Result r = baton("schedule --mapping '" + missing + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, missing)) << r.err;
}

TEST(Cli, MissingHardwareFileExitsTwoNamingTheFile) {
  const std::string missing = temp_path("no_such_hw.yaml");
  Result r = baton("schedule --hw '" + missing + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, missing)) << r.err;
}

TEST(Cli, UnknownOptionOrCommandExitsTwo) {
  Result r = baton("schedule --no-such-option");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, "--no-such-option")) << r.err;
  r = baton("no-such-command");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, "no-such-command")) << r.err;
}

TEST(Cli, BadMappingExitsTwoAndWritesNoOutputFile) {
  // A syntax error (thrown by the parser) and a mapping error (a rejected layer).
  const std::string syntax = write_temp("syntax.m", "Network N {\n" +
                                                        conv_layer("A", "SpatialMap(1) K;"));
  const std::string mapping = write_temp("mapping.m", "Network N {\n" +
      conv_layer("A", "SpatialMap(1,1) K; TemporalMap(1,2) C;") + "}\n");
  for (const auto& [file, where] : {std::pair{syntax, ":5:28: error: "},
                                    std::pair{mapping, ":5:35: error: "}}) {
    const std::string json = temp_path("out.json");
    Result r = baton("schedule --mapping '" + file + "' --json='" + json + "'");
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(has(r.err, file + where)) << r.err;
    EXPECT_FALSE(fs::exists(json)) << file;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Cli, KeepGoingWritesOnlyTheValidLayersWithTheirIndex) {
  const std::string file = write_temp("net.m", "Network N {\n" +
      conv_layer("good0", "SpatialMap(1,1) K;") + conv_layer("bad", "SpatialMap(2,1) K;") +
      conv_layer("good2", "SpatialMap(2,2) K; TemporalMap(1,1) C;") + "}\n");
  const std::string json = temp_path("out.json");
  Result r = baton("schedule --keep-going --mapping '" + file + "' --json='" + json + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, "offset 1 < size 2 on K")) << r.err;
  ASSERT_TRUE(fs::exists(json));
  const auto j = nlohmann::json::parse(slurp(json));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u) << j.dump(2);
  EXPECT_EQ(j[0]["layer"], "good0");
  EXPECT_EQ(j[0]["layer_index"], 0);
  EXPECT_EQ(j[1]["layer"], "good2");
  EXPECT_EQ(j[1]["layer_index"], 2);
  EXPECT_EQ(j[1]["macs"], 8);
}

TEST(Cli, ScheduleJsonOnTheDefaultNetwork) {
  Result r = baton("schedule --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);  // stdout holds only the JSON
  ASSERT_TRUE(j.is_array());
  ASSERT_GE(j.size(), 2u);
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& l = j[i];
    for (const char* key : {"layer", "layer_index", "macs", "steps", "avg_active_pes",
                            "peak_active_pes", "fits", "levels"})
      EXPECT_TRUE(l.contains(key)) << "layer " << i << " lacks " << key;
    EXPECT_EQ(l["layer_index"], i);
    EXPECT_TRUE(l["levels"].is_array());
    EXPECT_GT(l["macs"].get<int64_t>(), 0);
    EXPECT_GT(l["steps"].get<int64_t>(), 0);
  }
}

TEST(Cli, LayerSelectsByIndex) {
  Result all = baton("schedule --json");
  Result one = baton("schedule --json --layer '#1'");
  ASSERT_EQ(all.status, 0) << all.err;
  ASSERT_EQ(one.status, 0) << one.err;
  const auto a = nlohmann::json::parse(all.out), o = nlohmann::json::parse(one.out);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0]["layer_index"], 1);
  EXPECT_EQ(o[0], a.at(1));
  Result none = baton("schedule --json --layer '#999'");
  EXPECT_EQ(none.status, 2) << none.err;
  EXPECT_TRUE(has(none.err, "#999")) << none.err;
}

TEST(Cli, ScheduleJsonIsByteIdenticalAcrossRuns) {
  const std::string a = temp_path("a.json"), b = temp_path("b.json");
  ASSERT_EQ(baton("schedule --json='" + a + "'").status, 0);
  ASSERT_EQ(baton("schedule --json='" + b + "'").status, 0);
  const std::string ja = slurp(a);
  EXPECT_FALSE(ja.empty());
  EXPECT_EQ(ja, slurp(b));
}

}  // namespace
}  // namespace baton::test
