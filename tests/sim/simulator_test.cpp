// The SystemC simulator: traffic identity (every per-tensor count it measures from packets equals
// the reference counter's) and runtime identity on the bus (DIRECTIVES rule 13), on random
// layers × mappings and hardware variants; PE cycle classes add up to the runtime per PE.
#include <gtest/gtest.h>

#include <cmath>

#include "baton/analytical/reference.h"
#include "baton/sim/simulator.h"
#include "common/random_mapping.h"
#include "common/compare_cost.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {


TEST(Simulator, TrafficAndBusRuntimeEqualTheReferenceOnRandomMappings) {
  Simulator& sim = Simulator::instance();
  int compared = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    for (int variant = 0; variant < 3; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.simd_lanes = variant == 2 ? 2 : 1;
      hw.noc.multicast = variant != 1;
      hw.noc.reduction = variant != 1;
      hw.noc.bandwidth_elems_per_cycle = variant == 0 ? std::optional<int64_t>() : variant;
      hw.noc.hop_latency_cycles = variant;
      hw.offchip_bw_elems_per_cycle = variant == 0 ? std::optional<int64_t>() : 3;
      hw.dram_latency_cycles = variant * 4;
      const SimLayerResult r = sim.run(*s, hw);
      EXPECT_EQ(compare_costs(r.counted, reference_count(*s, hw).cost), "")
          << "seed " << seed << " variant " << variant << "\n" << rc.text;
      EXPECT_EQ(r.pe_cycles.total(), r.counted.runtime_cycles * s->pes_used());
      // On the bus every slot equals rule 13's estimate from its own packet volumes.
      EXPECT_EQ(r.causes.first_divergent_step, -1) << "seed " << seed;
      ASSERT_EQ(static_cast<int64_t>(r.per_pe_cycles.size()), s->pes_used());
      for (const PeCycles& p : r.per_pe_cycles) EXPECT_EQ(p.total(), r.counted.runtime_cycles);
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

TEST(Simulator, UnknownTopologyIsAnInputErrorListingTheValidOnes) {
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 2, C: 1, R: 1, S: 1, Y: 1, X: 1 }
    Dataflow { SpatialMap(1,1) K; })"), 2);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  hw.noc.topology = "mseh";
  try {
    Simulator::instance().run(*s, hw);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("valid: bus, crossbar, mesh, systolic, tree"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace baton::test
