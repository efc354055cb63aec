// The class pass (analytical/src/classes.cpp) shares what it reads of a top-level step between
// steps with equal neighbourhood keys (TopKeys, top_memo.h) when no PE idles for a whole
// top-level step. Checked here on every top-level step of random small layers × mappings (full
// chains, both NoC variants): equal keys give equal first-step values (V, C, W, entering loop,
// read-back), last-step C, L2 tile sizes and |tile ∩ previous tile|. Also on shrunk reference
// layers.
#include <gtest/gtest.h>

#include <map>

#include "../../analytical/src/classes.h"
#include "../../analytical/src/l2_tiles.h"
#include "../../analytical/src/tables.h"
#include "../../analytical/src/top_memo.h"
#include "baton/dataflow/network.h"
#include "common/random_mapping.h"
#include "common/reference_files.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

struct Seen {
  int64_t v, c, w, c_last;
  int adv;
  bool readback;
  std::array<int64_t, 3> sz, both;
  bool operator==(const Seen& o) const {
    return v == o.v && c == o.c && w == o.w && c_last == o.c_last && adv == o.adv &&
           readback == o.readback && sz == o.sz && both == o.both;
  }
};

// Every top-level step of s (at most 4000; not when PEs can idle) against the first one met
// with its key.
void check(const Schedule& s, HardwareSpec hw, const std::string& where, int& checked,
           int& shared) {
  const detail::ClassSetup setup(s, detail::heap_mem());
  if (!setup.ok() || setup.idle()) return;  // keys only serve the pass without idle PEs
  const detail::Chains chains = detail::build_chains(s);
  const detail::L2Tiles tiles(s, chains);
  if (tiles.idle_possible()) return;
  const std::vector<Loop>& top = s.levels().front().loops;
  const int T = static_cast<int>(top.size());
  int64_t steps = 1;
  for (const Loop& lp : top) steps *= lp.trips;
  if (steps > 4000) return;
  for (int variant = 0; variant < 2; ++variant) {
    hw.noc.multicast = hw.noc.reduction = variant == 0;
    detail::Tables tables(s, chains);
    const detail::StepModel sm(s, chains, hw, tables);
    const int m = sm.loops();
    detail::TopKeys keys(s, static_cast<size_t>(steps), detail::heap_mem());
    ASSERT_TRUE(keys.ok());
    std::map<int32_t, Seen> by_key;
    std::vector<int64_t> x(m, 0), wx(m, 0), wtr(m, 0);
    detail::L2Tiles::TopTile cur, prev;
    for (int64_t n = 0; n < steps; ++n) {
      // x: the n-th top-level step (inner indices 0), lexicographic.
      int64_t rest = n;
      for (int k = T - 1; k >= 0; --k) x[k] = rest % top[k].trips, rest /= top[k].trips;
      tiles.tile(x.data(), cur);
      const detail::StepVals v = sm.eval(x.data());
      int64_t c_last = v.c;  // C of x's last global step
      wx = x;
      sm.trips(wx.data(), wtr.data(), 0);
      while (sm.next_from(wx.data(), wtr.data(), T)) c_last = sm.compute(wx.data());
      const Seen now{v.v, v.c, v.w_prev, c_last, v.adv, v.readback, tiles.sizes(cur),
                     n > 0 ? tiles.common(cur, prev) : std::array<int64_t, 3>{}};
      const int32_t k = keys.find(x.data());
      if (k < 0) {  // only once kMaxKeys keys are numbered (the pass then evaluates the step)
        ASSERT_EQ(by_key.size(), detail::TopKeys::kMaxKeys);
      } else {
        auto [it, fresh] = by_key.emplace(k, now);
        if (!fresh) {
          ++shared;
          EXPECT_TRUE(it->second == now) << where << " variant " << variant << " step " << n;
        }
      }
      prev = cur;
      ++checked;
    }
  }
}

TEST(TopKeys, EqualKeysBehaveAlikeOnRandomLayers) {
  int checked = 0, shared = 0;
  for (uint64_t seed = 1; seed <= 600; ++seed) {
    const RandomCase rc = random_case(seed);
    auto s = compile(rc.text, rc.pes);
    if (!s) continue;
    HardwareSpec hw;
    hw.pes = rc.pes;
    check(*s, hw, "seed " + std::to_string(seed) + "\n" + rc.text, checked, shared);
  }
  EXPECT_GT(shared, 0);
  RecordProperty("steps_checked", checked);
  RecordProperty("steps_sharing_a_key", shared);
}

// Reference layers with dims shrunk (at most 16 channels, 9 output rows / columns; filters and
// strides kept) so that every top-level step can be visited.
LayerDecl shrunk(LayerDecl d) {
  std::map<std::string, int64_t> st, v;
  for (const auto& x : d.strides) st[x.name] = x.value;
  for (const auto& x : d.dims) v[x.name] = x.value;
  for (auto& x : d.dims) {
    if (x.name == "N") x.value = std::min<int64_t>(x.value, 2);
    if (x.name == "K" || x.name == "C" || x.name == "M") x.value = std::min<int64_t>(x.value, 16);
    if (x.name == "G") x.value = std::min<int64_t>(x.value, 3);
    if ((x.name == "Y" || x.name == "X") && d.type == "CONV") {
      const bool y = x.name == "Y";
      const int64_t k = v.count(y ? "R" : "S") ? v[y ? "R" : "S"] : 1;
      const int64_t s = st.count(x.name) ? st[x.name] : 1;
      x.value = (std::min<int64_t>((x.value - k) / s + 1, 9) - 1) * s + k;
    }
  }
  return d;
}

TEST(TopKeys, EqualKeysBehaveAlikeOnReferenceLayers) {
  int checked = 0, shared = 0;
  for (const std::string& file : accepted_reference_files()) {
    const MFile f = read_mfile(file);
    HardwareSpec hw = load_hardware(reference_inputs() + "/hw/accelerator_1.m");
    for (const int64_t pes : {int64_t{256}, int64_t{37}}) {
      hw.pes = pes;
      for (size_t i = 0; i < layers_to_check(f.layers.size()); ++i) {
        const LayerDecl d = shrunk(f.layers[i]);
        std::vector<Diagnostic> diags;
        auto L = make_layer(d, static_cast<int>(i), diags);
        if (!L) continue;
        ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
        if (!r.schedule) continue;
        check(*r.schedule, hw, file + " " + d.name + " pes " + std::to_string(pes), checked,
              shared);
      }
    }
  }
  EXPECT_GT(shared, 0);
  RecordProperty("steps_checked", checked);
  RecordProperty("steps_sharing_a_key", shared);
}

}  // namespace
}  // namespace baton::test
