// The optimised `mesh` (allocation-free step, batch replay cache) against the original
// implementation (mesh_reference.h): random traffic on random geometries and parameters, both
// directions; every advance() must release the same arrivals (ids, cycles, order) and the
// statistics (every field) must be equal whenever the network is idle. Batches repeat (replays, under
// changing round-robin state) and some runs break the batch pattern on purpose (packets injected
// while others are in flight, cycles not stepped, several calls in one cycle). Cycles are skipped
// up to Topology::known_until (the reference steps them), and sometimes beyond.
#include <gtest/gtest.h>

#include <random>

#include "mesh_reference.h"

namespace baton::test {
namespace {

auto fields(const NocStats& s) {
  return std::make_tuple(s.packets, s.elements, s.element_hops, s.busy_cycles, s.queued_cycles,
                         s.links, s.max_link_flits, s.fork_stalls, s.credit_stalls,
                         s.port_limited_cycles, s.max_link_elems_per_cycle, s.reduction_waits);
}
bool same(const std::vector<NocArrival>& a, const std::vector<NocArrival>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].cycle != b[i].cycle) return false;
  return true;
}

std::string show(const std::vector<NocArrival>& v) {
  std::string s;
  for (const NocArrival& x : v) s += std::to_string(x.id) + "@" + std::to_string(x.cycle) + " ";
  return s;
}

void run(uint32_t seed, bool irregular, bool per_cycle_links = false) {
  std::mt19937 rng(seed);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint32_t>(n)); };
  const int64_t pes_choices[] = {1, 5, 12, 16, 48, 64};
  const int64_t pes = pes_choices[pick(6)];
  NocSpec spec;
  spec.topology = "mesh";
  const int64_t bw = pick(5);
  if (bw > 0) spec.bandwidth_elems_per_cycle = bw;
  spec.buffer_depth_flits = std::array<int64_t, 3>{1, 2, 8}[pick(3)];
  spec.hop_latency_cycles = pick(3);
  const auto dir = pick(2) ? NocDirection::kCollection : NocDirection::kDistribution;
  auto fast = make_topology(spec, pes, dir);
  reference::ReferenceMesh ref(spec, pes, dir);
  if (per_cycle_links) fast->count_link_flits_per_cycle();
  std::vector<int64_t> fast_links, ref_links;
  SCOPED_TRACE("seed " + std::to_string(seed) + " pes " + std::to_string(pes));

  std::vector<std::vector<NocPacket>> pool(1 + pick(4));  // batches that recur
  for (auto& batch : pool) {
    for (int64_t i = 0, n = 1 + pick(8); i < n; ++i) {
      NocPacket p;
      p.elements = pick(6) == 0 ? 0 : 1 + pick(9);
      for (int64_t k = 0, m = pick(5) == 0 ? 0 : 1 + pick(std::min<int64_t>(pes, 6)); k < m; ++k)
        p.pes.push_back(static_cast<int32_t>(pick(pes)));
      p.endpoints = static_cast<int64_t>(p.pes.size());
      batch.push_back(p);
    }
  }
  int64_t now = 0, id = 0;
  std::vector<NocArrival> a, b;
  auto inject = [&](const std::vector<NocPacket>& batch) {
    for (NocPacket p : batch) {
      p.id = id++;
      fast->inject(p, now);
      ref.inject(p, now);
    }
  };
  // Cycles skipped since the last advance: the reference steps those the fast mesh promised to
  // know (Topology::known_until); their arrivals are due at the next advance of the fast one.
  std::vector<NocArrival> skipped;
  auto skip_to = [&](int64_t to) {
    const int64_t known = fast->known_until(now);
    ASSERT_GE(known, now);
    skipped.clear();
    for (int64_t c = now + 1; c < to && c <= known; ++c) ref.advance(c, skipped);
    now = to;
  };
  auto advance = [&] {
    a.clear(), b.clear();
    fast->advance(now, a);
    b.swap(skipped);
    skipped.clear();
    ref.advance(now, b);
    ASSERT_TRUE(same(a, b)) << "cycle " << now << ": " << show(a) << " vs " << show(b);
    ASSERT_EQ(fast->busy(), ref.busy()) << "cycle " << now;
    if (per_cycle_links) {
      fast->link_flits(fast_links);
      ref.link_flits(ref_links);
      ASSERT_EQ(fast_links, ref_links) << "cycle " << now;
    }
    // A replayed batch applies its statistics when it starts: they are equal whenever the
    // network is idle (between batches, and at the end of every slot of the simulator).
    if (!ref.busy()) {
      ASSERT_EQ(fields(fast->stats()), fields(ref.stats())) << "cycle " << now;
    }
  };
  for (int round = 0; round < 60; ++round) {
    now += pick(3);
    if (pick(2)) advance();  // sometimes the network was stepped in the injection cycle
    inject(pool[pick(static_cast<int64_t>(pool.size()))]);
    if (irregular && pick(3) == 0) inject(pool[pick(static_cast<int64_t>(pool.size()))]);
    if (pick(4) == 0) advance();  // a second call in the same cycle
    int extra = 0;  // packets injected while the batch is in flight (bounded: it must drain)
    for (int guard = 0; fast->busy() || ref.busy(); ++guard) {
      ASSERT_LT(guard, 100000);
      if (irregular && pick(12) == 0) {
        skip_to(now + 2 + pick(3));  // cycles not stepped (known to the fast mesh or not)
      } else if (pick(3) == 0) {  // to a cycle up to the one after what the fast mesh knows
        const int64_t known = fast->known_until(now);
        skip_to(now + 1 + pick(known - now + 1));
      } else {
        ++now;
      }
      if (::testing::Test::HasFatalFailure()) return;
      if (irregular && extra < 2 && pick(15) == 0 && ++extra) inject(pool[pick(static_cast<int64_t>(pool.size()))]);
      advance();
      if (::testing::Test::HasFatalFailure()) return;
      if (pick(10) == 0) advance();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(MeshReference, BatchesMatchTheOriginalMeshExactly) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    run(seed, false);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Event-level traces sample link flits per time bin: counted in the cycles they move.
TEST(MeshReference, LinkFlitsPerCycleMatchTheOriginalMesh) {
  for (uint32_t seed = 2000; seed <= 2060; ++seed) {
    run(seed, seed % 2 == 0, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(MeshReference, IrregularTrafficMatchesTheOriginalMeshExactly) {
  for (uint32_t seed = 1000; seed <= 1150; ++seed) {
    run(seed, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace baton::test
