// `bus`: one shared link of `bandwidth` elements/cycle, FIFO, a multicast is one transfer; every
// packet arrives hop_latency cycles after its last element moved (see topology.h).
#include <deque>
#include <optional>

#include "registry.h"

namespace baton {
namespace {

class Bus : public Topology {
 public:
  Bus(const NocSpec& s, std::optional<int64_t> port)
      : link_(s.bandwidth_elems_per_cycle), port_(port), hop_(s.hop_latency_cycles) {
    // Elements per cycle: the narrower of the link and the L2 port (nullopt: unlimited).
    if (link_ && port_) bw_ = std::min(*link_, *port_);
    else bw_ = link_ ? link_ : port_;
  }
  std::string name() const override { return "bus"; }

  void inject(const NocPacket& p, int64_t now) override {
    ++stats_.packets;
    stats_.elements += p.elements;
    stats_.element_hops += p.elements * p.endpoints;
    if (!bw_ || p.elements == 0) {  // unlimited: moves at injection
      pending_.push_back({p.id, now + hop_});
      return;
    }
    queue_.push_back({p.id, p.elements, now});
  }

  void advance(int64_t now, std::vector<NocArrival>& arrivals) override {
    // Packets injected at cycle T0 move from cycle T0+1 on (FIFO, `bandwidth` per cycle).
    if (now > last_ && !queue_.empty() && queue_.front().injected < now) {
      int64_t budget = *bw_;
      ++stats_.busy_cycles;
      if (port_ && (!link_ || *port_ < *link_)) {  // would the link alone have moved more?
        int64_t ready = 0;
        for (const Item& it : queue_) {
          if (it.injected >= now || ready > *port_) break;
          ready += it.left;
        }
        if (ready > *port_) ++stats_.port_limited_cycles;
      }
      while (budget > 0 && !queue_.empty() && queue_.front().injected < now) {
        Item& head = queue_.front();
        const int64_t moved = std::min(budget, head.left);
        head.left -= moved;
        budget -= moved;
        if (head.left == 0) {
          pending_.push_back({head.id, now + hop_});
          queue_.pop_front();
        }
      }
      stats_.max_link_elems_per_cycle =
          std::max(stats_.max_link_elems_per_cycle, *bw_ - budget);
      stats_.queued_cycles += static_cast<int64_t>(queue_.size());
    }
    last_ = now;
    release_arrivals(pending_, now, arrivals);
  }

  bool busy() const override { return !queue_.empty() || !pending_.empty(); }
  const NocStats& stats() const override { return stats_; }
  std::vector<LinkInfo> link_info() const override { return {LinkInfo{"bus", 1}}; }
  void link_flits(std::vector<int64_t>& out) const override { out.assign(1, stats_.busy_cycles); }

 private:
  struct Item {
    int64_t id, left, injected;
  };
  std::optional<int64_t> link_, port_, bw_;
  int64_t hop_;
  int64_t last_ = -1;
  std::deque<Item> queue_;
  std::deque<NocArrival> pending_;
  NocStats stats_;
};

}  // namespace

std::unique_ptr<Topology> make_bus(const NocSpec& s, int64_t, NocDirection,
                                   std::optional<int64_t> l2_port) {
  return std::make_unique<Bus>(s, l2_port);
}

}  // namespace baton
