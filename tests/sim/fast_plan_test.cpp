// The fast transfer / DRAM planners (factored tiles, reuse of translated steps, counts without
// element lists) produce exactly what planning every step from explicit element sets produces:
// the same packets (kind, tensor, PE set, elements, count, first id), tiles, per-PE MACs, L1
// need, read-after-write flags and distinct write-backs; and per top-level step the same DRAM
// transfers as the union of every PE's held tiles (rule 12 applied literally), on random layers ×
// mappings with and without multicast / reduction.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "baton/dataflow/step_walker.h"
#include "baton/sim/dram_plan.h"
#include "baton/sim/transfer_plan.h"
#include "common/random_mapping.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

std::string describe(const Packet& p) {
  std::string s = std::to_string(int(p.kind)) + "/" + std::to_string(int(p.tensor)) + " n=" +
                  std::to_string(p.count) + " first=" + std::to_string(p.first) + " pes=";
  for (int32_t pe : p.pes) s += std::to_string(pe) + ",";
  return s;
}

void expect_same_packets(const std::vector<Packet>& a, const std::vector<Packet>& b,
                         bool elements, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(describe(a[i]), describe(b[i])) << what << " packet " << i;
    if (elements) {
      EXPECT_EQ(a[i].elements, b[i].elements) << what << " packet " << i;
      EXPECT_EQ(static_cast<int64_t>(a[i].elements.size()), a[i].count) << what;
      if (!a[i].elements.empty()) {
        EXPECT_EQ(a[i].elements.front(), a[i].first) << what;
      }
    }
  }
}

// Plans with reuse (with and without element lists) against plans from element sets per step.
void compare_planners(const Schedule& s, const HardwareSpec& hw, const std::string& what) {
  TransferPlanner fast(s, hw, PlanOptions{true, true});
  TransferPlanner counts(s, hw, PlanOptions{false, true});
  TransferPlanner slow(s, hw, PlanOptions{true, false});
  StepWalker walker(s);
  StepPlan a, b, c;
  std::vector<int64_t> prev_writes;
  while (slow.next(c)) {
    ASSERT_TRUE(fast.next(a)) << what;
    ASSERT_TRUE(counts.next(b)) << what;
    const std::string at = what + " step " + std::to_string(c.step);
    for (const StepPlan* p : {&a, &b}) {
      EXPECT_EQ(p->step, c.step) << at;
      EXPECT_EQ(p->top_step, c.top_step) << at;
      EXPECT_EQ(p->final_drain, c.final_drain) << at;
      EXPECT_EQ(p->max_pe_tile_elements, c.max_pe_tile_elements) << at;
      EXPECT_EQ(p->collection_distinct, c.collection_distinct) << at;
      EXPECT_EQ(p->reads_previous_writes, c.reads_previous_writes) << at;
      ASSERT_EQ(p->compute == nullptr, c.compute == nullptr) << at;
      if (c.compute) {
        EXPECT_EQ(p->compute->pe_macs, c.compute->pe_macs) << at;
      }
    }
    expect_same_packets(a.distribution, c.distribution, true, at + " distribution");
    expect_same_packets(a.collection, c.collection, true, at + " collection");
    expect_same_packets(b.distribution, c.distribution, false, at + " distribution (counts)");
    expect_same_packets(b.collection, c.collection, false, at + " collection (counts)");
    EXPECT_EQ(a.pe_macs, c.pe_macs) << at;
    EXPECT_TRUE(b.pe_macs.empty() && b.tiles.empty()) << at;
    // Element lists agree with the summary fields.
    std::vector<int64_t> writes;
    for (const Packet& p : c.collection) writes.insert(writes.end(), p.elements.begin(), p.elements.end());
    std::sort(writes.begin(), writes.end());
    const int64_t distinct = std::unique(writes.begin(), writes.end()) - writes.begin();
    writes.resize(static_cast<size_t>(distinct));
    EXPECT_EQ(c.collection_distinct, distinct) << at;
    bool raw = false;
    for (const Packet& p : c.distribution)
      if (p.kind == PacketKind::kReadBack)
        for (int64_t e : p.elements)
          raw = raw || std::binary_search(prev_writes.begin(), prev_writes.end(), e);
    EXPECT_EQ(c.reads_previous_writes, raw) << at;
    prev_writes = writes;
    if (c.final_drain) continue;
    // Tiles and MACs are the dataflow StepWalker's.
    ASSERT_FALSE(walker.done()) << at;
    ASSERT_EQ(c.tiles.size(), walker.tiles().size()) << at;
    for (size_t pe = 0; pe < c.tiles.size(); ++pe) {
      for (int d = 0; d < kNumDims; ++d) {
        EXPECT_EQ(c.tiles[pe].r[d], walker.tiles()[pe].r[d]) << at << " pe " << pe << " dim " << d;
        EXPECT_EQ(a.tiles[pe].r[d], walker.tiles()[pe].r[d]) << at << " pe " << pe << " dim " << d;
      }
      EXPECT_EQ(c.compute->pe_macs[pe], walker.tiles()[pe].macs()) << at;
    }
    walker.next();
  }
  EXPECT_FALSE(fast.next(a)) << what;
  EXPECT_FALSE(counts.next(b)) << what;
  EXPECT_LE(fast.computed_steps(), slow.computed_steps()) << what;
}

TEST(FastPlan, ReusedPlansEqualPlansFromElementSetsOnRandomMappings) {
  int compared = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    for (int variant = 0; variant < 2; ++variant) {
      HardwareSpec hw;
      hw.pes = rc.pes;
      hw.noc.multicast = hw.noc.reduction = variant == 0;
      compare_planners(*s, hw, "seed " + std::to_string(seed) + " variant " +
                                   std::to_string(variant) + "\n" + rc.text);
      ++compared;
    }
  }
  EXPECT_GT(compared, 200);
}

TEST(FastPlan, TranslatedStepsAreReused) {
  // One output pixel per step on 4 clusters x 16 PEs: every step but a handful is a translate.
  auto s = compile(one_layer(R"(Type: CONV
    Dimensions { K: 8, C: 16, R: 3, S: 3, Y: 18, X: 18 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(16,16) C; TemporalMap(Sz(R),1) Y;
               TemporalMap(Sz(S),1) X; Cluster(16, P); SpatialMap(1,1) C; })"), 64);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 64;
  compare_planners(*s, hw, "kcp_ws-like");
  TransferPlanner planner(*s, hw, PlanOptions{false, true});
  StepPlan step;
  int64_t steps = 0;
  while (planner.next(step)) ++steps;
  EXPECT_EQ(steps, s->steps() + 1);
  EXPECT_LE(planner.computed_steps(), 12) << "of " << s->steps() << " steps";
}

// Rule 12 literally: the L2 tile of a top-level step is the union of every PE's held tile over
// its global steps (idle PEs keep theirs).
struct BruteDram {
  std::vector<std::array<int64_t, 5>> steps;  // reads I, W, read-back O, writes O, l2 elements
  std::vector<std::array<int64_t, 3>> firsts; // first ids: gained I, W, written O (−1: none)
  int64_t final_writes = 0;
};

BruteDram brute_dram(const Schedule& s) {
  using Set = std::vector<int64_t>;
  auto minus = [](const Set& a, const Set& b) {
    Set o;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
    return o;
  };
  const LayerSpec& L = s.layer();
  BruteDram out;
  std::vector<std::array<Set, 3>> held(static_cast<size_t>(s.pes_used()));
  std::array<Set, 3> cur, prev;
  Set written;
  auto close = [&] {
    for (Set& c : cur) std::sort(c.begin(), c.end()), c.erase(std::unique(c.begin(), c.end()), c.end());
    const Set gi = minus(cur[0], prev[0]), gw = minus(cur[1], prev[1]);
    const Set leave = minus(prev[2], cur[2]), entered = minus(cur[2], prev[2]);
    Set back;
    std::set_intersection(entered.begin(), entered.end(), written.begin(), written.end(),
                          std::back_inserter(back));
    Set w2;
    std::set_union(written.begin(), written.end(), leave.begin(), leave.end(), std::back_inserter(w2));
    written.swap(w2);
    out.steps.push_back({int64_t(gi.size()), int64_t(gw.size()), int64_t(back.size()),
                         int64_t(leave.size()),
                         2 * int64_t(cur[0].size() + cur[1].size()) + 3 * int64_t(cur[2].size())});
    out.firsts.push_back({gi.empty() ? -1 : gi[0], gw.empty() ? -1 : gw[0],
                          leave.empty() ? -1 : leave[0]});
    prev = cur;
    for (Set& c : cur) c.clear();
  };
  StepWalker w(s);
  int64_t top = 0;
  for (; !w.done(); w.next()) {
    if (w.top_step() != top) close(), top = w.top_step();
    for (size_t p = 0; p < held.size(); ++p) {
      if (w.tiles()[p].active())
        for (int t = 0; t < 3; ++t)
          if (L.has_tensor(static_cast<Tensor>(t)))
            held[p][t] = tile_elements(L, static_cast<Tensor>(t), w.tiles()[p]);
      for (int t = 0; t < 3; ++t) cur[t].insert(cur[t].end(), held[p][t].begin(), held[p][t].end());
    }
  }
  close();
  out.final_writes = static_cast<int64_t>(prev[2].size());
  return out;
}

void compare_dram(const Schedule& s, const std::string& what) {
  const BruteDram want = brute_dram(s);
  for (bool reuse : {true, false}) {
    DramPlanner planner(s, reuse);
    TopStepDram d;
    size_t j = 0;
    for (; planner.next(d); ++j) {
      ASSERT_LT(j, want.steps.size()) << what;
      std::array<int64_t, 5> got{};
      std::array<int64_t, 3> first{-1, -1, -1};
      for (const Packet& p : d.reads) {
        const int k = p.kind == PacketKind::kReadBack ? 2 : static_cast<int>(p.tensor);
        got[k] += p.count;
        if (k < 2) first[k] = p.first;
      }
      for (const Packet& p : d.writes) got[3] += p.count, first[2] = p.first;
      got[4] = d.l2_elements;
      EXPECT_EQ(got, want.steps[j]) << what << " top-level step " << j << " reuse " << reuse;
      EXPECT_EQ(first, want.firsts[j]) << what << " top-level step " << j << " reuse " << reuse;
    }
    EXPECT_EQ(j, want.steps.size()) << what;
    int64_t final_writes = 0;
    for (const Packet& p : planner.final_writes()) final_writes += p.count;
    EXPECT_EQ(final_writes, want.final_writes) << what;
  }
}

TEST(FastPlan, DramPlanEqualsTheUnionOfHeldTilesOnRandomMappings) {
  int compared = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    compare_dram(*s, "seed " + std::to_string(seed) + "\n" + rc.text);
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

}  // namespace
}  // namespace baton::test
