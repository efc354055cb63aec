// `tree` topology: construction, injection and the per-cycle step (class and geometry:
// tree_impl.h; docs/NOC.md).
#include "tree_impl.h"

namespace baton {
namespace flitnet {

Tree::Tree(const NocSpec& s, int64_t pes, NocDirection dir)
    : pes_(std::max<int64_t>(pes, 1)), dir_(dir), bw_(s.bandwidth_elems_per_cycle),
      hop_(s.hop_latency_cycles), h_(std::max<int64_t>(s.hop_latency_cycles, 1)),
      depth_(std::max<int64_t>(s.buffer_depth_flits, 1)), leaf_of_(pes_), ni_(pes_),
      pe_links_(pes_, Link(1)) {
  const int64_t a = std::max<int64_t>(s.tree_arity, 2);
  int64_t levels = 1, span = a;
  while (span < pes_) span *= a, ++levels;
  arity_ = a, levels_ = levels;
  struct Todo {
    int64_t lo, level, parent, slot, span;
  };
  std::deque<Todo> todo{{0, 0, -1, 0, span}};
  for (; !todo.empty(); todo.pop_front()) {
    const Todo t = todo.front();
    const int64_t n = static_cast<int64_t>(sw_.size());
    sw_.emplace_back();
    Switch& sw = sw_.back();
    sw.lo = t.lo, sw.hi = std::min(t.lo + t.span, pes_), sw.child_span = t.span / a;
    sw.parent = t.parent, sw.slot_in_parent = t.slot, sw.last_level = t.level == levels - 1;
    sw.up_lanes = lanes(levels - t.level, sw.hi - sw.lo);
    if (t.parent >= 0) sw_[t.parent].children.push_back(n);
    for (int64_t j = 0; j < a && t.lo + j * sw.child_span < pes_; ++j) {
      if (sw.last_level) {
        sw.children.push_back(t.lo + j);
        leaf_of_[t.lo + j] = n;
      } else {
        todo.push_back({t.lo + j * sw.child_span, t.level + 1, n, j, sw.child_span});
      }
    }
  }
  stats_.links = 0;
  for (Switch& sw : sw_) {  // inputs and outputs, now that every child's width is known
    stats_.links += sw.up_lanes;
    const bool dist = dir_ == NocDirection::kDistribution;
    for (size_t j = 0; j < sw.children.size(); ++j) {
      if (sw.last_level) stats_.links += 1;
      if (dist) sw.out.emplace_back(child_lanes(sw, j));
      else sw.in_lanes.push_back(child_lanes(sw, j));
    }
    if (dist) sw.in_lanes.push_back(sw.up_lanes);
    else sw.out.emplace_back(sw.up_lanes);
    for (int64_t l : sw.in_lanes) sw.in.push_back(InBuffer{{}, depth_ * l});
  }
  l2_link_ = Link(sw_[0].up_lanes);
}

void Tree::inject(const NocPacket& packet, int64_t now) {
  std::vector<int32_t> pes = accept_packet(packet, now, hop_, stats_, table_);
  if (pes.empty()) return;
  const int64_t flits = flit_count(packet.elements, bw_);
  const bool dist = dir_ == NocDirection::kDistribution;
  const int32_t slot =
      table_.add(packet.id, pes, dist ? flits * static_cast<int64_t>(pes.size()) : flits);
  for (int64_t f = 0; f < flits; ++f) {
    const Flit flit{slot, static_cast<int32_t>(f), flit_size(packet.elements, bw_, f), now + 1, 0};
    if (!dist)
      for (int32_t src : table_.pes(slot)) ni_[src].push_back(flit);
  }
  if (dist) {
    int64_t key = 0;
    for (int64_t p = table_.pes(slot).front(), d = 0; d < levels_; ++d, p /= arity_)
      key = key * arity_ + p % arity_;
    l2_.push_back(Stream{key, slot, 0, flits, packet.elements, now + 1});
    l2_sorted_ = false;
  }
}

int32_t Tree::joins_at(int64_t n, int32_t slot) const {
  const Switch& sw = sw_[n];
  const auto& v = table_.pes(slot);
  int32_t count = 0;
  int64_t prev = -1;
  for (auto it = std::lower_bound(v.begin(), v.end(), sw.lo); it != v.end() && *it < sw.hi; ++it) {
    const int64_t child = (*it - sw.lo) / sw.child_span;
    if (child != prev) ++count, prev = child;
  }
  return count;
}

void Tree::advance(int64_t now, std::vector<NocArrival>& arrivals) {
  if (now > last_) {
    last_ = now;
    bool moved = false;
    if (dir_ == NocDirection::kDistribution) {  // downstream first: leaves up to the root
      for (size_t n = sw_.size(); n-- > 0;) moved = step_down(sw_[n], now) || moved;
    } else {  // downstream first: the root down to the leaves
      for (size_t n = 0; n < sw_.size(); ++n) moved = step_up(static_cast<int64_t>(n), now) || moved;
    }
    moved = feed(now) || moved;
    if (moved) ++stats_.busy_cycles;
  }
  table_.release(now, arrivals);
}

bool Tree::step_down(Switch& sw, int64_t now) {
  auto& q = sw.in[0].q;
  bool moved = false;
  for (int64_t read = 0; !q.empty() && q.front().ready <= now && read < sw.in_lanes[0]; ++read) {
    const Flit f = q.front();
    const auto& v = table_.pes(f.slot);
    targets_.clear();
    for (auto it = std::lower_bound(v.begin(), v.end(), sw.lo); it != v.end() && *it < sw.hi;
         ++it) {
      const int32_t j = static_cast<int32_t>((*it - sw.lo) / sw.child_span);
      if (targets_.empty() || targets_.back() != j) targets_.push_back(j);
    }
    int64_t blocked = 0;
    bool credit = false;
    for (int32_t j : targets_) {
      if (!sw.out[j].free(now)) ++blocked;
      else if (!sw.last_level && !sw_[sw.children[j]].in[0].space()) ++blocked, credit = true;
    }
    if (blocked > 0) {  // a fork stall: some branch could take the flit, another cannot
      if (blocked < static_cast<int64_t>(targets_.size())) ++stats_.fork_stalls;
      else if (credit) ++stats_.credit_stalls;
      break;
    }
    for (int32_t j : targets_) {  // one copy per branch, all in this cycle
      sw.out[j].take(now, f.elements, stats_);
      if (sw.last_level) {
        table_.deliver(f.slot, now + hop_);
      } else {
        Flit copy = f;
        copy.ready = now + h_;
        sw_[sw.children[j]].in[0].q.push_back(copy);
      }
    }
    q.pop_front();
    moved = true;
  }
  return moved;
}

bool Tree::step_up(int64_t n, int64_t now) {
  Switch& sw = sw_[n];
  const int64_t k = static_cast<int64_t>(sw.in.size());
  bool idle = sw.done.empty();
  for (const InBuffer& b : sw.in) idle = idle && b.q.empty();
  if (idle) return false;
  InBuffer* up = sw.parent < 0 ? nullptr : &sw_[sw.parent].in[sw.slot_in_parent];
  std::vector<int64_t>& read = read_;  // flits taken from each input this cycle
  read.assign(static_cast<size_t>(k), 0);
  auto send = [&](Flit f) {  // over the up link: into the parent, or into L2
    sw.out[0].take(now, f.elements, stats_);
    if (!up) {
      table_.deliver(f.slot, now + hop_);
      return;
    }
    f.ready = now + h_;
    f.aux = joins_at(sw.parent, f.slot);
    up->q.push_back(f);
  };
  bool moved = false, progress = true;
  while (progress) {  // round robin, one flit per candidate per turn
    progress = false;
    for (int64_t t = 0; t <= k; ++t) {
      const int64_t c = (sw.rr + t) % (k + 1);
      const bool can_send = sw.out[0].free(now) && (!up || up->space());
      if (c == k) {  // the accumulator's complete sums
        if (can_send && !sw.done.empty()) {
          send(sw.done.front());
          sw.done.pop_front();
          progress = moved = true;
        }
        continue;
      }
      auto& q = sw.in[c].q;
      while (!q.empty() && q.front().ready <= now && read[c] < sw.in_lanes[c] &&
             q.front().aux >= 2) {  // a partial sum: into the accumulator
        const Flit& f = q.front();
        auto& e = sw.acc[{f.slot, f.index}];
        if (e.first++ == 0) e.second = now;
        if (e.first == f.aux) {
          stats_.reduction_waits += now - e.second;
          sw.done.push_back(Flit{f.slot, f.index, f.elements, now, 0});
          sw.acc.erase({f.slot, f.index});
        }
        q.pop_front();
        ++read[c];
        progress = moved = true;
      }
      if (can_send && !q.empty() && q.front().ready <= now && read[c] < sw.in_lanes[c]) {
        send(q.front());
        q.pop_front();
        ++read[c];
        progress = moved = true;
      }
    }
  }
  for (int64_t c = 0; c < k && up && !up->space(); ++c)  // held back by the parent's buffer
    if (!sw.in[c].q.empty() && sw.in[c].q.front().ready <= now && read[c] < sw.in_lanes[c])
      ++stats_.credit_stalls;
  sw.rr = static_cast<int>((sw.rr + 1) % (k + 1));
  return moved;
}

// Sources into the network: L2 into the root (distribution), the PEs into their switch
// (collection), each over its link with credit back-pressure.
bool Tree::feed(int64_t now) {
  bool moved = false;
  if (dir_ == NocDirection::kDistribution) {
    // L2 interleaves the waiting packets, one flit each in turn, in digit-reversed order of
    // their first destination: consecutive flits go to different subtrees at every level, so the
    // in-order switch inputs do not block behind one busy child (SIM-NOTES §4.3).
    if (!l2_sorted_) {
      std::stable_sort(l2_.begin(), l2_.end(), [](const Stream& a, const Stream& b) {
        return a.ready != b.ready ? a.ready < b.ready : a.key < b.key;
      });
      l2_sorted_ = true;
      l2_next_ = 0;
    }
    InBuffer& root = sw_[0].in[0];
    bool sent = true;
    while (sent && l2_link_.free(now)) {  // rounds over the ready packets
      sent = false;
      for (; l2_next_ < l2_.size() && l2_link_.free(now); ++l2_next_) {
        Stream& st = l2_[l2_next_];
        if (st.next == st.flits) continue;  // sent; removed at the end of the round
        if (st.ready > now) break;          // later packets are not ready either
        if (!root.space()) {
          ++stats_.credit_stalls;
          return moved;
        }
        const int64_t e = flit_size(st.elements, bw_, st.next);
        l2_link_.take(now, e, stats_);
        root.q.push_back(Flit{st.slot, static_cast<int32_t>(st.next++), e, now + h_, 0});
        moved = sent = true;
      }
      if (l2_next_ >= l2_.size() || l2_[l2_next_].ready > now) {  // end of a round
        l2_.erase(std::remove_if(l2_.begin(), l2_.end(),
                                 [](const Stream& st) { return st.next == st.flits; }),
                  l2_.end());
        l2_next_ = 0;
      }
    }
    return moved;
  }
  for (int64_t p = 0; p < pes_; ++p) {
    auto& q = ni_[p];
    if (q.empty() || q.front().ready > now || !pe_links_[p].free(now)) continue;
    const int64_t n = leaf_of_[p];
    InBuffer& in = sw_[n].in[p - sw_[n].lo];
    if (!in.space()) {
      ++stats_.credit_stalls;
      continue;
    }
    Flit f = q.front();
    q.pop_front();
    pe_links_[p].take(now, f.elements, stats_);
    f.ready = now + h_;
    f.aux = joins_at(n, f.slot);
    in.q.push_back(f);
    moved = true;
  }
  return moved;
}

}  // namespace flitnet

std::unique_ptr<Topology> make_tree(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t>) {
  return std::make_unique<flitnet::Tree>(s, pes, dir);
}

}  // namespace baton
