#include "explicit_step.h"

#include <algorithm>

namespace baton::detail {

void packetise(const std::vector<Set>& per_pe, bool share, int64_t off, PeSets& sets,
               std::vector<Part>& out) {
  auto rel = [off](const Set& s) {
    std::vector<int64_t> r(s.size());
    for (size_t i = 0; i < s.size(); ++i) r[i] = s[i] - off;
    return r;
  };
  if (!share) {
    for (size_t p = 0; p < per_pe.size(); ++p)
      if (!per_pe[p].empty())
        out.push_back(Part{sets.intern({static_cast<int32_t>(p)}), rel(per_pe[p])});
    return;
  }
  std::vector<std::pair<int64_t, int32_t>> owned;  // (element, PE), sorted: owners per element
  for (size_t p = 0; p < per_pe.size(); ++p)
    for (int64_t e : per_pe[p]) owned.emplace_back(e, static_cast<int32_t>(p));
  std::sort(owned.begin(), owned.end());
  std::map<std::vector<int32_t>, Set> groups;  // by PE set: the packet order
  std::vector<int32_t> pes;
  for (size_t i = 0; i < owned.size();) {
    pes.clear();
    size_t j = i;
    for (; j < owned.size() && owned[j].first == owned[i].first; ++j) pes.push_back(owned[j].second);
    groups[pes].push_back(owned[i].first - off);
    i = j;
  }
  for (auto& [g, elems] : groups) out.push_back(Part{sets.intern(g), std::move(elems)});
}

StepEntry plan_explicit(const LayerSpec& L, bool multicast, bool reduction,
                        const std::vector<PeTile>& tiles, const std::vector<const PeTile*>& held,
                        const std::array<int64_t, 3>& off, PeSets& sets, Profiles& profiles) {
  const size_t pes = tiles.size();
  StepEntry e;
  std::array<std::vector<Set>, 3> fetch, leave;
  for (int t = 0; t < 3; ++t) fetch[t].resize(pes), leave[t].resize(pes);
  std::vector<int64_t> macs(pes, 0);
  for (size_t p = 0; p < pes; ++p) {
    if (!tiles[p].active()) continue;
    macs[p] = tiles[p].macs();
    int64_t l1 = 0;
    for (int t = 0; t < 3; ++t) {
      const Tensor tensor = static_cast<Tensor>(t);
      if (!L.has_tensor(tensor)) continue;
      const Set now = tile_elements(L, tensor, tiles[p]);
      const Set before = held[p] ? tile_elements(L, tensor, *held[p]) : Set{};
      l1 += static_cast<int64_t>(now.size());
      fetch[t][p] = minus(now, before);
      if (t == 2) leave[t][p] = minus(before, now);
    }
    e.max_tile = std::max(e.max_tile, l1);
  }
  // Write-backs (rule 10) first, then the outputs entering PEs (read-backs when in L2), fills.
  packetise(leave[2], reduction, off[2], sets, e.leave);
  Set all;
  for (const Set& s : leave[2]) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  e.leave_distinct = std::unique(all.begin(), all.end()) - all.begin();
  packetise(fetch[2], multicast, off[2], sets, e.entering);
  for (int t = 0; t < 2; ++t) packetise(fetch[t], multicast, off[t], sets, e.fills[t]);
  e.compute = profiles.intern(std::move(macs));
  return e;
}

}  // namespace baton::detail
