// RuntimeProfile: rule 13 (DIRECTIVES.md) re-evaluated from recorded step volumes.
#include "baton/analytical/profile.h"

#include <algorithm>

#include "energy.h"
#include "profile_builder.h"

namespace baton {

int64_t RuntimeProfile::runtime(int64_t simd_lanes, int64_t hop_latency,
                                std::optional<int64_t> noc_bw, int64_t dram_latency,
                                std::optional<int64_t> offchip_bw) const {
  BATON_ASSERT(simd_lanes == recorded_simd_lanes || recorded_simd_lanes == 1,
               "a runtime profile recorded with " + std::to_string(recorded_simd_lanes) +
                   " SIMD lanes cannot be evaluated for " + std::to_string(simd_lanes));
  const int64_t lanes = recorded_simd_lanes == 1 ? simd_lanes : 1;
  auto noc = [&](int64_t v) { return detail::transfer_cycles(v, hop_latency, noc_bw); };
  auto dram = [&](int64_t v) { return detail::transfer_cycles(v, dram_latency, offchip_bw); };
  int64_t rt = dram(head_dram) + noc(head_v);
  for (const Top& t : tops) {
    int64_t slots = 0;
    for (const Slot& s : t.slots) {
      const int64_t i = noc(s.v_next), c = (s.c + lanes - 1) / lanes, e = noc(s.w_prev);
      slots += s.mult * (s.raw ? std::max(c, e + i) : std::max({i, c, e}));
    }
    rt += t.count * std::max(slots, dram(t.dram));
  }
  return rt + noc(tail_w) + dram(tail_dram);
}

size_t RuntimeProfile::size() const {
  size_t n = 0;
  for (const Top& t : tops) n += t.slots.size();
  return n;
}

namespace detail {

void ProfileBuilder::close_top(int64_t dram_volume, int64_t count) {
  std::vector<std::pair<SlotKey, int64_t>> slots(slots_.begin(), slots_.end());
  tops_[{dram_volume, std::move(slots)}] += count;
  slots_.clear();
}

RuntimeProfile ProfileBuilder::finish(int64_t simd_lanes) const {
  RuntimeProfile p;
  p.recorded_simd_lanes = simd_lanes;
  p.head_dram = head_dram_, p.head_v = head_v_, p.tail_w = tail_w_, p.tail_dram = tail_dram_;
  for (const auto& [key, count] : tops_) {
    RuntimeProfile::Top t;
    t.dram = key.first;
    t.count = count;
    for (const auto& [s, mult] : key.second)
      t.slots.push_back({std::get<0>(s), std::get<1>(s), std::get<2>(s), std::get<3>(s), mult});
    p.tops.push_back(std::move(t));
  }
  return p;
}

}  // namespace detail
}  // namespace baton
