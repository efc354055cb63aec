// The class-based rule-12/13 pass (analytical/src/classes.h) equals the per-step exact pass on
// medium-sized copies of every accepted reference layer: large enough that top-level loops have
// interior index intervals (classes of more than one index), small enough to walk every step.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "../../analytical/src/classes.h"
#include "../../analytical/src/tables.h"
#include "../../analytical/src/top_memo.h"
#include "../../analytical/src/traffic.h"
#include "baton/dataflow/network.h"
#include "common/reference_files.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {
namespace fs = std::filesystem;

const std::string kInputs = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs";

// Dims shrunk to at most 16 channels and 9 output rows / columns; filters and strides kept.
LayerDecl medium(LayerDecl d) {
  std::map<std::string, int64_t> st, v;
  for (const auto& x : d.strides) st[x.name] = x.value;
  for (const auto& x : d.dims) v[x.name] = x.value;
  for (auto& x : d.dims) {
    if (x.name == "N") x.value = std::min<int64_t>(x.value, d.type == "GEMM" ? 16 : 2);
    if (x.name == "K" || x.name == "C" || x.name == "M") x.value = std::min<int64_t>(x.value, 16);
    if (x.name == "G") x.value = std::min<int64_t>(x.value, 3);
    if (x.name == "Y'" || x.name == "X'") x.value = std::min<int64_t>(x.value, 9);
    if ((x.name == "Y" || x.name == "X") && d.type != "GEMM") {
      const bool y = x.name == "Y";
      const int64_t k = v.count(y ? "R" : "S") ? v[y ? "R" : "S"] : 1;
      const int64_t s = st.count(x.name) ? st[x.name] : (d.type == "TRCONV" ? k : 1);
      if (d.type == "TRCONV") {
        x.value = std::min<int64_t>(x.value, 3);
      } else {
        const int64_t p = std::min<int64_t>((x.value - k) / s + 1, 9);
        x.value = (p - 1) * s + k;
      }
    }
  }
  return d;
}


// Runs the class pass (on its own sparse chains; with idle PEs: IdleTiles) and the exact
// per-step passes on s and expects equal results and equal sparse / full traffic counts; false
// when only the exact path applies.
bool expect_classed_equals_exact(const Schedule& s, const HardwareSpec& hw,
                                 const std::string& where, bool& is_idle) {
  const auto chains = detail::build_chains(s);
  const detail::ClassSetup setup(s, detail::heap_mem());
  if (!setup.ok()) return false;
  is_idle = setup.idle();
  detail::Tables tables(s, setup.chains());
  const std::optional<detail::ClassedResult> c = setup.run(s, hw, tables, detail::heap_mem());
  const auto l2 = detail::exact_l2_pass(s, chains);
  const int64_t J = static_cast<int64_t>(l2.reads.size());
  const auto p = detail::exact_step_pass(
      s, chains, hw, l2.reads.empty() ? 0 : l2.reads[0],
      [&](int64_t j) {
        return (j + 1 < J ? l2.reads[j + 1] : 0) + (j >= 1 ? l2.writes[j] : 0);
      },
      l2.final_writes);
  EXPECT_EQ(c->steps.runtime_cycles, p.runtime_cycles) << where;
  EXPECT_EQ(c->steps.noc_bw_peak, p.noc_bw_peak) << where;
  EXPECT_EQ(c->steps.noc_volume, p.noc_volume) << where;
  EXPECT_EQ(c->l2.dram_reads, l2.dram_reads) << where;
  EXPECT_EQ(c->l2.dram_writes, l2.dram_writes) << where;
  EXPECT_EQ(c->l2.l2_elems_needed, l2.l2_elems_needed) << where;
  EXPECT_EQ(c->l2.final_writes, l2.final_writes) << where;
  // Per-tensor traffic from the sparse chains' weighted tables equals the full chains'.
  for (Tensor t : {Tensor::kInput, Tensor::kWeight, Tensor::kOutput}) {
    const auto a = detail::tensor_counts(s, setup.chains(), tables, t);
    const auto b = detail::tensor_counts(s, chains, t);
    EXPECT_EQ(std::make_tuple(a.enter, a.leave, a.held, a.enter_distinct, a.leave_distinct,
                              a.held_distinct),
              std::make_tuple(b.enter, b.leave, b.held, b.enter_distinct, b.leave_distinct,
                              b.held_distinct))
        << where << " tensor " << static_cast<int>(t);
  }
  return true;
}

class ClassedPass : public ::testing::TestWithParam<std::string> {};

TEST_P(ClassedPass, EqualsExactPerStepPass) {
  const MFile f = read_mfile(GetParam());
  HardwareSpec hw = load_hardware(kInputs + "/hw/accelerator_1.m");
  int classed = 0, idle = 0;
  for (int variant = 0; variant < 3; ++variant) {
    if (variant == 1) {
      hw.noc.multicast = false;
      hw.noc.reduction = false;
      hw.pes = 37;  // partial clusters and folds: units whose extent ends early
      hw.noc.bandwidth_elems_per_cycle = 3;
      hw.offchip_bw_elems_per_cycle = 2;
      hw.dram_latency_cycles = 5;
    }
    if (variant == 2) {  // few top-level units: partial last folds, PEs idle for whole steps
      hw.noc.multicast = true;
      hw.noc.reduction = true;
      hw.pes = 12;
    }
    for (size_t i = 0; i < layers_to_check(f.layers.size()); ++i) {
      const LayerDecl d = medium(f.layers[i]);
      std::vector<Diagnostic> diags;
      auto L = make_layer(d, static_cast<int>(i), diags);
      ASSERT_TRUE(L);
      ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
      if (!r.schedule) continue;
      const Schedule& s = *r.schedule;
      if (s.steps() > 200000) continue;  // keep the exact walk short
      bool is_idle = false;
      if (!expect_classed_equals_exact(s, hw, d.name + " variant " + std::to_string(variant),
                                       is_idle))
        continue;  // exact path only
      ++classed;
      idle += is_idle ? 1 : 0;
    }
  }
  RecordProperty("classed_layers", classed);
  RecordProperty("idle_layers", idle);
}

// Seven top-level loops with edge tiles (and first signatures on C, R, S) on one PE: more
// neighbourhood keys than TopKeys numbers (kMaxKeys), so the pass evaluates the steps beyond
// the cap itself; the results must not change.
TEST(ClassedPassKeys, BeyondTheKeyCapEqualsExactPass) {
  const auto s = compile(one_layer(R"(Type: CONV
    Dimensions { N: 5, K: 5, C: 5, R: 5, S: 5, Y: 13, X: 13 }
    Dataflow { TemporalMap(2,2) N; TemporalMap(2,2) K; TemporalMap(2,2) C; TemporalMap(2,2) R;
               TemporalMap(2,2) S; TemporalMap(3,2) Y; TemporalMap(3,2) X; })"), 1);
  ASSERT_TRUE(s);
  // More distinct keys over the top-level steps than the cap (else this tests nothing new).
  detail::TopKeys keys(*s, 100000, detail::heap_mem());
  ASSERT_TRUE(keys.ok());
  const std::vector<Loop>& top = s->levels().front().loops;
  std::vector<int64_t> x(top.size(), 0);
  bool beyond = false;
  for (bool more = true; more && !beyond;) {
    beyond = keys.find(x.data()) < 0;
    int k = static_cast<int>(top.size()) - 1;
    while (k >= 0 && x[k] + 1 >= top[k].trips) x[k--] = 0;
    if (k < 0) more = false;
    else ++x[k];
  }
  ASSERT_TRUE(beyond);
  for (bool mcast : {true, false}) {
    HardwareSpec hw = hw_with_pes(1);
    hw.noc.multicast = hw.noc.reduction = mcast;
    bool is_idle = false;
    ASSERT_TRUE(expect_classed_equals_exact(*s, hw, mcast ? "multicast" : "unicast", is_idle));
    EXPECT_FALSE(is_idle);  // the keys serve the pass without idle PEs only
  }
}

INSTANTIATE_TEST_SUITE_P(Maestro, ClassedPass, ::testing::ValuesIn(accepted_reference_files()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = fs::path(p.param).stem().string();
                           std::replace_if(n.begin(), n.end(),
                                           [](char c) { return !std::isalnum(c); }, '_');
                           return n;
                         });

}  // namespace
}  // namespace baton::test
