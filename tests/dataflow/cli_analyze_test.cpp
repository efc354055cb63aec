// `baton analyze` and `baton bench analyze` end to end: the CSV column contract (issue #3), JSON
// keys, determinism, fit results, and error exits.
#include <nlohmann/json.hpp>

#include "common/run_baton.h"

namespace baton::test {
namespace {

const std::string kInputs = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs";

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

TEST(CliAnalyze, CsvHasTheContractColumnsInOrder) {
  const std::string csv = temp_path("a.csv");
  const Result r = baton("analyze --csv '" + csv + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string text = slurp(csv);
  const std::string header = text.substr(0, text.find('\n'));
  const std::vector<std::string> contract = {
      "layer", "layer_index", "fits", "fit_reason", "macs", "zero_macs", "steps",
      "runtime_cycles", "compute_cycles", "avg_active_pes", "input_l2_reads", "weight_l2_reads",
      "output_l2_writes", "output_l2_reads", "input_noc_deliveries", "weight_noc_deliveries",
      "dram_reads", "dram_writes", "l1_bytes_needed", "l2_bytes_needed",
      "noc_bw_peak_elems_per_cycle", "energy_pj"};
  const auto cols = split_csv_line(header);
  ASSERT_GE(cols.size(), contract.size());
  for (size_t i = 0; i < contract.size(); ++i) EXPECT_EQ(cols[i], contract[i]) << i;
  // One row per layer of the default network (6 layers), each with every column.
  size_t rows = 0;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    EXPECT_EQ(split_csv_line(line).size(), cols.size()) << line;
    EXPECT_EQ(split_csv_line(line)[1], std::to_string(rows));
    ++rows;
  }
  EXPECT_EQ(rows, 6u);
}

TEST(CliAnalyze, JsonAndCsvAreByteIdenticalAcrossRuns) {
  const std::string a = temp_path("a.json"), b = temp_path("b.json");
  const std::string ca = temp_path("a.csv"), cb = temp_path("b.csv");
  ASSERT_EQ(baton("analyze --json='" + a + "' --csv '" + ca + "'").status, 0);
  ASSERT_EQ(baton("analyze --json='" + b + "' --csv '" + cb + "'").status, 0);
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_EQ(slurp(ca), slurp(cb));
  const auto j = nlohmann::json::parse(slurp(a));
  ASSERT_EQ(j["layers"].size(), 6u);
  for (const char* key : {"layer", "layer_index", "fits", "macs", "runtime_cycles", "energy_pj",
                          "input_l2_reads", "output_l2_writes", "l2_bytes_needed"})
    EXPECT_TRUE(j["layers"][0].contains(key)) << key;
  EXPECT_TRUE(j["layers"][0]["fits"].is_boolean());
}

TEST(CliAnalyze, SmallL1IsAFitResultNotAnError) {
  // An 8-byte L1 cannot hold a 3x3 window: the layer is analysed and reported as not fitting.
  const std::string hw = write_temp("small.yaml", "pes: 256\nl1: 8 B\n");
  const Result r = baton("analyze --json --mapping '" + kInputs +
                         "/mapping/vgg16_xp_ws.m' --layer CONV1 --hw '" + hw + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["layers"].size(), 1u);
  EXPECT_FALSE(j["layers"][0]["fits"].get<bool>());
  EXPECT_NE(j["layers"][0]["fit_reason"].get<std::string>().find("L1"), std::string::npos);
  EXPECT_GT(j["layers"][0]["runtime_cycles"].get<int64_t>(), 0);
}

TEST(CliAnalyze, RejectedMappingExitsTwoWithoutOutput) {
  const std::string csv = temp_path("bad.csv");
  const Result r = baton("analyze --csv '" + csv + "' --mapping '" + kInputs +
                         "/mapping/UNet_kcp_ws.m' --hw '" + kInputs + "/hw/accelerator_1.m'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("UNet_kcp_ws.m:10:4"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(csv));
}

TEST(CliBench, PrintsLayersPerSecondOnTheLastLine) {
  const Result r = baton("bench analyze --seconds 0.05 --layer '#5'");
  ASSERT_EQ(r.status, 0) << r.err;
  std::string last = r.out.substr(0, r.out.size() - 1);
  last = last.substr(last.rfind('\n') + 1);
  ASSERT_EQ(last.rfind("layers_per_second: ", 0), 0u) << r.out;
  EXPECT_GT(std::stod(last.substr(19)), 0.0);
}

}  // namespace
}  // namespace baton::test
