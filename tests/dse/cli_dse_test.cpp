// `baton dse` and `baton bench dse` from the command line: outputs, determinism, bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/run_baton.h"

namespace baton::test {
namespace {

const std::string kSrc = BATON_SOURCE_DIR;
const std::string kArgs = " --mapping '" + kSrc + "/configs/default/network.m' --space '" + kSrc +
                          "/configs/default/space.yaml' --quiet";

// stdout without the lines that name the output directory or wall times.
std::string without_paths_and_times(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("time:", 0) != 0 && line.rfind("outputs:", 0) != 0) out += line + '\n';
  return out;
}

TEST(CliDse, WritesOutputsIdenticalForOneAndTwoThreads) {
  const std::string a = temp_path("a"), b = temp_path("b");
  const Result ra = baton("dse" + kArgs + " --threads 1 --out '" + a + "'");
  const Result rb = baton("dse" + kArgs + " --threads 2 --out '" + b + "'");
  ASSERT_EQ(ra.status, 0) << ra.err;
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_EQ(without_paths_and_times(ra.out), without_paths_and_times(rb.out));
  for (const char* f : {"designs.csv", "front_runtime_energy.csv", "front_runtime_area.csv", "designs.svg"}) {
    const std::string x = slurp(a + "/" + f);
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(b + "/" + f)) << f;
  }
  EXPECT_EQ(slurp(a + "/designs.svg").rfind("<svg", 0), 0u);
  const auto j = nlohmann::json::parse(slurp(a + "/summary.json"));
  EXPECT_EQ(j["network"], "tinynet");
  EXPECT_EQ(j["objective"], "edp");
  EXPECT_GT(j["valid"].get<int>(), 0);
  EXPECT_EQ(j["valid"].get<int>() + j["invalid_by_reason"].value("area", 0) +
                j["invalid_by_reason"].value("power", 0) + j["invalid_by_reason"].value("l1", 0) +
                j["invalid_by_reason"].value("l2", 0) + j["invalid_by_reason"].value("pes", 0),
            j["space_points"].get<int>());
  for (const char* o : {"runtime", "energy", "edp", "perf-per-area"})
    EXPECT_EQ(j["best"][o]["layers"].size(), 6u) << o;
  EXPECT_GE(j["front_runtime_area"].size(), 1u);
  // The front CSV has one row per front design plus the header.
  const std::string front = slurp(a + "/front_runtime_area.csv");
  EXPECT_EQ(size_t(std::count(front.begin(), front.end(), '\n')), j["front_runtime_area"].size() + 1);
  EXPECT_NE(front.find("runtime_cycles,energy_pj,area_mm2,power_mw"), std::string::npos);
}

TEST(CliDse, BadInputExitsTwoWithoutOutput) {
  const std::string out = temp_path("none");
  Result r = baton("dse" + kArgs + " --objective speed --out '" + out + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown objective 'speed'"), std::string::npos) << r.err;
  const std::string bad = write_temp("space.yaml", "pes: [64]\nl1: [512]\n");
  r = baton("dse --mapping '" + kSrc + "/configs/default/network.m' --space '" + bad + "' --out '" + out + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(bad + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing unit"), std::string::npos) << r.err;
  r = baton("dse --mapping '" + kSrc + "/configs/default/network.m' --out '" + out + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--space"), std::string::npos) << r.err;
  r = baton("dse" + kArgs + " --recheck -1 --out '" + out + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--recheck must be >= 0"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliDse, BenchPrintsRatesLast) {
  const Result r = baton("bench dse --mapping '" + kSrc + "/configs/default/network.m' --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  const size_t last = r.out.rfind("points_per_second: ");
  ASSERT_NE(last, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\n', last), r.out.size() - 1);  // the last line
  EXPECT_NE(r.out.find("networks_per_second: "), std::string::npos);
  EXPECT_NE(r.out.find("space: 108864 points"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

// issue #8: the same front with 1 and 2 MPI ranks (mpirun from Debian's openmpi-bin, installed
// by scripts/setup.sh).
TEST(CliDse, TwoMpiRanksGiveTheSameResults) {
  ASSERT_EQ(std::system("command -v mpirun >/dev/null"), 0) << "mpirun missing: run scripts/setup.sh";
  const std::string one = temp_path("one"), two = temp_path("two");
  const Result r1 = baton("dse" + kArgs + " --threads 1 --out '" + one + "'");
  ASSERT_EQ(r1.status, 0) << r1.err;
  const std::string cmd = "SC_COPYRIGHT_MESSAGE=DISABLE mpirun --allow-run-as-root --oversubscribe -np 2 '" BATON_BINARY
                          "' dse" + kArgs + " --threads 1 --out '" + two + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  for (const char* f : {"designs.csv", "front_runtime_energy.csv", "front_runtime_area.csv"})
    EXPECT_EQ(slurp(two + "/" + f), slurp(one + "/" + f)) << f;
  const auto j1 = nlohmann::json::parse(slurp(one + "/summary.json"));
  const auto j2 = nlohmann::json::parse(slurp(two + "/summary.json"));
  EXPECT_EQ(j2["ranks"], 2);
  for (const char* k : {"points", "evaluated", "valid", "pruned", "invalid_by_reason", "best"})
    EXPECT_EQ(j2[k], j1[k]) << k;
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

// --recheck K simulates the top designs; on the bus the simulator's runtime equals rule 13's
// (DIRECTIVES.md), so analytical and simulated runtimes and ranks agree exactly.
TEST(CliDse, RecheckOnTheBusAgreesWithTheAnalyticalModel) {
  const std::string space = write_temp("space.yaml",
                                       "pes: 64\nsimd_lanes: [1, 2]\nl1: 1 KiB\nl2: 1 MiB\n"
                                       "noc_bandwidth: 64 elem/cycle\n"
                                       "noc_topology: bus\n");
  const std::string out = temp_path("out");
  const Result r = baton("dse --mapping '" + kSrc + "/configs/default/network.m' --space '" +
                         space + "' --objective runtime --recheck 2 --quiet --out '" + out + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream csv(slurp(out + "/recheck.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("rank_analytical,rank_simulated,index,", 0), 0u) << line;
  int rows = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    for (std::string x; std::getline(ls, x, ',');) f.push_back(x);
    ASSERT_EQ(f.size(), 15u) << line;
    EXPECT_EQ(f[0], f[1]) << line;    // same rank
    EXPECT_EQ(f[10], f[11]) << line;  // same runtime
    EXPECT_EQ(f[12], "0.000") << line;
    ++rows;
  }
  EXPECT_EQ(rows, 2);
}

}  // namespace
}  // namespace baton::test
