// Traffic identity on every topology across hardware variants: with and without multicast and
// in-network reduction, unlimited / narrow links, hop latency 0 and 2, one-flit buffers, a
// narrow L2 port, trees of arity 2 and 3. Every run finishes (no deadlock: the watchdog would
// report it), its traffic equals the reference counter's, and every PE's cycle classes add up to
// the runtime. Only the timing is the topology's.
#include <gtest/gtest.h>

#include "baton/analytical/reference.h"
#include "baton/noc/topology.h"
#include "baton/sim/simulator.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

class NocVariants : public ::testing::TestWithParam<std::string> {};

TEST_P(NocVariants, EveryVariantFinishesWithTheReferenceTraffic) {
  int compared = 0;
  for (uint64_t seed = 41; seed <= 70; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    for (int variant = 0; variant < 4; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.noc.topology = GetParam();
      hw.noc.multicast = variant % 2 == 0;
      hw.noc.reduction = variant != 1;
      hw.noc.bandwidth_elems_per_cycle =
          variant == 0 ? std::optional<int64_t>() : std::optional<int64_t>(variant);
      hw.noc.hop_latency_cycles = variant == 2 ? 0 : variant == 3 ? 2 : 1;
      hw.noc.buffer_depth_flits = variant == 3 ? 1 : 4;
      hw.noc.tree_arity = variant == 1 ? 3 : 2;
      if (variant == 2) hw.l2_read_elems_per_cycle = hw.l2_write_elems_per_cycle = 2;
      SimOptions opt;
      opt.watchdog_cycles = 20000;
      const SimLayerResult r = Simulator::instance().run(*s, hw, opt);
      ASSERT_FALSE(r.stalled) << "seed " << seed << " variant " << variant << "\n" << *r.stalled;
      const LayerCost ref = reference_count(*s, hw).cost;
      for (int t = 0; t < 3; ++t) {
        EXPECT_EQ(r.counted.tensor[t].l2_reads, ref.tensor[t].l2_reads) << seed << "/" << variant;
        EXPECT_EQ(r.counted.tensor[t].noc_deliveries, ref.tensor[t].noc_deliveries)
            << seed << "/" << variant;
        EXPECT_EQ(r.counted.tensor[t].dram_reads, ref.tensor[t].dram_reads) << seed;
        EXPECT_EQ(r.counted.tensor[t].dram_writes, ref.tensor[t].dram_writes) << seed;
      }
      EXPECT_EQ(r.counted.tensor[2].l2_writes, ref.tensor[2].l2_writes) << seed << "/" << variant;
      EXPECT_EQ(r.counted.tensor[2].writebacks, ref.tensor[2].writebacks) << seed;
      EXPECT_EQ(r.counted.tensor[2].readbacks, ref.tensor[2].readbacks) << seed;
      EXPECT_EQ(r.counted.macs, ref.macs) << seed;
      EXPECT_EQ(r.counted.steps, ref.steps) << seed;
      for (const PeCycles& p : r.per_pe_cycles) EXPECT_EQ(p.total(), r.counted.runtime_cycles);
      // Each network saw every packet the simulator counted (no packet lost or duplicated).
      EXPECT_EQ(r.distribution.elements, r.counted.tensor[0].l2_reads + r.counted.tensor[1].l2_reads +
                                             r.counted.tensor[2].readbacks)
          << seed << "/" << variant;
      EXPECT_EQ(r.collection.elements, r.counted.tensor[2].l2_writes) << seed << "/" << variant;
      ++compared;
    }
  }
  EXPECT_GT(compared, 40);
}

INSTANTIATE_TEST_SUITE_P(Noc, NocVariants, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace baton::test
