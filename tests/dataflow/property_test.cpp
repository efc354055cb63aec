// Property tests over random small layers and dataflows (tests/common/random_mapping.h): for
// every accepted schedule the step walk covers every MAC point exactly once and agrees with every
// closed-form query of the Schedule, and compiling the same text twice gives the same schedule.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "common/random_mapping.h"
#include "test_util.h"

namespace baton::test {
namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr uint64_t kNumSeeds = 400;
constexpr int kShards = 8;  // one ctest process each
constexpr uint64_t kSeedsPerShard = kNumSeeds / kShards;

std::string reproducer(uint64_t seed, const RandomCase& c) {
  return "seed " + std::to_string(seed) + ", compile with pes = " + std::to_string(c.pes) + "\n  " +
         c.description + "\n--- .m text ---\n" + c.text + "---------------";
}

std::string errors_text(const std::vector<Diagnostic>& errors) {
  std::string s;
  for (const auto& d : errors) s += "  " + d.format() + "\n";
  return s;
}

// Everything a compiled schedule exposes, as text: two compiles of one file must agree on it.
std::string fingerprint(const Schedule& s) {
  std::ostringstream o;
  const LayerSpec& L = s.layer();
  o << layer_type_name(L.type) << " sigma " << L.stride_y << "x" << L.stride_x << " in "
    << L.input_rows << "x" << L.input_cols << " ext";
  for (Dim d : kAllDims) o << ' ' << L.dim(d);
  o << "\nfit " << s.fit().fits << ' ' << s.fit().reason << " pes " << s.pes_available() << '/'
    << s.pes_used() << '\n';
  for (const Level& lvl : s.levels()) {
    o << "level units " << lvl.units << " spatial " << lvl.spatial << " ext";
    for (int64_t e : lvl.extent) o << ' ' << e;
    o << '\n';
    for (const Loop& lp : lvl.loops)
      o << "  " << dim_name(lp.dim) << (lp.kind == LoopKind::kSpatial ? " S" : " T")
        << (lp.zipped ? "z" : "") << " tile " << lp.tile << " extent " << lp.extent << " trips "
        << lp.trips << " tiles " << lp.tiles << " edge " << lp.edge_tile << " `" << s.text(lp)
        << "`\n";
  }
  o << "steps " << s.steps() << " top " << s.top_steps() << " macs " << s.macs() << " peak "
    << s.peak_active_pes() << " avg " << std::hexfloat << s.avg_active_pes() << std::defaultfloat
    << " cc1 " << s.compute_cycles(1) << " cc3 " << s.compute_cycles(3) << " tiles";
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput})
    o << ' ' << s.max_tile_elements(t);
  o << '\n';
  write_dim_classes(o, s);
  return o.str();
}

// "units=[3,2] loops=[K:S2,Y':T1][R:Z1]" as in random_mapping.h's description.
std::string structure_text(const Schedule& s) {
  std::string units, loops;
  for (const Level& lvl : s.levels()) {
    units += (units.empty() ? "" : ",") + std::to_string(lvl.units);
    std::string l;
    for (const Loop& lp : lvl.loops)
      l += std::string(l.empty() ? "" : ",") + dim_name(lp.dim) + ":" +
           (lp.zipped                       ? "Z"
            : lp.kind == LoopKind::kSpatial ? "S"
                                            : "T") +
           std::to_string(lp.tile);
    loops += "[" + l + "]";
  }
  return "units=[" + units + "] loops=" + loops;
}

// The properties of one accepted case; returns a list of what failed (empty = all hold).
std::vector<std::string> check_case(const RandomCase& c, const Schedule& s) {
  std::vector<std::string> bad;
  auto expect_eq = [&](const char* what, int64_t walked, int64_t closed) {
    if (walked != closed)
      bad.push_back(std::string(what) + ": walked " + std::to_string(walked) + ", closed form " +
                    std::to_string(closed));
  };
  if (!s.fit().fits) bad.push_back("does not fit: " + s.fit().reason);
  // The compiled structure is what the generator meant (rules 1, 3, 4, 6, 7 and clipping,
  // computed independently by the generator): units per level and every loop's dim/kind/tile.
  const std::string structure = structure_text(s);
  if (c.description.find(structure + " ") == std::string::npos)
    bad.push_back("compiled structure " + structure + " differs from the generator's");
  const WalkStats w = walk(s, 1);
  const WalkStats w3 = walk(s, 3, /*check_coverage=*/false);
  if (!w.every_point_once) bad.push_back("coverage: " + w.first_problem);
  expect_eq("walked MACs vs LayerSpec::macs()", w.macs, s.layer().macs());
  expect_eq("Schedule::macs() vs LayerSpec::macs()", s.macs(), s.layer().macs());
  expect_eq("steps", w.steps, s.steps());
  expect_eq("top_steps", w.top_steps, s.top_steps());
  expect_eq("compute_cycles(1)", w.compute_cycles, s.compute_cycles(1));
  expect_eq("compute_cycles(3)", w3.compute_cycles, s.compute_cycles(3));
  expect_eq("peak_active_pes", w.peak_active, s.peak_active_pes());
  const double mean =
      w.steps ? static_cast<double>(w.active_sum) / static_cast<double>(w.steps) : 0.0;
  if (std::abs(mean - s.avg_active_pes()) > 1e-9) {
    std::ostringstream o;
    o << std::setprecision(17) << "avg_active_pes: walked " << mean << ", closed form "
      << s.avg_active_pes();
    bad.push_back(o.str());
  }
  // Determinism: the same text compiles to the same schedule.
  std::vector<Diagnostic> errors2;
  auto again = compile(c.text, c.pes, &errors2);
  if (!again) {
    bad.push_back("second compile rejected the text:\n" + errors_text(errors2));
  } else {
    const std::string a = fingerprint(s), b = fingerprint(*again);
    if (a != b) bad.push_back("second compile differs:\n" + a + "--- vs ---\n" + b);
  }
  return bad;
}

class RandomMappingProperty : public ::testing::TestWithParam<int> {};

TEST_P(RandomMappingProperty, WalkAgreesWithClosedFormAndIsDeterministic) {
  const uint64_t first = kFirstSeed + static_cast<uint64_t>(GetParam()) * kSeedsPerShard;
  int checked = 0, failed = 0;
  for (uint64_t seed = first; seed < first + kSeedsPerShard; ++seed) {
    const RandomCase c = random_case(seed);
    std::optional<Schedule> s;
    try {
      s = compile(c.text, c.pes);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "compile threw " << e.what() << "\n" << reproducer(seed, c);
      continue;
    }
    if (!s) continue;  // rejected by the validator: counted by RandomMappingCorpus
    ++checked;
    std::vector<std::string> bad;
    try {
      bad = check_case(c, *s);
    } catch (const std::exception& e) {
      bad.push_back(std::string("threw ") + e.what());
    }
    if (bad.empty()) continue;
    ++failed;
    std::string msg;
    for (const auto& b : bad) msg += "  " + b + "\n";
    ADD_FAILURE() << "properties fail for " << reproducer(seed, c) << "\n" << msg;
  }
  EXPECT_GT(checked, 0);
  EXPECT_EQ(failed, 0) << failed << " of " << checked << " accepted cases fail";
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomMappingProperty, ::testing::Range(0, kShards));

// The generator is deterministic, mostly valid, and its corpus covers the interesting features.
TEST(RandomMappingCorpus, MostlyAcceptedAndCoversFeatures) {
  int accepted = 0;
  std::string rejected;
  int rejected_shown = 0;
  std::map<std::string, int> features;
  const std::vector<std::string> kRequired = {"[zip]", "[trconv]", "[3level]", "[fold_partial]",
                                              "[stride]"};
  std::set<std::string> distinct;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kNumSeeds; ++seed) {
    const RandomCase c = random_case(seed);
    const RandomCase c2 = random_case(seed);
    ASSERT_EQ(c.text, c2.text) << "generator is not deterministic, seed " << seed;
    ASSERT_EQ(c.pes, c2.pes);
    ASSERT_EQ(c.description, c2.description);
    distinct.insert(c.text);
    std::vector<Diagnostic> errors;
    std::optional<Schedule> s;
    try {
      s = compile(c.text, c.pes, &errors);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "compile threw " << e.what() << "\n" << reproducer(seed, c);
    }
    if (!s) {
      if (rejected_shown++ < 5) rejected += reproducer(seed, c) + "\n" + errors_text(errors);
      continue;
    }
    ++accepted;
    for (const auto& f : kRequired)
      if (c.description.find(f) != std::string::npos) ++features[f];
  }
  const int total = static_cast<int>(kNumSeeds);
  std::cout << "[ corpus   ] " << accepted << " of " << total << " random cases accepted ("
            << 100.0 * accepted / total << "%)";
  for (const auto& f : kRequired) std::cout << ' ' << f << '=' << features[f];
  std::cout << std::endl;
  EXPECT_GE(accepted * 100, 80 * total) << "first rejections:\n" << rejected;
  EXPECT_EQ(distinct.size(), kNumSeeds) << "seeds should give distinct cases";
  for (const auto& f : kRequired) EXPECT_GE(features[f], 1) << "no accepted case with " << f;
}

}  // namespace
}  // namespace baton::test
