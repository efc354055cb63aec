// Internal: `mesh` topology class (see mesh.cpp). `mesh`: 2D mesh, flit-level, one router per PE (PE p at row p / cols, column p % cols; the
// most-square factorisation rows × cols of the PE count). L2 attaches to every router of the
// west column through one port each (rows ports: a distribution packet enters at the row of its
// first destination; collection flits go west along their row into L2). Links carry one flit of `bandwidth` elements per cycle (unlimited
// bandwidth: one flit per packet) and take max(hop_latency, 1) cycles. Routers have
// `buffer_depth` flits of input buffer per port with credit back-pressure and round-robin
// arbitration between inputs per cycle. Distribution: XY routing; a multicast flit is replicated
// where its destinations' routes part, and leaves only when every branch can take it
// (synchronous fork). Collection: every source PE sends its own flits west then north to L2,
// where partial sums are reduced (no reduction inside the mesh). Distribution routes away from
// and collection towards the west edge in dimension order: acyclic channel graphs, deadlock-free.
#pragma once

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>

#include "registry.h"

namespace baton::detail {

enum Port { kLocal = 0, kNorth, kSouth, kEast, kWest, kL2, kPorts };

struct Flit {
  int64_t packet = 0, elements = 0, ready = 0;
  std::vector<int32_t> dests;  // distribution: destination PEs still to reach via this copy
};

class Mesh : public Topology {
 public:
  Mesh(const NocSpec& s, int64_t pes, NocDirection dir)
      : pes_(std::max<int64_t>(pes, 1)), dir_(dir), bw_(s.bandwidth_elems_per_cycle),
        hop_(std::max<int64_t>(s.hop_latency_cycles, 1)),
        depth_(std::max<int64_t>(s.buffer_depth_flits, 1)) {
    rows_ = 1;
    for (int64_t r = 1; r * r <= pes_; ++r)
      if (pes_ % r == 0) rows_ = r;
    cols_ = pes_ / rows_;
    buf_.resize(pes_);
    rr_.assign(pes_ * kPorts, 0);
    link_flits_.assign(pes_ * kPorts, 0);
    stats_.links = 2 * (rows_ * (cols_ - 1) + cols_ * (rows_ - 1));
    ni_.resize(pes_);
    l2q_.resize(rows_);
    load_.assign(pes_, 0);
  }
  std::string name() const override { return "mesh"; }

  void inject(const NocPacket& packet, int64_t now) override {
    NocPacket p = packet;  // a PE listed twice is one endpoint
    std::sort(p.pes.begin(), p.pes.end());
    p.pes.erase(std::unique(p.pes.begin(), p.pes.end()), p.pes.end());
    ++stats_.packets;
    stats_.elements += p.elements;
    if (p.elements == 0 || p.pes.empty()) {
      pending_.push_back({p.id, now + hop_});
      return;
    }
    const int64_t flits = bw_ ? (p.elements + *bw_ - 1) / *bw_ : 1;
    queued_ += flits * (dir_ == NocDirection::kDistribution ? 1 : static_cast<int64_t>(p.pes.size()));
    remaining_[p.id] = flits * static_cast<int64_t>(p.pes.size());
    for (int64_t f = 0; f < flits; ++f) {
      const int64_t n = bw_ ? std::min(*bw_, p.elements - f * *bw_) : p.elements;
      if (dir_ == NocDirection::kDistribution) {
        l2q_[row(p.pes.front())].push_back(Flit{p.id, n, now, p.pes});
      } else {
        for (int32_t src : p.pes) ni_[src].push_back(Flit{p.id, n, now, {}});
      }
    }
  }

  void advance(int64_t now, std::vector<NocArrival>& arrivals) override;
  bool busy() const override { return work_ > 0 || queued_ > 0 || !pending_.empty(); }
  const NocStats& stats() const override { return stats_; }
  // Links: every router's output ports (docs/NOC.md "Links"), router-major.
  std::vector<LinkInfo> link_info() const override {
    static const char* const kNames[kPorts] = {"local", "north", "south", "east", "west", "l2"};
    std::vector<LinkInfo> out;
    for (int64_t n = 0; n < pes_; ++n)
      for (int p = 0; p < kPorts; ++p)
        out.push_back({"r" + std::to_string(row(n)) + "c" + std::to_string(col(n)) + "." + kNames[p], 1});
    return out;
  }
  void link_flits(std::vector<int64_t>& out) const override { out = link_flits_; }

 private:
  int32_t row(int64_t n) const { return static_cast<int32_t>(n / cols_); }
  int32_t col(int64_t n) const { return static_cast<int32_t>(n % cols_); }
  int64_t neighbour(int64_t n, int port) const {
    switch (port) {
      case kNorth: return n - cols_;
      case kSouth: return n + cols_;
      case kEast: return n + 1;
      case kWest: return n - 1;
      default: return n;
    }
  }
  static int opposite(int port) {
    return port == kNorth ? kSouth : port == kSouth ? kNorth : port == kEast ? kWest : kEast;
  }
  // Output ports of a flit at router n with its destinations split per port.
  std::map<int, std::vector<int32_t>> routes(int64_t n, const Flit& f) const;
  void deliver(int64_t packet, int64_t now);

  int64_t pes_;
  NocDirection dir_;
  std::optional<int64_t> bw_;
  int64_t hop_, depth_, rows_ = 1, cols_ = 1, last_ = -1, work_ = 0;
  std::vector<std::array<std::deque<Flit>, kPorts>> buf_;  // [router][input port]
  std::vector<int> rr_;                                    // round-robin pointer per output
  std::vector<int64_t> link_flits_;
  std::vector<std::deque<Flit>> l2q_;   // L2's source queue per west-edge port (distribution)
  std::vector<int64_t> load_;           // flits buffered per router (routers at 0 are skipped)
  int64_t queued_ = 0;                  // flits waiting in L2 / PE source queues
  std::vector<std::deque<Flit>> ni_;    // PE network interfaces (collection)
  std::map<int64_t, int64_t> remaining_;  // packet -> flit deliveries still due
  std::deque<NocArrival> pending_;
  NocStats stats_;
};

}  // namespace baton::detail

