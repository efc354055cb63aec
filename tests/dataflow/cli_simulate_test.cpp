// `baton simulate` / `baton check` end to end: cycles_* columns, the discrepancy report files,
// and the exit statuses 3 (discrepancy), 4 (functional mismatch), 5 (watchdog).
#include <map>
#include <nlohmann/json.hpp>

#include "common/run_baton.h"

namespace baton::test {
namespace {

TEST(CliSimulate, CsvAddsCycleClassesThatSumToRuntimeTimesPes) {
  const std::string csv = temp_path("s.csv");
  const Result r = baton("simulate --layer fc6 --csv '" + csv + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string text = slurp(csv);
  std::istringstream in(text);
  std::string head, row;
  std::getline(in, head);
  std::getline(in, row);
  auto split = [](const std::string& s) {
    std::vector<std::string> v(1);
    for (char c : s) {
      if (c == ',') v.emplace_back();
      else v.back().push_back(c);
    }
    return v;
  };
  const auto h = split(head), v = split(row);
  ASSERT_EQ(h.size(), v.size());
  std::map<std::string, std::string> m;
  for (size_t i = 0; i < h.size(); ++i) m[h[i]] = v[i];
  int64_t sum = 0;
  for (const char* k : {"cycles_compute", "cycles_stall_input", "cycles_stall_weight",
                        "cycles_stall_output", "cycles_stall_dram", "cycles_idle"}) {
    ASSERT_TRUE(m.count(k)) << k;
    sum += std::stoll(m[k]);
  }
  EXPECT_EQ(sum, std::stoll(m["runtime_cycles"]) * 256);  // default: 256 PEs used by fc6
  EXPECT_EQ(h[0], "layer");
  EXPECT_EQ(h[7], "runtime_cycles");
}

TEST(CliCheck, WritesTheThreeReportFilesWithTheContractColumns) {
  const std::string dir = temp_path("report");
  const Result r = baton("check --layer '#5' --report '" + dir + "' --max-discrepancy 0");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = slurp(dir + "/discrepancy.csv");
  EXPECT_EQ(csv.rfind("layer,layer_index,analytical_runtime_cycles,simulated_runtime_cycles,"
                      "runtime_diff_pct,traffic_match", 0), 0u) << csv;
  const auto j = nlohmann::json::parse(slurp(dir + "/discrepancy.json"));
  EXPECT_TRUE(j["all_traffic_match"].get<bool>());
  EXPECT_NE(slurp(dir + "/discrepancy.md").find("| 5 | fc6 |"), std::string::npos);
}

TEST(CliCheck, TrafficDifferenceAboveThresholdExitsThree) {
  const Result r = baton("check --layer '#5' --fault drop-writeback=0 --max-discrepancy 5");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("traffic differs"), std::string::npos) << r.err;
}

TEST(CliSimulate, FunctionalMismatchExitsFour) {
  EXPECT_EQ(baton("simulate --layer '#5' --functional").status, 0);
  const Result r = baton("simulate --layer '#5' --functional --fault corrupt-fill=9");
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.err.find("functional mismatch in layer fc6"), std::string::npos) << r.err;
}

TEST(CliSimulate, StalledSimulationExitsFiveWithADump) {
  const Result r = baton("simulate --layer '#5' --fault lose-packet=1 --watchdog 500");
  EXPECT_EQ(r.status, 5);
  EXPECT_NE(r.err.find("accelerator.noc.distribution"), std::string::npos) << r.err;
}

TEST(CliSimulate, UnknownTopologyListsTheValidOnes) {
  const Result r = baton("simulate --noc mseh");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown NoC topology 'mseh'; valid: bus, crossbar, mesh, systolic, tree"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace baton::test
