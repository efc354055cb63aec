// The Schedule's shortcuts against their general forms, on the random corpus of property_test.cpp
// and on the bundled MAESTRO mappings:
//  * compute_classes' one-class steps and skipped no-op loops vs the general split of every loop
//    (classes and every closed-form query must be identical);
//  * the Builder's character-based size_of_name vs LayerSpec::size_of.
#include <filesystem>
#include <sstream>

#include "../../dataflow/src/schedule_builder.h"
#include "baton/dataflow/network.h"
#include "common/random_mapping.h"
#include "test_util.h"

namespace baton {
// Test-only access to Schedule::compute_classes (schedule.h declares this friend).
struct ScheduleTestPeer {
  static void recompute_general(Schedule& s) { s.compute_classes(/*general=*/true); }
};
}  // namespace baton

namespace baton::test {
namespace {

// Every class and every closed-form query, as text.
std::string classes_text(const Schedule& s) {
  std::ostringstream o;
  o << "steps " << s.steps() << " macs " << s.macs() << " peak " << s.peak_active_pes()
    << " avg " << std::hexfloat << s.avg_active_pes() << std::defaultfloat << " cc1 "
    << s.compute_cycles(1) << " cc3 " << s.compute_cycles(3) << " cc7 " << s.compute_cycles(7)
    << " tiles";
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput})
    o << ' ' << s.max_tile_elements(t);
  o << '\n';
  write_dim_classes(o, s);
  return o.str();
}

void expect_general_agrees(const Schedule& s, const std::string& what) {
  Schedule g = s;
  ScheduleTestPeer::recompute_general(g);
  EXPECT_EQ(classes_text(s), classes_text(g)) << what;
}

const char* const kNames[] = {"N",  "G",  "K",  "C",  "M",  "Y",  "X",  "Y'", "X'", "R",
                              "S",  "P",  "Q",  "Z",  "",   "KK", "K'", "R'", "Y''", "YX",
                              "y",  "'",  "S'", "N'", "M'"};

void expect_sizes_agree(const LayerSpec& L, const std::string& what) {
  for (const char* n : kNames) {
    const std::string name = n;
    EXPECT_EQ(detail::size_of_name(L, name), L.size_of(name)) << what << " name '" << name << "'";
  }
}

TEST(ScheduleFast, RandomCorpusGeneralSplitAndSizesAgree) {
  int checked = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const RandomCase c = random_case(seed);
    std::vector<Diagnostic> diags;
    MFile f = parse_mfile(c.text, "test.m");
    auto L = make_layer(f.layers.at(0), 0, diags);
    if (!L) continue;
    expect_sizes_agree(*L, "seed " + std::to_string(seed));
    auto s = compile(c.text, c.pes);
    if (!s) continue;
    ++checked;
    expect_general_agrees(*s, "seed " + std::to_string(seed) + "\n" + c.text);
  }
  EXPECT_GT(checked, 300);
}

TEST(ScheduleFast, MaestroMappingsGeneralSplitAndSizesAgree) {
  const std::string dir = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs/mapping/";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string m = entry.path().filename().string();
    for (int64_t pes : {7, 256, 1000}) {
      CompiledNetwork net;
      try {
        net = compile_network(entry.path().string(), std::nullopt, hw_with_pes(pes));
      } catch (const InputError&) {
        continue;  // a file with syntax errors (some are meant to be rejected)
      }
      for (const CompiledLayer& cl : net.layers) {
        if (cl.layer) expect_sizes_agree(*cl.layer, m + " " + cl.decl.name);
        if (!cl.schedule) continue;
        ++checked;
        expect_general_agrees(*cl.schedule, m + " " + cl.decl.name + " pes " + std::to_string(pes));
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace baton::test
