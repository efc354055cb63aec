// Every MAESTRO reference mapping file (inputs/mapping, inputs/validation) on accelerator_1:
// exactly the documented files are rejected, with pinned messages; every other layer compiles,
// its closed-form MACs equal the true MAC count, and on reduced copies walking the schedule
// visits every MAC point once and agrees with every closed-form query.
#include <algorithm>
#include <filesystem>
#include <map>

#include "baton/dataflow/network.h"
#include "common/reduce.h"
#include "common/reference_files.h"
#include "test_util.h"

namespace baton::test {
namespace {
namespace fs = std::filesystem;

const std::string kInputs = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs";


HardwareSpec accel1() { return load_hardware(kInputs + "/hw/accelerator_1.m"); }

// file stem -> (layer, substring every error of that layer must show)
const std::map<std::string, std::vector<std::pair<std::string, std::string>>>& rejected() {
  static const std::map<std::string, std::vector<std::pair<std::string, std::string>>> k = {
      {"Resnet50_rs", {{"CONV1", "a second directive on S in one level"}}},
      {"ResNeXt50_rs", {{"CONV1", "a second directive on S in one level"}}},
      {"UNet_RS", {{"TRCONV1", "a second directive on S in one level"}}},
      {"vgg16_rs", {{"CONV1", "not a Y-R or X-S pair"}}},
      {"UNet_kcp_ws", {{"CONV1_1", "tiles overlap in output rows"}}},
      {"UNet_yxp_os", {{"CONV1_5", "tiles overlap in output columns"}}},
      {"ResNeXt50_yxp_os", {{"CONV4_2_2", "6 output columns (window S = 3, stride 1) but "
                                          "advances 8: output columns are skipped"}}},
      {"Transformer_Layers", {{"SD_MatMul_QK_00", "offset 1 < size 2 on K"}}},
  };
  return k;
}

// The MAC count of a layer computed here from its declared dims (independent of LayerSpec).
int64_t true_macs(const LayerDecl& d) {
  std::map<std::string, int64_t> v, st;
  for (const auto& x : d.dims) v.emplace(x.name, x.value);
  for (const auto& x : d.strides) st.emplace(x.name, x.value);
  auto get = [&](const std::string& n) { return v.count(n) ? v[n] : 1; };
  if (d.type == "GEMM") return get("M") * get("N") * get("K");
  auto out = [&](const char* in, const char* o, int64_t k, const char* s) {
    if (v.count(o)) return v[o];
    const int64_t sig = st.count(s) ? st[s] : (d.type == "TRCONV" ? k : 1);
    if (d.type == "TRCONV") return (get(in) - 1) * sig + k;
    return (get(in) - k) / sig + 1;
  };
  const int64_t P = out("Y", "Y'", get("R"), "Y"), Q = out("X", "X'", get("S"), "X");
  return get("N") * get("G") * get("K") * get("C") * get("R") * get("S") * P * Q;
}

class ReferenceFile : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceFile, RejectedExactlyAsDocumentedElseMacsExact) {
  const std::string path = GetParam();
  const std::string stem = fs::path(path).stem().string();
  const HardwareSpec hw = accel1();
  CompiledNetwork net = compile_network(path, std::nullopt, hw);
  auto it = rejected().find(stem);
  if (it != rejected().end()) {
    ASSERT_TRUE(net.has_errors()) << stem << " must be rejected";
    for (const auto& [layer, text] : it->second) {
      auto sel = net.select(layer);
      ASSERT_FALSE(sel.empty()) << layer;
      ASSERT_FALSE(sel[0]->errors.empty()) << layer << " must have an error";
      bool found = false;
      for (const auto& e : sel[0]->errors) {
        found = found || e.message.find(text) != std::string::npos;
        EXPECT_EQ(e.loc.file, path);
        EXPECT_GT(e.loc.line, 0);
        EXPECT_GT(e.loc.column, 0);
        EXPECT_FALSE(e.hint.empty()) << e.format();
      }
      EXPECT_TRUE(found) << layer << ": no error says '" << text << "'; first: "
                         << sel[0]->errors.front().format();
    }
    return;
  }
  ASSERT_FALSE(net.has_errors()) << net.errors().front().format();
  const MFile f = read_mfile(path);
  ASSERT_EQ(f.layers.size(), net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const auto& cl = net.layers[i];
    ASSERT_TRUE(cl.schedule) << cl.name;
    EXPECT_EQ(cl.schedule->macs(), true_macs(f.layers[i])) << stem << " " << cl.name;
  }
}

TEST_P(ReferenceFile, ReducedLayersWalkEveryMacOnceAndMatchClosedForm) {
  const std::string path = GetParam();
  if (rejected().count(fs::path(path).stem().string())) GTEST_SKIP() << "rejected file";
  const HardwareSpec hw = accel1();
  const MFile f = read_mfile(path);
  for (size_t i = 0; i < f.layers.size(); ++i) {
    const LayerDecl d = reduced(f.layers[i]);
    std::vector<Diagnostic> diags;
    auto L = make_layer(d, static_cast<int>(i), diags);
    ASSERT_TRUE(L && d.dataflow) << d.name;
    ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
    ASSERT_TRUE(r.schedule) << d.name << ": " << r.diagnostics.front().format();
    const Schedule& s = *r.schedule;
    const WalkStats w = walk(s, 2);
    SCOPED_TRACE(d.name);
    EXPECT_TRUE(w.every_point_once) << w.first_problem;
    EXPECT_EQ(w.macs, L->macs());
    EXPECT_EQ(w.steps, s.steps());
    EXPECT_EQ(w.top_steps, s.top_steps());
    EXPECT_EQ(w.macs, s.macs());
    EXPECT_EQ(w.compute_cycles, s.compute_cycles(2));
    EXPECT_EQ(w.peak_active, s.peak_active_pes());
    EXPECT_NEAR(double(w.active_sum) / double(w.steps), s.avg_active_pes(), 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(Maestro, ReferenceFile, ::testing::ValuesIn(reference_files()),
                         file_param_name);

}  // namespace
}  // namespace baton::test
