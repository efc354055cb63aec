// RuntimeProfile (profile.h): the runtime recorded once (1 SIMD lane) and re-evaluated for other
// timing parameters equals analyze() run on that hardware — on random layers × mappings (both the
// class pass with and without idle PEs occurs) and on reference layers.
#include <gtest/gtest.h>

#include "../../analytical/src/classes.h"
#include "baton/analytical/model.h"
#include "baton/analytical/profile.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

struct Timing {
  int64_t lanes, hop;
  std::optional<int64_t> noc;
  int64_t dram_latency;
  std::optional<int64_t> offchip;
};

const Timing kTimings[] = {{1, 1, 5, 0, 4},           {2, 0, 1, 7, 1},
                           {4, 3, std::nullopt, 0, std::nullopt}, {3, 1, 64, 2, 32},
                           {8, 2, 2, 100, 3},         {1, 0, std::nullopt, 1, 1}};

// Every timing of kTimings: profile.runtime(...) vs analyze on that hardware; "" when all equal.
std::string check(const Schedule& s, HardwareSpec hw) {
  hw.simd_lanes = 1;
  RuntimeProfile p;
  const LayerCost base = analyze(s, hw, &p);
  std::string out;
  if (p.runtime(1, hw.noc.hop_latency_cycles, hw.noc.bandwidth_elems_per_cycle,
                hw.dram_latency_cycles, hw.offchip_bw_elems_per_cycle) != base.runtime_cycles)
    out += "recording hardware differs; ";
  for (const Timing& t : kTimings) {
    hw.simd_lanes = t.lanes;
    hw.noc.hop_latency_cycles = t.hop;
    hw.noc.bandwidth_elems_per_cycle = t.noc;
    hw.dram_latency_cycles = t.dram_latency;
    hw.offchip_bw_elems_per_cycle = t.offchip;
    const int64_t want = analyze(s, hw).runtime_cycles;
    const int64_t got = p.runtime(t.lanes, t.hop, t.noc, t.dram_latency, t.offchip);
    if (got != want)
      out += "lanes " + std::to_string(t.lanes) + ": " + std::to_string(got) + " != " +
             std::to_string(want) + "; ";
  }
  return out;
}

TEST(RuntimeProfile, EqualsAnalyzeOnRandomMappings) {
  int compared = 0, multi_top = 0, idle = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    const detail::ClassSetup setup(*s, detail::heap_mem());
    idle += setup.ok() && setup.idle() ? 1 : 0;
    for (bool mcast : {true, false}) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.noc.multicast = hw.noc.reduction = mcast;
      EXPECT_EQ(check(*s, hw), "") << "seed " << seed << "\n" << rc.description << "\n" << rc.text;
      ++compared;
    }
    RuntimeProfile p;
    analyze(*s, HardwareSpec{}, &p);
    multi_top += p.tops.size() > 1;
  }
  EXPECT_GT(compared, 100);
  EXPECT_GT(multi_top, 20);  // profiles with several kinds of top-level steps occur
  EXPECT_GT(idle, 10);       // the class pass with idle PEs records profiles too
}

TEST(RuntimeProfile, CompressesRepeatedTopLevelSteps) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  RuntimeProfile p;
  analyze(*s, HardwareSpec{}, &p);
  int64_t tops = 0;
  for (const auto& t : p.tops) tops += t.count;
  EXPECT_EQ(tops, s->top_steps());
  EXPECT_LE(p.size(), size_t(s->steps()));
  EXPECT_EQ(check(*s, HardwareSpec{}), "");
}

}  // namespace
}  // namespace baton::test
