// `baton analyze --cost-model maestro --csv-format maestro`: MAESTRO's CSV for the same file and
// hardware, byte for byte in its 52 columns; MAESTRO's command-line hardware options.
#include "common/run_baton.h"

namespace baton::test {
namespace {

const std::string kRef = std::string(BATON_REFERENCE_DIR) + "/maestro";

std::string first_52_columns(const std::string& csv) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line)) {
    size_t pos = 0;
    for (int commas = 0; commas < 52 && pos != std::string::npos; ++commas)
      pos = line.find(',', pos + (commas ? 1 : 0));
    out += (pos == std::string::npos ? line : line.substr(0, pos)) + "\n";
  }
  return out;
}

TEST(CliMaestro, CsvReproducesMaestrosFile) {
  for (const char* name : {"vgg16_xp_ws", "Resnet50_kcp_ws", "googlenet_rs"}) {
    const std::string csv = temp_path(std::string(name) + ".csv");
    const Result r = baton("analyze --cost-model maestro --csv-format maestro --csv '" + csv +
                           "' --mapping '" + kRef + "/inputs/mapping/" + name + ".m' --hw '" +
                           kRef + "/inputs/hw/accelerator_1.m'");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(first_52_columns(slurp(csv)),
              slurp(kRef + "/outputs/accel1/" + name + ".csv"))
        << name;
  }
}

TEST(CliMaestro, CommandLineHardwareOptionsOverrideTheFile) {
  const std::string base = "analyze --cost-model maestro --json --mapping '" + kRef +
                           "/inputs/mapping/vgg16_xp_ws.m' --layer CONV1 --hw '" + kRef +
                           "/inputs/hw/accelerator_1.m'";
  const Result a = baton(base);
  const Result b = baton(base + " --num_pes=64");
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_NE(a.out, b.out);  // a quarter of the PEs: a different runtime
  EXPECT_EQ(baton(base + " --csv-format native").status, 2);
  EXPECT_EQ(baton(base + " --cost-model timeloop").status, 2);
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

TEST(CliValidate, ComparesMaestroCsvWithCompatAndNative) {
  const Result r = baton("validate --against '" + kRef + "/outputs/accel1/vgg16_xp_ws.csv' " +
                         "--mapping '" + kRef + "/inputs/mapping/vgg16_xp_ws.m' --hw '" + kRef +
                         "/inputs/hw/accelerator_1.m'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Runtime (Cycles)                 13/13"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reproduces every compared value"), std::string::npos) << r.out;
  EXPECT_EQ(baton("validate --against /nonexistent.csv").status, 2);
}

}  // namespace
}  // namespace baton::test
