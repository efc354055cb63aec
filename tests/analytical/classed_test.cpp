// The class-based rule-12/13 pass (analytical/src/classes.h) equals the per-step exact pass on
// medium-sized copies of every accepted reference layer: large enough that top-level loops have
// interior index intervals (classes of more than one index), small enough to walk every step.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "../../analytical/src/classes.h"
#include "../../analytical/src/tables.h"
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
      const auto chains = detail::build_chains(s);
      // The class pass on its own sparse chains (with idle PEs: IdleTiles).
      const detail::ClassSetup setup(s, detail::heap_mem());
      if (!setup.ok()) continue;  // exact path only
      detail::Tables tables(s, setup.chains());
      const std::optional<detail::ClassedResult> c = setup.run(s, hw, tables, detail::heap_mem());
      ++classed;
      idle += setup.idle() ? 1 : 0;
      const auto l2 = detail::exact_l2_pass(s, chains);
      const int64_t J = static_cast<int64_t>(l2.reads.size());
      const auto p = detail::exact_step_pass(
          s, chains, hw, l2.reads.empty() ? 0 : l2.reads[0],
          [&](int64_t j) {
            return (j + 1 < J ? l2.reads[j + 1] : 0) + (j >= 1 ? l2.writes[j] : 0);
          },
          l2.final_writes);
      const std::string where = d.name + " variant " + std::to_string(variant);
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
    }
  }
  RecordProperty("classed_layers", classed);
  RecordProperty("idle_layers", idle);
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
