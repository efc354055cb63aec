// `crossbar`: L2 connects to every PE through one switch stage (one hop), flit-level (docs/NOC.md).
//
// Distribution: every PE has its own output link of one `bandwidth`-wide lane (one flit per
// cycle). L2 keeps each packet as its own stream (as many L2 ports as packets), so packets only
// meet at the outputs and at the L2 read budget (`l2_port` elements per cycle, unlimited when not
// set; a flit larger than what is left of a cycle's budget borrows from the next cycles). A
// multicast flit is one transfer to many outputs: it crosses when every destination's
// output is free in that cycle (synchronous fork). Arbitration: round robin over the packets
// waiting at L2: the first packet considered moves one place further every cycle, and each
// output goes to the first packet in that order that wants it.
// Collection: every PE has its own input link (one lane) fed from its network interface FIFO;
// the L2 side accepts `l2_port` elements per cycle. A partial-sum packet with several sources is
// one transfer from many inputs: flit k crosses in the cycle when flit k is at the head of every
// source's FIFO, and is summed by the adder at the L2 port (in-network reduction at the output:
// the packet counts once at L2). Round robin over the PEs, the first PE moving one further every
// cycle. No buffer sits between the sources and the destinations (L2 holds the operands, PEs and
// L2 accept one flit per link per cycle), so credits never bind; contention is output
// arbitration, multicast and reduction coupling, and the L2 budget. The FIFOs all hold packets in
// injection order, so the oldest waiting packet can always move: no deadlock.
#include "flit_common.h"

namespace baton {
namespace flitnet {
namespace {

class Crossbar : public Topology {
 public:
  Crossbar(const NocSpec& s, int64_t pes, NocDirection dir, std::optional<int64_t> port)
      : pes_(std::max<int64_t>(pes, 1)), dir_(dir), bw_(s.bandwidth_elems_per_cycle), port_(port),
        hop_(s.hop_latency_cycles), links_(pes_, Link(1)), sent_(pes_, -1), ni_(pes_) {
    stats_.links = pes_;
  }
  std::string name() const override { return "crossbar"; }

  void inject(const NocPacket& packet, int64_t now) override {
    std::vector<int32_t> pes = accept_packet(packet, now, hop_, stats_, table_);
    if (pes.empty()) return;
    const int64_t flits = flit_count(packet.elements, bw_);
    const bool dist = dir_ == NocDirection::kDistribution;
    const int64_t n = static_cast<int64_t>(pes.size());
    const int32_t slot = table_.add(packet.id, pes, dist ? flits * n : flits);
    if (dist) {
      streams_.push_back(Stream{slot, 0, flits, packet.elements, now + 1});
      return;
    }
    for (int32_t src : pes)
      for (int64_t f = 0; f < flits; ++f)
        ni_[src].push_back(Flit{slot, static_cast<int32_t>(f),
                                flit_size(packet.elements, bw_, f), now + 1, 0});
    queued_ += flits * n;
  }

  void advance(int64_t now, std::vector<NocArrival>& arrivals) override {
    if (now > last_) {
      if (port_) budget_ = std::min(budget_ + (now - last_) * *port_, *port_);
      last_ = now;
      const bool moved = dir_ == NocDirection::kDistribution ? distribute(now) : collect(now);
      if (moved) ++stats_.busy_cycles;
    }
    table_.release(now, arrivals);
  }

  bool busy() const override { return !table_.idle(); }
  const NocStats& stats() const override { return stats_; }
  std::vector<LinkInfo> link_info() const override {
    std::vector<LinkInfo> out;
    for (size_t i = 0; i < links_.size(); ++i)
      out.push_back({dir_ == NocDirection::kDistribution ? "l2->pe" + std::to_string(i)
                                                         : "pe" + std::to_string(i) + "->l2",
                     links_[i].lanes()});
    return out;
  }
  void link_flits(std::vector<int64_t>& out) const override {
    out.clear();
    for (const Link& l : links_) out.push_back(l.total_flits());
  }

 private:
  struct Stream {
    int32_t slot;
    int64_t next, flits, elements, ready;
  };

  // The L2 side moves `l2_port` elements per cycle on average: a flit may start while budget is
  // left in this cycle; one larger than the rest borrows from the next cycles.
  bool l2_budget(int64_t n, bool& limited) {
    if (!port_) return true;
    if (budget_ <= 0) {
      limited = true;
      return false;
    }
    budget_ -= n;
    return true;
  }

  bool distribute(int64_t now) {
    bool moved = false, limited = false;
    const size_t count = streams_.size();
    const size_t start = count ? rr_++ % count : 0;
    std::vector<size_t> finished;
    for (size_t k = 0; k < count; ++k) {
      const size_t i = (start + k) % count;
      Stream& st = streams_[i];
      if (st.ready > now) continue;
      const auto& dests = table_.pes(st.slot);
      size_t busy = 0;
      for (int32_t d : dests) busy += sent_[d] == now ? 1 : 0;
      if (busy > 0) {  // a fork stall: some outputs were free, the flit needs all of them
        if (busy < dests.size()) ++stats_.fork_stalls;
        continue;
      }
      const int64_t n = flit_size(st.elements, bw_, st.next);
      if (!l2_budget(n, limited)) continue;
      for (int32_t d : dests) {  // one transfer to every destination's output
        sent_[d] = now;
        links_[d].take(now, n, stats_);
        table_.deliver(st.slot, now + hop_);
      }
      moved = true;
      if (++st.next == st.flits) finished.push_back(i);
    }
    std::sort(finished.begin(), finished.end());
    for (size_t j = finished.size(); j-- > 0;)
      streams_.erase(streams_.begin() + static_cast<std::ptrdiff_t>(finished[j]));
    if (limited) ++stats_.port_limited_cycles;
    return moved;
  }

  bool collect(int64_t now) {
    if (queued_ == 0) return false;
    bool moved = false, limited = false;
    const int64_t start = rr_++ % pes_;
    for (int64_t k = 0; k < pes_; ++k) {
      const int64_t p = (start + k) % pes_;
      if (ni_[p].empty() || sent_[p] == now || ni_[p].front().ready > now) continue;
      const Flit f = ni_[p].front();
      const auto& srcs = table_.pes(f.slot);
      bool together = true;  // flit f at the head of every source, none of them busy this cycle
      for (int32_t s : srcs)
        together = together && sent_[s] != now && !ni_[s].empty() &&
                   ni_[s].front().slot == f.slot && ni_[s].front().index == f.index &&
                   ni_[s].front().ready <= now;
      if (!together) {
        ++stats_.reduction_waits;
        continue;
      }
      if (!l2_budget(f.elements, limited)) continue;
      for (int32_t s : srcs) {
        ni_[s].pop_front();
        sent_[s] = now;
        links_[s].take(now, f.elements, stats_);
        --queued_;
      }
      table_.deliver(f.slot, now + hop_);  // summed at the L2 port: one delivery
      moved = true;
    }
    if (limited) ++stats_.port_limited_cycles;
    return moved;
  }

  int64_t pes_;
  NocDirection dir_;
  std::optional<int64_t> bw_, port_;
  int64_t hop_, last_ = -1, budget_ = 0, queued_ = 0;
  uint64_t rr_ = 0;
  std::vector<Link> links_;     // PE output links (distribution) or input links (collection)
  std::vector<int64_t> sent_;   // last cycle each PE's link carried a flit
  std::deque<Stream> streams_;  // distribution: packets waiting at L2, in injection order
  std::vector<std::deque<Flit>> ni_;  // collection: PE network interfaces
  PacketTable table_;
  NocStats stats_;
};

}  // namespace
}  // namespace flitnet

std::unique_ptr<Topology> make_crossbar(const NocSpec& s, int64_t pes, NocDirection dir,
                                        std::optional<int64_t> l2_port) {
  return std::make_unique<flitnet::Crossbar>(s, pes, dir, l2_port);
}

}  // namespace baton
