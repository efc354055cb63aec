// Golden values of the `mesh` topology: for a few layers × hardware variants (narrow and wide
// links, buffer depth 1 and 8, hop latency 0/1/2, multicast and reduction on/off) the runtime,
// a digest of the per-PE cycle classes and every NocStats field of both networks.
//
// The expected values below were generated from the unmodified mesh (commit 6a6b5bf, the
// std::map/std::deque implementation, before the allocation-free rewrite and the batch replay
// cache) by running this test with BATON_MESH_GOLDEN_PRINT=1, which prints the table instead of
// checking it. Any optimisation of the mesh must reproduce them exactly: same arrival cycles,
// same statistics, same round-robin order.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "baton/noc/topology.h"
#include "baton/sim/simulator.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

struct Variant {
  std::optional<int64_t> bw;
  int64_t depth, hop;
  bool multicast, reduction;
};
const Variant kVariants[] = {
    {1, 1, 1, true, true},          {1, 8, 0, true, true},  {4, 1, 2, true, true},
    {64, 8, 1, true, true},         {std::nullopt, 1, 1, false, true},
    {2, 8, 2, false, false},        {1, 1, 0, false, true}, {3, 2, 1, true, false},
};

struct Layer {
  const char* body;
  int64_t pes;
};
const Layer kLayers[] = {
    {R"(Type: CONV
    Dimensions { K: 16, C: 8, R: 1, S: 1, Y: 1, X: 3 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(1,1) X; })", 16},
    {R"(Type: CONV
    Dimensions { K: 4, C: 8, R: 3, S: 1, Y: 6, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(2,2) C; TemporalMap(Sz(R),1) Y;
               Cluster(4, P); SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; })", 16},
    // ResNet-50's KCP weight-stationary dataflow, scaled down (many identical slots: exercises
    // repeated batches under changing round-robin state) on a non-square 6 × 8 mesh.
    {R"(Type: CONV
    Dimensions { K: 6, C: 8, R: 3, S: 3, Y: 7, X: 7 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(8,8) C; TemporalMap(Sz(R),Sz(R)) R;
               TemporalMap(Sz(S),Sz(S)) S; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X;
               Cluster(8, P); SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y;
               TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R;
               TemporalMap(Sz(S),Sz(S)) S; })", 48},
    {R"(Type: CONV
    Dimensions { K: 8, C: 16, R: 3, S: 3, Y: 10, X: 10 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(8,8) C; TemporalMap(Sz(R),Sz(R)) R;
               TemporalMap(Sz(S),Sz(S)) S; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X;
               Cluster(8, P); SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y;
               TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R;
               TemporalMap(Sz(S),Sz(S)) S; })", 64},
};

constexpr int kFields = 27;  // runtime, per-PE digest, 12 + 12 NocStats fields, PE count
using Row = std::array<int64_t, kFields>;

void put(Row& r, int& i, const NocStats& s) {
  for (int64_t v : {s.packets, s.elements, s.element_hops, s.busy_cycles, s.queued_cycles, s.links,
                    s.max_link_flits, s.fork_stalls, s.credit_stalls, s.port_limited_cycles,
                    s.max_link_elems_per_cycle, s.reduction_waits})
    r[i++] = v;
}

Row measure(const Layer& l, const Variant& v) {
  auto s = compile(one_layer(l.body), l.pes);
  EXPECT_TRUE(s) << l.body;
  HardwareSpec hw;
  hw.pes = l.pes;
  hw.noc.topology = "mesh";
  hw.noc.bandwidth_elems_per_cycle = v.bw;
  hw.noc.buffer_depth_flits = v.depth;
  hw.noc.hop_latency_cycles = v.hop;
  hw.noc.multicast = v.multicast;
  hw.noc.reduction = v.reduction;
  const SimLayerResult a = Simulator::instance().run(*s, hw);
  EXPECT_FALSE(a.stalled);
  Row r{};
  int i = 0;
  r[i++] = a.counted.runtime_cycles;
  uint64_t h = 1469598103934665603ull;  // FNV-1a over every PE's cycle classes
  for (const PeCycles& p : a.per_pe_cycles)
    for (int64_t x : {p.compute, p.stall_input, p.stall_weight, p.stall_output, p.stall_dram, p.idle})
      h = (h ^ static_cast<uint64_t>(x)) * 1099511628211ull;
  r[i++] = static_cast<int64_t>(h >> 1);
  put(r, i, a.distribution);
  put(r, i, a.collection);
  r[i++] = static_cast<int64_t>(a.per_pe_cycles.size());
  return r;
}

// Generated from the unmodified mesh (see the header comment); one row per layer × variant.
const Row kGolden[] = {
#include "mesh_golden_values.inc"
};

TEST(MeshGolden, OptimisedMeshReproducesTheOriginalExactly) {
  const bool print = std::getenv("BATON_MESH_GOLDEN_PRINT") != nullptr;
  size_t k = 0;
  for (const Layer& l : kLayers) {
    for (const Variant& v : kVariants) {
      const Row r = measure(l, v);
      if (print) {
        std::printf("    {");
        for (int i = 0; i < kFields; ++i) std::printf("%s%lld", i ? ", " : "", (long long)r[i]);
        std::printf("},\n");
      } else {
        ASSERT_LT(k, std::size(kGolden));
        EXPECT_EQ(r, kGolden[k]) << "layer " << (k / std::size(kVariants)) << " variant "
                                 << (k % std::size(kVariants));
      }
      ++k;
    }
  }
  if (!print) {
    EXPECT_EQ(k, std::size(kGolden));
  }
}

}  // namespace
}  // namespace baton::test
