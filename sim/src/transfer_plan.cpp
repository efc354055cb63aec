// TransferPlanner: DIRECTIVES rules 8–11 per step, packetised by destination / source sets, with
// the plans of translated steps reused (plan/memo.h).
#include "baton/sim/transfer_plan.h"

#include <algorithm>

#include "plan/explicit_step.h"
#include "plan/held_tracker.h"

namespace baton {

using detail::Key;
using detail::Part;
using detail::Point;
using detail::StepEntry;

struct TransferPlanner::Impl {
  Impl(const Schedule& s, const HardwareSpec& h, PlanOptions o)
      : L(s.layer()), hw(h), opt(o), walker(s), held(walker) {
    const size_t outputs = static_cast<size_t>(L.tensor_elements(Tensor::kOutput));
    BATON_ASSERT(s.steps() < INT32_MAX, "write stamps are 32-bit step numbers");
    written.assign(outputs, -1);
    written_before.assign(outputs, -1);
  }
  const LayerSpec& L;
  const HardwareSpec& hw;
  PlanOptions opt;
  detail::FactoredWalker walker;
  detail::HeldTracker held;
  detail::PeSets pe_sets;
  detail::Profiles profiles;
  std::unordered_map<Key, StepEntry, detail::KeyHash> memo;
  size_t memo_elements = 0;
  Key key, last_key;
  const StepEntry* last_entry = nullptr;  // the entry of last_key (memo nodes are stable)
  // Per output element: the last two boundaries (steps) at which it was written back (−1: never);
  // a partial sum is in L2 once written.
  std::vector<int32_t> written, written_before;  // 8 bytes per output element
  int64_t computed = 0;
  bool drained = false;

  const StepEntry& entry(const Point& base, const std::array<int64_t, 3>& off);
  void emit(std::vector<Packet>& out, size_t& n, PacketKind kind, Tensor t, const Part& part,
            int64_t off);
  void plan_step(StepPlan& out);
  void plan_drain(StepPlan& out);
};

// The plan of this step relative to `base`, reused when a translate was planned before. The key:
// this step's tables, the previous step's (what the PEs active then hold), and the held tiles of
// PEs that were idle at the previous step, all relative to `base`.
const StepEntry& TransferPlanner::Impl::entry(const Point& base, const std::array<int64_t, 3>& off) {
  size_t n = 1;
  for (int d = 0; d < kNumDims; ++d) n += 4 * walker.table(d).size();
  key.resize(n);
  int64_t* k = key.data();
  auto put = [&k](const Range& r, int64_t b) {
    const bool e = r.size() == 0;  // every empty range is the same (an idle PE)
    *k++ = e ? 0 : r.lo - b;
    *k++ = e ? 0 : r.hi - b;
  };
  for (int d = 0; d < kNumDims; ++d)
    for (const Range& r : walker.table(d)) put(r, base[d]);
  *k++ = held.has_prev();
  for (int d = 0; d < kNumDims; ++d)
    for (const Range& r : held.has_prev() ? held.prev_table(d) : walker.table(d))
      put(held.has_prev() ? r : Range{}, base[d]);
  key.push_back(static_cast<int64_t>(held.entering().size()));
  PeTile t;
  for (int32_t pe : held.entering()) {
    key.push_back(pe);
    if (held.held(pe, t)) detail::append(key, t, base);
    else key.push_back(-1);
  }
  // Consecutive steps are often translates of each other: compare with the last key first.
  if (opt.reuse && last_entry && key == last_key) return *last_entry;
  if (opt.reuse) {
    auto it = memo.find(key);
    if (it != memo.end()) {
      last_key.swap(key);
      return *(last_entry = &it->second);
    }
  }
  ++computed;
  const int64_t pes = walker.pes();
  std::vector<PeTile> tiles(pes), before(pes);
  std::vector<const PeTile*> hp(pes, nullptr);
  for (int64_t p = 0; p < pes; ++p) {
    tiles[p] = walker.tile(p);
    if (tiles[p].active() && held.held(p, before[p])) hp[p] = &before[p];
  }
  StepEntry e = detail::plan_explicit(L, hw.noc.multicast, hw.noc.reduction, tiles, hp, off,
                                      pe_sets, profiles);
  if (!opt.reuse) memo.clear();
  memo_elements += e.elements();
  if (memo_elements > (size_t{1} << 22) || memo.size() > 65536) memo.clear(), memo_elements = 0;
  last_entry = &memo.emplace(key, std::move(e)).first->second;
  last_key.swap(key);
  return *last_entry;
}

namespace {
Packet& slot(std::vector<Packet>& v, size_t& n) {
  if (n == v.size()) v.emplace_back();
  return v[n++];
}
}  // namespace

void TransferPlanner::Impl::emit(std::vector<Packet>& out, size_t& n, PacketKind kind, Tensor t,
                                 const Part& part, int64_t off) {
  Packet& p = slot(out, n);
  p.kind = kind;
  p.tensor = t;
  p.pes = pe_sets[part.pes];
  p.count = static_cast<int64_t>(part.rel.size());
  p.first = part.rel.empty() ? -1 : part.rel.front() + off;
  p.elements.clear();
  if (opt.elements)
    for (int64_t r : part.rel) p.elements.push_back(r + off);
}

void TransferPlanner::Impl::plan_step(StepPlan& out) {
  const int32_t step = static_cast<int32_t>(walker.step());
  out.step = step;
  out.top_step = walker.top_step();
  out.final_drain = false;
  held.update();
  std::array<const std::vector<Range>*, kNumDims> tables;
  for (int d = 0; d < kNumDims; ++d) tables[d] = &walker.table(d);
  const Point base = detail::base_of(tables);
  std::array<int64_t, 3> off;
  for (int t = 0; t < 3; ++t) off[t] = detail::id_shift(L, static_cast<Tensor>(t), base);
  const StepEntry& e = entry(base, off);
  out.compute = e.compute;
  out.max_pe_tile_elements = e.max_tile;
  out.collection_distinct = e.leave_distinct;
  // Write-backs at the boundary into this step (rule 11: before read-backs).
  size_t nc = 0, nd = 0;
  for (const Part& part : e.leave) {
    emit(out.collection, nc, PacketKind::kWriteBack, Tensor::kOutput, part, off[2]);
    for (int64_t r : part.rel) {
      const int64_t el = r + off[2];
      if (written[el] != step) written_before[el] = written[el], written[el] = step;
    }
  }
  out.collection.resize(nc);
  // Read-backs: the entering outputs whose partial sums are in L2.
  out.reads_previous_writes = false;
  for (const Part& part : e.entering) {
    Packet* p = nullptr;
    for (int64_t r : part.rel) {
      const int64_t el = r + off[2];
      if (written[el] < 0) continue;
      if (!p) {
        p = &slot(out.distribution, nd);
        p->kind = PacketKind::kReadBack;
        p->tensor = Tensor::kOutput;
        p->pes = pe_sets[part.pes];
        p->count = 0;
        p->first = el;
        p->elements.clear();
      }
      ++p->count;
      if (opt.elements) p->elements.push_back(el);
      if (written[el] == step - 1 || written_before[el] == step - 1) out.reads_previous_writes = true;
    }
  }
  for (int t = 0; t < 2; ++t)
    for (const Part& part : e.fills[t])
      emit(out.distribution, nd, PacketKind::kFill, static_cast<Tensor>(t), part, off[t]);
  out.distribution.resize(nd);
  out.pe_macs.clear();
  out.tiles.clear();
  if (opt.elements) {
    out.pe_macs = e.compute->pe_macs;
    for (int64_t p = 0; p < walker.pes(); ++p) out.tiles.push_back(walker.tile(p));
  }
  held.commit();
  walker.next();
}

// The write-back of everything the PEs hold after the last step.
void TransferPlanner::Impl::plan_drain(StepPlan& out) {
  out.final_drain = true;
  out.step = walker.step() + 1;
  out.top_step = walker.top_step();
  out.compute = nullptr;
  out.max_pe_tile_elements = 0;
  out.reads_previous_writes = false;
  out.distribution.clear();
  out.pe_macs.clear();
  out.tiles.clear();
  std::vector<detail::Set> leave(static_cast<size_t>(walker.pes()));
  PeTile t;
  for (int64_t p = 0; p < walker.pes(); ++p)
    if (held.held(p, t)) leave[p] = tile_elements(L, Tensor::kOutput, t);
  std::vector<Part> parts;
  detail::packetise(leave, hw.noc.reduction, 0, pe_sets, parts);
  size_t nc = 0;
  detail::Set all;
  for (const Part& part : parts) {
    emit(out.collection, nc, PacketKind::kWriteBack, Tensor::kOutput, part, 0);
    all.insert(all.end(), part.rel.begin(), part.rel.end());
  }
  out.collection.resize(nc);
  std::sort(all.begin(), all.end());
  out.collection_distinct = std::unique(all.begin(), all.end()) - all.begin();
}

TransferPlanner::TransferPlanner(const Schedule& s, const HardwareSpec& hw, PlanOptions options)
    : impl_(std::make_unique<Impl>(s, hw, options)) {}
TransferPlanner::~TransferPlanner() = default;

bool TransferPlanner::next(StepPlan& out) {
  Impl& m = *impl_;
  if (!m.walker.done()) {
    m.plan_step(out);
    return true;
  }
  if (m.drained) return false;
  m.drained = true;
  m.plan_drain(out);
  return true;
}

int64_t TransferPlanner::computed_steps() const { return impl_->computed; }

}  // namespace baton
