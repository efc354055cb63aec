// Bad options of the simulator, trace, MAESTRO and bench commands: exit status 2 and a message
// naming what is wrong and what is valid.
#include "common/run_baton.h"

namespace baton::test {
namespace {

void expect_bad(const std::string& args, const std::string& phrase) {
  const Result r = baton(args);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
  EXPECT_NE(r.err.find(phrase), std::string::npos) << args << "\n" << r.err;
}

TEST(CliBadOptions, FaultInjectionSyntax) {
  expect_bad("simulate --layer '#5' --fault drop-writeback", "write KIND=NUMBER");
  expect_bad("simulate --layer '#5' --fault melt=3", "valid: corrupt-fill, drop-writeback");
}

TEST(CliBadOptions, TraceLevelAndTraceFiles) {
  const std::string trace = temp_path("t.h5");
  expect_bad("simulate --layer '#5' --trace " + trace + " --trace-level cycle",
             "valid: layer, step, event");
  EXPECT_FALSE(std::filesystem::exists(trace));  // no partial output for a bad option
  const std::string not_h5 = write_temp("not.h5", "plain text\n");
  expect_bad("trace info '" + not_h5 + "'", "as an HDF5 trace");
  expect_bad("trace export '" + not_h5 + "' --layer x", "as a trace");
  expect_bad("trace summarise x.h5", "usage: baton trace");
}

TEST(CliBadOptions, MaestroHardwareOptionsMustBePositive) {
  expect_bad("analyze --cost-model maestro --num_pes=-4", "--num_pes must be positive");
  expect_bad("analyze --noc_bw_cstr=-1", "--noc_bw_cstr must be positive");
}

TEST(CliBadOptions, BenchNeedsPositiveSecondsAndAKnownModel) {
  expect_bad("bench analyze --seconds 0", "--seconds must be positive");
  expect_bad("bench analyze --seconds 0.01 --cost-model timeloop", "unknown cost model");
  expect_bad("bench simulate", "usage: baton bench analyze");
}

}  // namespace
}  // namespace baton::test
