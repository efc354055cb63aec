// Internal: the `tree` topology class (tree.cpp: the per-cycle step).
// `tree`: a chubby tree of switches between L2 (at the root) and the PEs (the leaves), MAERI-like,
// flit-level (docs/NOC.md; timing conventions: flit_common.h).
//
// Geometry: `tree_arity` (a, default 4) children per switch and D = max(1, ⌈log_a PEs⌉) switch
// levels; PE p is child p mod a of the last-level switch p / a, the switch above covers a² PEs,
// and so on (subtrees without PEs do not exist). L2 attaches to the root switch through one link.
// Link widths: a link ℓ levels above the PEs has min(2^ℓ, PEs below it) lanes of `bandwidth`
// elements each (one flit per lane per cycle): the PE links one lane, doubling per level towards
// the root ("chubby"; with a = 2 that is a full fat tree, with a = 4 the root link of 4^k PEs has
// √PEs lanes — as many as the mesh has L2 ports). A path L2 → PE crosses D + 1 links, so an
// uncontended packet arrives D·max(hop_latency, 1) cycles after the bus's time.
// Buffers: every switch input holds buffer_depth flits per lane of the link feeding it (credit
// back-pressure); an input forwards at most one flit per lane per cycle.
// Distribution: each switch has one input (from its parent) and forwards a flit to every child
// whose subtree holds a destination, in the same cycle (synchronous multicast fork: it waits
// until every such child link has a free lane and buffer space). One input per switch: no
// arbitration. L2 sends its waiting packets one flit each in turn, in digit-reversed order of
// their first destination, so consecutive flits go to different subtrees at every level.
// Collection (reduction tree): a packet's source PEs send their flits up. At a switch where
// two or more children hold sources of the packet, the flits are summed: each child's flit k goes
// into an accumulator and the sum goes on up when the last child's flit k has arrived (no adder
// latency); elsewhere flits pass through. The packet therefore reaches L2 once (one delivery per
// flit). The up link is arbitrated round robin between the children's inputs and the
// accumulator, one flit per candidate per turn, the first candidate moving one further every
// cycle. Accumulators are not bounded by buffer_depth (one entry per packet flit in flight), so
// a head flit waiting for its partner never blocks its input: flits only go up, towards L2, which
// always accepts — no deadlock.
#pragma once

#include <map>

#include "flit_common.h"

namespace baton::flitnet {

class Tree : public Topology {
 public:
  Tree(const NocSpec& s, int64_t pes, NocDirection dir);
  std::string name() const override { return "tree"; }
  void inject(const NocPacket& packet, int64_t now) override;
  void advance(int64_t now, std::vector<NocArrival>& arrivals) override;
  bool busy() const override { return !table_.idle(); }
  const NocStats& stats() const override { return stats_; }
  std::vector<LinkInfo> link_info() const override {
    std::vector<LinkInfo> out{{"l2->s0", l2_link_.lanes()}};
    for (size_t s = 0; s < sw_.size(); ++s)
      for (size_t j = 0; j < sw_[s].out.size(); ++j)
        out.push_back({"s" + std::to_string(s) + ".out" + std::to_string(j), sw_[s].out[j].lanes()});
    for (size_t p = 0; p < pe_links_.size(); ++p)
      out.push_back({"pe" + std::to_string(p) + "->s" + std::to_string(leaf_of_[p]), 1});
    return out;
  }
  void link_flits(std::vector<int64_t>& out) const override {
    out.assign(1, l2_link_.total_flits());
    for (const Switch& sw : sw_)
      for (const Link& l : sw.out) out.push_back(l.total_flits());
    for (const Link& l : pe_links_) out.push_back(l.total_flits());
  }

 private:
  struct Switch {
    int64_t lo = 0, hi = 0;         // PEs below: [lo, hi)
    int64_t child_span = 1;         // PEs per child subtree
    int64_t parent = -1, slot_in_parent = 0;
    bool last_level = false;        // children are PEs
    int64_t up_lanes = 1;           // lanes of the link towards the parent (root: towards L2)
    std::vector<int64_t> children;  // switch indices; on the last level, PE ids
    std::vector<InBuffer> in;       // distribution: [0] from the parent; collection: per child
    std::vector<int64_t> in_lanes;  // lanes of the link feeding each input
    std::vector<Link> out;          // distribution: per child; collection: [0] up
    std::map<std::pair<int32_t, int32_t>, std::pair<int64_t, int64_t>> acc;  // partial sums:
                                    // (packet slot, flit) -> (contributions, first arrival)
    std::deque<Flit> done;          // complete sums waiting for the up link
    int rr = 0;
  };
  static int64_t lanes(int64_t height, int64_t below) {
    int64_t l = 1;
    for (int64_t i = 0; i < height && l < below; ++i) l *= 2;
    return std::min(l, std::max<int64_t>(below, 1));
  }
  int64_t child_lanes(const Switch& sw, size_t j) const {
    return sw.last_level ? 1 : sw_[sw.children[j]].up_lanes;
  }
  // Children of switch n holding a source of the packet: the contributions its sum waits for.
  int32_t joins_at(int64_t n, int32_t slot) const;
  bool step_down(Switch& sw, int64_t now);
  bool step_up(int64_t n, int64_t now);
  bool feed(int64_t now);

  int64_t pes_;
  NocDirection dir_;
  std::optional<int64_t> bw_;
  int64_t hop_, h_, depth_, last_ = -1;
  std::vector<Switch> sw_;            // breadth first: the root first, parents before children
  std::vector<int64_t> leaf_of_;      // PE -> its last-level switch
  Link l2_link_;                      // distribution: L2 -> root
  struct Stream {  // distribution: a packet waiting at L2
    int64_t key;    // its first destination, digits reversed (base arity)
    int32_t slot;
    int64_t next, flits, elements, ready;
  };
  std::vector<Stream> l2_;            // in (ready, key) order
  size_t l2_next_ = 0;                // round-robin position in l2_
  bool l2_sorted_ = true;
  int64_t arity_ = 2, levels_ = 1;
  std::vector<std::deque<Flit>> ni_;  // collection: PE network interfaces
  std::vector<Link> pe_links_;        // collection: PE -> its switch
  std::vector<int32_t> targets_;      // scratch
  std::vector<int64_t> read_;         // scratch
  PacketTable table_;
  NocStats stats_;
};

}  // namespace baton::flitnet
