// DramPlanner: rule 12 per top-level step from the clusters' top-level tiles (see dram_plan.h).
#include "baton/sim/dram_plan.h"

#include <algorithm>

#include "plan/held_tracker.h"
#include "plan/memo.h"
#include "sets.h"

namespace baton {
namespace {

using detail::Set;

struct TopState {
  bool valid = false;
  std::array<std::vector<Range>, kNumDims> top;  // top-level tables at the top-level step
  std::vector<PeTile> extras;                    // tiles of PEs idle at its start
};

struct DramEntry {
  std::array<int64_t, 2> gained{}, first{};  // inputs, weights the L2 tile gains (first: rel)
  Set enter, leave;                          // outputs entering / leaving the L2 tile (rel)
  int64_t l2 = 0;
};

Packet dram_packet(PacketKind k, Tensor t, int64_t count, int64_t first) {
  Packet p;
  p.kind = k;
  p.tensor = t;
  p.count = count;
  p.first = first;
  return p;
}

}  // namespace

struct DramPlanner::Impl {
  Impl(const Schedule& s, bool r) : L(s.layer()), reuse(r), walker(s), held(walker) {
    written.assign(static_cast<size_t>(L.tensor_elements(Tensor::kOutput)), 0);
  }
  const LayerSpec& L;
  bool reuse;
  detail::FactoredWalker walker;
  detail::HeldTracker held;
  TopState cur, prev;
  std::unordered_map<detail::Key, DramEntry, detail::KeyHash> memo;
  detail::Key key, last_key;
  const DramEntry* last = nullptr;  // the entry of last_key (memo nodes are stable)
  size_t memo_elements = 0;
  std::vector<uint8_t> written;  // outputs whose partial sums went to DRAM
  std::vector<Packet> final_writes;
  bool finished = false;

  std::array<Set, 3> l2_tile(const TopState& st) const;
  DramEntry compute(const detail::Point& base, const std::array<int64_t, 3>& off) const;
  void close(TopStepDram& out);
};

// The L2 tile: the clusters' top-level tiles and the idle PEs' older tiles, per tensor.
std::array<Set, 3> DramPlanner::Impl::l2_tile(const TopState& st) const {
  std::array<Set, 3> out;
  if (!st.valid) return out;
  std::vector<PeTile> boxes = st.extras;
  for (int64_t u = 0; u < walker.top_units(); ++u) {
    PeTile b;
    for (int d = 0; d < kNumDims; ++d) b.r[d] = st.top[d][walker.top_combo(d, u)];
    if (b.active()) boxes.push_back(b);
  }
  for (int t = 0; t < 3; ++t) {
    if (!L.has_tensor(static_cast<Tensor>(t))) continue;
    for (const PeTile& b : boxes) {
      const Set s = tile_elements(L, static_cast<Tensor>(t), b);
      out[t].insert(out[t].end(), s.begin(), s.end());
    }
    std::sort(out[t].begin(), out[t].end());
    out[t].erase(std::unique(out[t].begin(), out[t].end()), out[t].end());
  }
  return out;
}

DramEntry DramPlanner::Impl::compute(const detail::Point&, const std::array<int64_t, 3>& off) const {
  const std::array<Set, 3> now = l2_tile(cur), before = l2_tile(prev);
  DramEntry e;
  for (int t = 0; t < 2; ++t) {
    const Set g = detail::minus(now[t], before[t]);
    e.gained[t] = static_cast<int64_t>(g.size());
    e.first[t] = g.empty() ? 0 : g.front() - off[t];
  }
  e.enter = detail::minus(now[2], before[2]);
  e.leave = detail::minus(before[2], now[2]);
  for (int64_t& x : e.enter) x -= off[2];
  for (int64_t& x : e.leave) x -= off[2];
  e.l2 = 2 * static_cast<int64_t>(now[0].size() + now[1].size()) +
         3 * static_cast<int64_t>(now[2].size());
  return e;
}

void DramPlanner::Impl::close(TopStepDram& out) {
  std::array<const std::vector<Range>*, kNumDims> tables;
  for (int d = 0; d < kNumDims; ++d) tables[d] = &cur.top[d];
  const detail::Point base = detail::base_of(tables);
  std::array<int64_t, 3> off;
  for (int t = 0; t < 3; ++t) off[t] = detail::id_shift(L, static_cast<Tensor>(t), base);
  DramEntry computed;
  const DramEntry* e = nullptr;
  if (reuse && cur.extras.empty() && prev.extras.empty()) {  // translates share one entry
    size_t n = 1;
    for (int d = 0; d < kNumDims; ++d) n += 4 * cur.top[d].size();
    key.resize(n);
    int64_t* k = key.data();
    auto put = [&k](const Range& r, int64_t b) {
      const bool empty = r.size() == 0;  // as detail::append: every empty range is the same
      *k++ = empty ? 0 : r.lo - b;
      *k++ = empty ? 0 : r.hi - b;
    };
    for (int d = 0; d < kNumDims; ++d)
      for (const Range& r : cur.top[d]) put(r, base[d]);
    *k++ = prev.valid;
    for (int d = 0; d < kNumDims; ++d)
      for (size_t m = 0; m < cur.top[d].size(); ++m)
        put(prev.valid ? prev.top[d][m] : Range{}, base[d]);
    if (last && key == last_key) {
      e = last;
    } else {
      auto it = memo.find(key);
      if (it == memo.end()) {
        DramEntry fresh = compute(base, off);
        memo_elements += fresh.enter.size() + fresh.leave.size();
        if (memo.size() > 65536 || memo_elements > (size_t{1} << 22))  // bounded: 32 MB of ids
          memo.clear(), memo_elements = fresh.enter.size() + fresh.leave.size();
        it = memo.emplace(key, std::move(fresh)).first;
      }
      e = last = &it->second;
      last_key.swap(key);
    }
  } else {
    computed = compute(base, off);
    e = &computed;
  }
  out.reads.clear();
  out.writes.clear();
  for (int t = 0; t < 2; ++t)
    if (e->gained[t] > 0)
      out.reads.push_back(dram_packet(PacketKind::kFill, static_cast<Tensor>(t), e->gained[t],
                                      e->first[t] + off[t]));
  int64_t back = 0, first_back = -1;
  for (int64_t r : e->enter)
    if (written[r + off[2]]) {
      if (back++ == 0) first_back = r + off[2];
    }
  for (int64_t r : e->leave) written[r + off[2]] = 1;
  if (back > 0)
    out.reads.push_back(dram_packet(PacketKind::kReadBack, Tensor::kOutput, back, first_back));
  if (!e->leave.empty())
    out.writes.push_back(dram_packet(PacketKind::kWriteBack, Tensor::kOutput,
                                     static_cast<int64_t>(e->leave.size()),
                                     e->leave.front() + off[2]));
  out.l2_elements = e->l2;
}

DramPlanner::DramPlanner(const Schedule& s, bool reuse)
    : impl_(std::make_unique<Impl>(s, reuse)) {}
DramPlanner::~DramPlanner() = default;

bool DramPlanner::next(TopStepDram& out) {
  Impl& m = *impl_;
  if (m.finished) return false;
  if (m.walker.done()) {  // outputs left in L2 after the last top-level step
    m.finished = true;
    m.prev = std::move(m.cur);
    const Set last = m.l2_tile(m.prev)[2];
    if (!last.empty())
      m.final_writes.push_back(dram_packet(PacketKind::kWriteBack, Tensor::kOutput,
                                           static_cast<int64_t>(last.size()), last.front()));
    return false;
  }
  m.prev = std::move(m.cur);
  m.cur = TopState{};
  m.cur.valid = true;
  const int64_t top = m.walker.top_step();
  m.held.update();  // the first global step of the top-level step
  for (int d = 0; d < kNumDims; ++d) m.cur.top[d] = m.walker.top_table(d);
  PeTile t;
  for (int32_t pe : m.held.idle_holding())
    if (m.held.held(pe, t)) m.cur.extras.push_back(t);
  for (;;) {
    m.held.commit();
    m.walker.next();
    if (m.walker.done() || m.walker.top_step() != top) break;
    m.held.update();
  }
  m.close(out);
  return true;
}

const std::vector<Packet>& DramPlanner::final_writes() const { return impl_->final_writes; }

DramPlan plan_dram(const Schedule& s) {
  DramPlan plan;
  DramPlanner planner(s);
  TopStepDram d;
  while (planner.next(d)) plan.steps.push_back(d);
  plan.final_writes = planner.final_writes();
  return plan;
}

}  // namespace baton
