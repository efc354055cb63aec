// TransferPlanner: DIRECTIVES rules 8–11 per step, packetised by destination / source sets.
#include "baton/sim/transfer_plan.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "baton/dataflow/step_walker.h"
#include "sets.h"

namespace baton {
namespace {

using detail::Set;
using detail::minus;
using detail::unite;


// Per-PE element sets -> packets: grouped by PE set when `share`, else one packet per PE.
void packetise(const std::vector<Set>& per_pe, bool share, PacketKind kind, Tensor t,
               std::vector<Packet>& out) {
  if (!share) {
    for (size_t p = 0; p < per_pe.size(); ++p)
      if (!per_pe[p].empty())
        out.push_back(Packet{kind, t, per_pe[p], {static_cast<int32_t>(p)}});
    return;
  }
  std::map<int64_t, std::vector<int32_t>> owners;
  for (size_t p = 0; p < per_pe.size(); ++p)
    for (int64_t e : per_pe[p]) owners[e].push_back(static_cast<int32_t>(p));
  std::map<std::vector<int32_t>, Set> groups;
  for (auto& [e, pes] : owners) groups[pes].push_back(e);
  for (auto& [pes, elems] : groups) out.push_back(Packet{kind, t, std::move(elems), pes});
}

}  // namespace

struct TransferPlanner::Impl {
  Impl(const Schedule& s, const HardwareSpec& h) : schedule(s), hw(h), walker(s) {
    held.resize(s.pes_used());
    in_l2.assign(static_cast<size_t>(s.layer().tensor_elements(Tensor::kOutput)), 0);
  }
  const Schedule& schedule;
  const HardwareSpec& hw;
  StepWalker walker;
  std::vector<std::array<Set, 3>> held;  // last non-idle tile per PE and tensor
  std::vector<uint8_t> in_l2;            // per output element: a partial sum is in L2
  bool drained = false;
};

TransferPlanner::TransferPlanner(const Schedule& s, const HardwareSpec& hw)
    : impl_(std::make_unique<Impl>(s, hw)) {}
TransferPlanner::~TransferPlanner() = default;

bool TransferPlanner::next(StepPlan& out) {
  Impl& m = *impl_;
  const LayerSpec& L = m.schedule.layer();
  const size_t pes = m.held.size();
  out = StepPlan{};
  if (m.walker.done()) {
    if (m.drained) return false;
    m.drained = true;
    out.final_drain = true;
    out.step = m.walker.step() + 1;
    out.top_step = m.walker.top_step();
    std::vector<Set> leave(pes);
    for (size_t p = 0; p < pes; ++p) leave[p] = m.held[p][2];
    packetise(leave, m.hw.noc.reduction, PacketKind::kWriteBack, Tensor::kOutput, out.collection);
    return true;
  }
  out.step = m.walker.step();
  out.top_step = m.walker.top_step();
  out.pe_macs.resize(pes);
  out.tiles = m.walker.tiles();
  std::vector<std::array<Set, 3>> now(pes);
  std::vector<char> active(pes, 0);
  for (size_t p = 0; p < pes; ++p) {
    const PeTile& tile = m.walker.tiles()[p];
    out.pe_macs[p] = tile.macs();
    if (!(active[p] = tile.active())) continue;
    int64_t l1 = 0;
    for (int t = 0; t < 3; ++t) {
      if (L.has_tensor(static_cast<Tensor>(t)))
        now[p][t] = tile_elements(L, static_cast<Tensor>(t), tile);
      l1 += static_cast<int64_t>(now[p][t].size());
    }
    out.max_pe_tile_elements = std::max(out.max_pe_tile_elements, l1);
  }
  // Write-backs first (rule 11), then read-backs of partial sums already in L2, then fills.
  std::vector<Set> leave(pes), readback(pes);
  for (size_t p = 0; p < pes; ++p)
    if (active[p]) leave[p] = minus(m.held[p][2], now[p][2]);
  packetise(leave, m.hw.noc.reduction, PacketKind::kWriteBack, Tensor::kOutput, out.collection);
  for (const Set& l : leave)
    for (int64_t e : l) m.in_l2[e] = 1;
  for (size_t p = 0; p < pes; ++p) {
    if (!active[p]) continue;
    for (int64_t e : minus(now[p][2], m.held[p][2]))
      if (m.in_l2[e]) readback[p].push_back(e);
  }
  packetise(readback, m.hw.noc.multicast, PacketKind::kReadBack, Tensor::kOutput,
            out.distribution);
  for (int t = 0; t < 2; ++t) {
    std::vector<Set> fetch(pes);
    for (size_t p = 0; p < pes; ++p)
      if (active[p]) fetch[p] = minus(now[p][t], m.held[p][t]);
    packetise(fetch, m.hw.noc.multicast, PacketKind::kFill, static_cast<Tensor>(t),
              out.distribution);
  }
  for (size_t p = 0; p < pes; ++p)
    if (active[p]) m.held[p] = std::move(now[p]);
  m.walker.next();
  return true;
}

}  // namespace baton
