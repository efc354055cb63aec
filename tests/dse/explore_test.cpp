// The explorer against brute force: every point of a tiny space evaluated independently (schedule
// + analyze per layer and candidate on that point's hardware), fronts by their definition.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "baton/analytical/model.h"
#include "baton/dse/dse.h"

namespace baton::dse {
namespace {

const std::string kTemplates = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs/dataflow_templates/";
const std::string kNetwork = std::string(BATON_SOURCE_DIR) + "/configs/default/network.m";

DesignSpace tiny_space() {
  return parse_space_yaml(
      "pes: [64, 256]\nsimd_lanes: [1, 4]\nl1: [32 B, 512 B]\nl2: [1 KiB, 256 KiB]\n"
      "noc_bandwidth: [8 elem/cycle, 64 elem/cycle]\noffchip_bandwidth: 16 elem/cycle\n"
      "noc_topology: [bus, mesh]\nconstraints: {max_area: 5 mm2, max_power: 700 mW}\n",
      "tiny.yaml", default_hardware());
}

Workload tiny_workload() {
  return load_workload(kNetwork, {kTemplates + "kcp_ws.m", kTemplates + "rs.m"});
}

struct Brute {
  std::vector<Design> valid;
  std::map<std::string, uint64_t> invalid;
};

// Each point on its own: the hardware, every layer × candidate analysed on it, fit checked
// against its L1/L2, the per-layer best by the objective, area/power constraints.
Brute brute_force(const Workload& w, const DesignSpace& s, Objective o) {
  Brute b;
  for (uint64_t i = 0; i < s.size(); ++i) {
    const HardwareSpec hw = hardware_at(s, decode(s, i), default_hardware());
    Design d;
    d.index = i;
    d.area_mm2 = area_mm2(hw);
    if (d.area_mm2 > *s.constraints.max_area_mm2) {
      ++b.invalid["area"];
      continue;
    }
    std::string why;
    for (const auto& u : w.unique) {
      for (size_t copy = 0; copy < u.layers.size() && why.empty(); ++copy) {
        bool found = false, any_pe = false, any_l1 = false;
        LayerCost best;
        for (const auto& df : u.dataflows) {
          if (!df) continue;
          const ScheduleResult r = build_schedule(u.layer, *df, hw);
          if (!r.schedule || !r.schedule->fit().fits) continue;
          any_pe = true;
          const LayerCost c = analyze(*r.schedule, hw);
          if (c.l1_bytes_needed > *hw.l1_bytes) continue;
          any_l1 = true;
          if (c.l2_bytes_needed > *hw.l2_bytes) continue;
          const double e = c.energy.total_pj(), be = best.energy.total_pj();
          const bool better =
              !found ||
              (o == Objective::kEnergy
                   ? (e < be || (e == be && c.runtime_cycles < best.runtime_cycles))
                   : (c.runtime_cycles < best.runtime_cycles ||
                      (c.runtime_cycles == best.runtime_cycles && e < be)));
          if (better) best = c, found = true;
        }
        if (!found) why = !any_pe ? "pes" : !any_l1 ? "l1" : "l2";
        d.runtime_cycles += best.runtime_cycles;
        d.energy_pj += best.energy.total_pj();
      }
    }
    if (why.empty()) {
      d.power_mw = power_mw(d.energy_pj, d.runtime_cycles, d.area_mm2, hw.area_power);
      if (d.power_mw > *s.constraints.max_power_mw) why = "power";
    }
    if (!why.empty()) {
      ++b.invalid[why];
      continue;
    }
    b.valid.push_back(d);
  }
  return b;
}

// The front by definition: not dominated; equal (x, y) pairs represented by the smallest
// (tie-break key, index).
std::set<uint64_t> front_by_definition(const std::vector<Design>& v, Key kx, Key ky) {
  auto get = [](const Design& d, Key k) {
    return k == Key::kRuntime ? double(d.runtime_cycles) : k == Key::kEnergy ? d.energy_pj : d.area_mm2;
  };
  const Key kz = kx != Key::kArea && ky != Key::kArea ? Key::kArea : Key::kEnergy;
  std::set<uint64_t> out;
  for (const Design& d : v) {
    bool keep = true;
    for (const Design& e : v) {
      const double dx = get(d, kx), dy = get(d, ky), ex = get(e, kx), ey = get(e, ky);
      if (ex <= dx && ey <= dy && (ex < dx || ey < dy)) keep = false;
      if (ex == dx && ey == dy &&
          std::make_pair(get(e, kz), e.index) < std::make_pair(get(d, kz), d.index))
        keep = false;
    }
    if (keep) out.insert(d.index);
  }
  return out;
}

std::set<uint64_t> indices(const std::vector<Design>& v) {
  std::set<uint64_t> out;
  for (const Design& d : v) out.insert(d.index);
  return out;
}

void expect_same_designs(const std::vector<Design>& got, const std::vector<Design>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].index, want[i].index);
    EXPECT_EQ(got[i].runtime_cycles, want[i].runtime_cycles) << "design " << got[i].index;
    EXPECT_NEAR(got[i].energy_pj, want[i].energy_pj, 1e-9 * want[i].energy_pj);
    EXPECT_DOUBLE_EQ(got[i].area_mm2, want[i].area_mm2);
    EXPECT_NEAR(got[i].power_mw, want[i].power_mw, 1e-9 * want[i].power_mw);
  }
}

class DseBruteForce : public testing::TestWithParam<Objective> {};

TEST_P(DseBruteForce, DesignsAndFrontsEqualPointByPointEvaluation) {
  const DesignSpace s = tiny_space();
  const Workload w = tiny_workload();
  const Brute want = brute_force(w, s, GetParam());
  Explorer ex(w, s, default_hardware(), DseOptions{GetParam(), 1, {}, nullptr});
  const DseResult got = ex.run();
  // The space is not trivial: some points are invalid for each reason, some are valid.
  ASSERT_GT(want.valid.size(), 3u);
  for (const char* why : {"area", "l1", "l2", "power"}) EXPECT_GT(want.invalid.count(why), 0u) << why;
  EXPECT_EQ(got.points, s.size());
  EXPECT_EQ(got.valid, want.valid.size());
  EXPECT_EQ(got.invalid, want.invalid);
  expect_same_designs(got.designs, want.valid);
  size_t front_sizes = 0;
  for (auto [x, y] : {std::make_pair(Key::kRuntime, Key::kEnergy), std::make_pair(Key::kRuntime, Key::kArea)}) {
    const auto front = pareto_front(got.designs, x, y);
    EXPECT_EQ(indices(front), front_by_definition(want.valid, x, y));
    front_sizes += front.size();
  }
  EXPECT_GE(front_sizes, 3u);  // not a single design on both fronts
  // The best design per objective is the minimum over the brute-force designs.
  for (Objective o : {Objective::kRuntime, Objective::kEnergy, Objective::kEdp, Objective::kPerfPerArea}) {
    const auto best = best_design(got.designs, o);
    ASSERT_TRUE(best);
    for (const Design& d : want.valid) EXPECT_LE(objective_value(*best, o), objective_value(d, o) * (1 + 1e-12));
  }
}

INSTANTIATE_TEST_SUITE_P(Objectives, DseBruteForce,
                         testing::Values(Objective::kRuntime, Objective::kEnergy));

TEST(Dse, SameResultForThreadsAndShards) {
  const DesignSpace s = tiny_space();
  const Workload w = tiny_workload();
  Explorer one(w, s, default_hardware(), DseOptions{Objective::kEdp, 1, {}, nullptr});
  Explorer two(w, s, default_hardware(), DseOptions{Objective::kEdp, 2, {}, nullptr});
  const DseResult a = one.run(), b = two.run();
  ASSERT_GT(a.valid, 0u);
  expect_same_designs(b.designs, a.designs);
  EXPECT_EQ(a.invalid, b.invalid);
  // Two shards split at an index that is not a block boundary add up to the whole run.
  const uint64_t cut = s.size() / 2 + 3;
  DseResult x = two.run(0, cut), y = two.run(cut, s.size());
  EXPECT_EQ(x.points + y.points, s.size());
  EXPECT_EQ(x.valid + y.valid, a.valid);
  x.designs.insert(x.designs.end(), y.designs.begin(), y.designs.end());
  expect_same_designs(x.designs, a.designs);
}

TEST(Dse, ExplainAddsUpToTheDesign) {
  const DesignSpace s = tiny_space();
  Explorer ex(tiny_workload(), s, default_hardware(), DseOptions{Objective::kRuntime, 1, {}, nullptr});
  const DseResult r = ex.run();
  ASSERT_FALSE(r.designs.empty());
  std::set<std::string> used;
  for (const Design& d : r.designs) {
    const auto layers = ex.explain(d.index);
    ASSERT_EQ(layers.size(), ex.workload().layer_names.size());
    int64_t runtime = 0;
    for (const LayerChoice& c : layers) runtime += c.runtime_cycles, used.insert(c.candidate);
    EXPECT_EQ(runtime, d.runtime_cycles);
    EXPECT_EQ(ex.invalid_reason(d.index), "");
  }
  EXPECT_GE(used.size(), 2u);  // more than one candidate wins somewhere
  EXPECT_EQ(ex.explain(0).size() == 0, ex.invalid_reason(0) != "");
}

TEST(Dse, WorkloadDeduplicatesAndRejectsMissingCandidates) {
  const std::string resnet = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs/model/Resnet50_model.m";
  const Workload w = load_workload(resnet, {kTemplates + "kcp_ws.m"});
  EXPECT_LT(w.unique.size(), w.layer_names.size());
  size_t total = 0;
  for (const auto& u : w.unique) total += u.layers.size();
  EXPECT_EQ(total, w.layer_names.size());
  EXPECT_EQ(w.candidates, (std::vector<std::string>{"kcp_ws"}));
  EXPECT_THROW(load_workload(resnet, {}), InputError);  // a model file needs a template
  EXPECT_THROW(load_workload(resnet, {kNetwork}), InputError);  // not a template
}

TEST(DsePareto, HandMadeFront) {
  std::vector<Design> v = {{0, 10, 5.0, 1.0, 0}, {1, 8, 6.0, 1.0, 0}, {2, 10, 4.0, 2.0, 0},
                           {3, 12, 4.0, 1.0, 0}, {4, 8, 6.0, 0.5, 0}, {5, 20, 1.0, 3.0, 0}};
  // runtime x energy: 4 (8, 6; beats 1 on area), 2 (10, 4), 5 (20, 1); 0, 3 dominated.
  EXPECT_EQ(indices(pareto_front(v, Key::kRuntime, Key::kEnergy)), (std::set<uint64_t>{2, 4, 5}));
  // runtime x area: 4 (8, 0.5) dominates everything with area >= 0.5 and runtime >= 8.
  EXPECT_EQ(indices(pareto_front(v, Key::kRuntime, Key::kArea)), (std::set<uint64_t>{4}));
  EXPECT_EQ(best_design(v, Objective::kEnergy)->index, 5u);
  EXPECT_EQ(best_design(v, Objective::kRuntime)->index, 1u);  // tie 1/4: smaller index
  EXPECT_FALSE(best_design({}, Objective::kEdp));
}

}  // namespace
}  // namespace baton::dse
