// Internal: what the flit-level topologies `crossbar`, `tree` and `systolic` share (docs/NOC.md).
//
// Flits: a packet is split into flits of at most `bandwidth` elements (the last one may be
// shorter; unlimited bandwidth: one flit per packet). A link moves at most one flit per lane per
// cycle; `bandwidth` is the width of one lane, and most links have one lane (tree links near the
// root have several, see tree.cpp).
// Timing: a packet injected at cycle T0 waits in its source queue (L2, or its source PEs); its
// flits may cross their first link from T0+1. A flit that crosses a link in cycle t sits in the
// next node's input buffer and may cross the next link from t + max(hop_latency, 1); a crossing
// into a destination (a PE, or L2) is delivered at t + hop_latency. A packet arrives at its
// last delivery. So a packet of F flits alone on a path of n links arrives at
// T0 + F + (n − 1)·max(hop_latency, 1) + hop_latency: the bus's time plus (n − 1) hops.
// Nodes are evaluated downstream first each cycle, so a buffer slot freed in a cycle can be
// refilled in the same cycle (credits return without delay).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "registry.h"

namespace baton::flitnet {

// The most-square factorisation rows × cols of n (rows <= cols), as the mesh uses.
inline std::pair<int64_t, int64_t> most_square(int64_t n) {
  n = std::max<int64_t>(n, 1);
  int64_t rows = 1;
  for (int64_t r = 1; r * r <= n; ++r)
    if (n % r == 0) rows = r;
  return {rows, n / rows};
}

inline int64_t flit_count(int64_t elements, const std::optional<int64_t>& bw) {
  return bw ? (elements + *bw - 1) / *bw : 1;
}
inline int64_t flit_size(int64_t elements, const std::optional<int64_t>& bw, int64_t f) {
  return bw ? std::min(*bw, elements - f * *bw) : elements;
}

// A flit in a queue or buffer. `slot` names its packet in the PacketTable; `aux` is per topology
// (the tree: unused; the systolic array: where its chain ends).
struct Flit {
  int32_t slot = 0;
  int32_t index = 0;  // flit number within the packet
  int64_t elements = 0;
  int64_t ready = 0;  // first cycle it may cross its next link
  int32_t aux = 0;
};

// Packets in flight: their PE sets and the deliveries still due; a packet arrives when its last
// delivery is due. Slots are reused in order (deterministic).
class PacketTable {
 public:
  int32_t add(int64_t id, std::vector<int32_t> pes, int64_t deliveries) {
    int32_t slot;
    if (free_.empty()) {
      slot = static_cast<int32_t>(entries_.size());
      entries_.emplace_back();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    entries_[slot] = Entry{id, std::move(pes), deliveries, 0};
    ++open_;
    return slot;
  }
  // Sorted, distinct PEs: destinations (distribution) or sources (collection).
  const std::vector<int32_t>& pes(int32_t slot) const { return entries_[slot].pes; }
  bool has_pe(int32_t slot, int64_t pe) const {
    const auto& v = entries_[slot].pes;
    return std::binary_search(v.begin(), v.end(), static_cast<int32_t>(pe));
  }
  // Number of PEs of the packet in [lo, hi).
  int64_t pes_in(int32_t slot, int64_t lo, int64_t hi) const {
    const auto& v = entries_[slot].pes;
    return std::lower_bound(v.begin(), v.end(), hi) - std::lower_bound(v.begin(), v.end(), lo);
  }
  void deliver(int32_t slot, int64_t cycle) {
    Entry& e = entries_[slot];
    e.last = std::max(e.last, cycle);
    if (--e.left == 0) {  // the PE list stays valid until the slot is reused
      pending_.push_back({e.id, e.last});
      free_.push_back(slot);
      --open_;
    }
  }
  // An empty packet (no elements or no PEs) arrives at `cycle` without moving.
  void arrive_empty(int64_t id, int64_t cycle) { pending_.push_back({id, cycle}); }
  void release(int64_t now, std::vector<NocArrival>& out) { release_arrivals(pending_, now, out); }
  bool idle() const { return open_ == 0 && pending_.empty(); }

 private:
  struct Entry {
    int64_t id = 0;
    std::vector<int32_t> pes;
    int64_t left = 0, last = 0;
  };
  std::vector<Entry> entries_;
  std::vector<int32_t> free_;
  int64_t open_ = 0;
  std::deque<NocArrival> pending_;
};

// A link of `lanes` parallel lanes, each `bandwidth` elements wide; the j-th flit of a cycle
// takes lane j. Keeps the per-lane statistics of NocStats.
class Link {
 public:
  explicit Link(int64_t lanes = 1) : elems_(std::max<int64_t>(lanes, 1), 0),
                                     flits_(std::max<int64_t>(lanes, 1), 0) {}
  int64_t lanes() const { return static_cast<int64_t>(elems_.size()); }
  int64_t total_flits() const {
    int64_t n = 0;
    for (int64_t f : flits_) n += f;
    return n;
  }
  bool free(int64_t now) const { return cycle_ != now || used_ < lanes(); }
  void take(int64_t now, int64_t elements, NocStats& s) {
    if (cycle_ != now) {
      cycle_ = now;
      used_ = 0;
      std::fill(elems_.begin(), elems_.end(), 0);
    }
    const int64_t lane = used_++ % lanes();
    elems_[lane] += elements;
    ++flits_[lane];
    s.max_link_elems_per_cycle = std::max(s.max_link_elems_per_cycle, elems_[lane]);
    s.max_link_flits = std::max(s.max_link_flits, flits_[lane]);
    s.element_hops += elements;
  }

 private:
  int64_t cycle_ = -1, used_ = 0;
  std::vector<int64_t> elems_;  // elements per lane in cycle_
  std::vector<int64_t> flits_;  // flits per lane over the run
};

// A bounded FIFO input buffer of `capacity` flits (credit back-pressure: a sender checks space()).
struct InBuffer {
  std::deque<Flit> q;
  int64_t capacity = 1;
  bool space() const { return static_cast<int64_t>(q.size()) < capacity; }
};

// The start of every flit-level inject: counts the packet in `stats` and returns its PEs sorted
// and distinct (a PE listed twice is one endpoint). A packet without elements or PEs is booked
// to arrive `hop` cycles after `now` and gets an empty list (nothing to route).
inline std::vector<int32_t> accept_packet(const NocPacket& packet, int64_t now, int64_t hop,
                                          NocStats& stats, PacketTable& table) {
  std::vector<int32_t> pes = packet.pes;
  std::sort(pes.begin(), pes.end());
  pes.erase(std::unique(pes.begin(), pes.end()), pes.end());
  ++stats.packets;
  stats.elements += packet.elements;
  if (packet.elements == 0 || pes.empty()) {
    table.arrive_empty(packet.id, now + hop);
    pes.clear();
  }
  return pes;
}

}  // namespace baton::flitnet
