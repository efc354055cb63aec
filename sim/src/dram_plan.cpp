#include "baton/sim/dram_plan.h"

#include <algorithm>
#include <iterator>

#include "baton/dataflow/step_walker.h"
#include "sets.h"

namespace baton {
namespace {

using detail::Set;
using detail::minus;
using detail::unite;


Packet dram_packet(PacketKind k, Tensor t, Set elems) { return Packet{k, t, std::move(elems), {}}; }

}  // namespace

// Union of element ids over a top-level step: a bitmap plus the list of ids set.
struct Accum {
  std::vector<uint8_t> bit;
  Set ids;
  void add(const Set& s) {
    for (int64_t e : s)
      if (!bit[e]) bit[e] = 1, ids.push_back(e);
  }
  Set take() {
    for (int64_t e : ids) bit[e] = 0;
    Set out;
    out.swap(ids);
    std::sort(out.begin(), out.end());
    return out;
  }
};

DramPlan plan_dram(const Schedule& s) {
  const LayerSpec& L = s.layer();
  DramPlan plan;
  std::vector<std::array<Set, 3>> held(s.pes_used());
  std::array<Accum, 3> acc;
  for (int t = 0; t < 3; ++t)
    acc[t].bit.assign(static_cast<size_t>(L.tensor_elements(static_cast<Tensor>(t))), 0);
  std::array<Set, 3> cur, prev;
  Set written;  // outputs whose partial sums went to DRAM
  auto close = [&]() {
    for (int t = 0; t < 3; ++t) cur[t] = acc[t].take();
    TopStepDram d;
    for (int t = 0; t < 2; ++t) {
      Set gained = minus(cur[t], prev[t]);
      if (!gained.empty())
        d.reads.push_back(dram_packet(PacketKind::kFill, static_cast<Tensor>(t), gained));
    }
    Set leave = minus(prev[2], cur[2]);
    Set back;
    const Set entered = minus(cur[2], prev[2]);
    std::set_intersection(entered.begin(), entered.end(), written.begin(), written.end(),
                          std::back_inserter(back));
    unite(written, leave);
    if (!back.empty()) d.reads.push_back(dram_packet(PacketKind::kReadBack, Tensor::kOutput, back));
    if (!leave.empty())
      d.writes.push_back(dram_packet(PacketKind::kWriteBack, Tensor::kOutput, leave));
    d.l2_elements = 2 * static_cast<int64_t>(cur[0].size() + cur[1].size()) +
                    3 * static_cast<int64_t>(cur[2].size());
    plan.steps.push_back(std::move(d));
    for (int t = 0; t < 3; ++t) prev[t].swap(cur[t]), cur[t].clear();
  };
  StepWalker w(s);
  int64_t last_top = 0;
  for (; !w.done(); w.next()) {
    if (w.top_step() != last_top) {
      close();
      last_top = w.top_step();
    }
    for (size_t p = 0; p < held.size(); ++p) {
      const PeTile& tile = w.tiles()[p];
      if (tile.active())
        for (int t = 0; t < 3; ++t)
          if (L.has_tensor(static_cast<Tensor>(t)))
            held[p][t] = tile_elements(L, static_cast<Tensor>(t), tile);
      for (int t = 0; t < 3; ++t) acc[t].add(held[p][t]);  // idle PEs keep their tiles
    }
  }
  close();
  if (!prev[2].empty())
    plan.final_writes.push_back(dram_packet(PacketKind::kWriteBack, Tensor::kOutput, prev[2]));
  return plan;
}

}  // namespace baton
