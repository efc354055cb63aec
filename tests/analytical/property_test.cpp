// Property: on random small layers × random mappings (tests/common/random_mapping.h), with and
// without multicast / in-network reduction, the closed-form model's counts equal the brute-force
// reference counter's exactly.
#include <cstdio>
#include <cstdlib>

#include "../../analytical/src/classes.h"
#include "baton/analytical/model.h"
#include "baton/analytical/reference.h"
#include "common/random_mapping.h"
#include "common/compare_cost.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

constexpr int kShards = 8;
// 400 seeds in CI; BATON_PROPERTY_SEEDS=N soaks locally with more.
uint64_t num_seeds() {
  const char* env = std::getenv("BATON_PROPERTY_SEEDS");
  return env ? std::strtoull(env, nullptr, 10) : 400;
}

class AnalyticalProperty : public ::testing::TestWithParam<int> {};

TEST_P(AnalyticalProperty, ClosedFormEqualsReferenceCounter) {
  const uint64_t per = num_seeds() / kShards;
  int compared = 0, idle = 0, exact = 0;
  for (uint64_t seed = 1 + GetParam() * per; seed <= (GetParam() + 1) * per; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    {  // which path analyze() takes: class pass (idle PEs or not) or the exact passes
      const detail::ClassSetup setup(*s, detail::heap_mem());
      idle += setup.ok() && setup.idle() ? 1 : 0;
      exact += setup.ok() ? 0 : 1;
    }
    for (int variant = 0; variant < 2; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.simd_lanes = variant ? 2 : 1;
      hw.noc.multicast = variant == 0;
      hw.noc.reduction = variant == 0;
      hw.noc.bandwidth_elems_per_cycle = variant ? 2 : 5;
      hw.offchip_bw_elems_per_cycle = variant ? 1 : 4;
      hw.dram_latency_cycles = variant ? 7 : 0;
      const std::string diff = compare_costs(analyze(*s, hw), reference_count(*s, hw).cost);
      EXPECT_EQ(diff, "") << "seed " << seed << " variant " << variant << "\n"
                          << rc.description << "\n" << rc.text;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
  RecordProperty("idle_class_cases", idle);
  RecordProperty("exact_pass_cases", exact);
  std::printf("shard %d: %d comparisons, %d cases with idle PEs on the class pass, %d on the "
              "exact passes\n", GetParam(), compared, idle, exact);
}

INSTANTIATE_TEST_SUITE_P(Seeds, AnalyticalProperty, ::testing::Range(0, kShards));

}  // namespace
}  // namespace baton::test
