// Test-only: the original `mesh` topology (noc/src/impl/mesh.cpp and mesh_impl.h at commit
// 6a6b5bf, before the allocation-free rewrite and the batch replay cache), kept verbatim apart
// from its name, as the reference the optimised mesh is compared against flit for flit
// (mesh_reference_test.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>

#include "baton/noc/topology.h"

namespace baton::test::reference {

inline void release_arrivals(std::deque<NocArrival>& pending, int64_t now,
                             std::vector<NocArrival>& out) {
  for (auto it = pending.begin(); it != pending.end();) {
    if (it->cycle <= now) {
      out.push_back(*it);
      it = pending.erase(it);
    } else {
      ++it;
    }
  }
}


enum Port { kLocal = 0, kNorth, kSouth, kEast, kWest, kL2, kPorts };

struct Flit {
  int64_t packet = 0, elements = 0, ready = 0;
  std::vector<int32_t> dests;  // distribution: destination PEs still to reach via this copy
};

class ReferenceMesh : public Topology {
 public:
  ReferenceMesh(const NocSpec& s, int64_t pes, NocDirection dir)
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
  // Links are not part of the reference (the copy predates Topology::link_info); its flits per
  // link ([router * kPorts + port], the optimised mesh's order) are exposed for comparison.
  std::vector<LinkInfo> link_info() const override { return {}; }
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



inline std::map<int, std::vector<int32_t>> ReferenceMesh::routes(int64_t n, const Flit& f) const {
  std::map<int, std::vector<int32_t>> out;
  if (dir_ == NocDirection::kCollection) {  // west along the row, then into L2
    out[col(n) > 0 ? kWest : kL2];
    return out;
  }
  for (int32_t d : f.dests) {  // XY: columns first, then rows, then eject
    const int port = col(d) > col(n)   ? kEast
                     : col(d) < col(n) ? kWest
                     : row(d) > row(n) ? kSouth
                     : row(d) < row(n) ? kNorth
                                       : kLocal;
    out[port].push_back(d);
  }
  return out;
}

inline void ReferenceMesh::deliver(int64_t packet, int64_t now) {
  auto it = remaining_.find(packet);
  if (it != remaining_.end() && --it->second == 0) {
    pending_.push_back({packet, now});
    remaining_.erase(it);
  }
}

inline void ReferenceMesh::advance(int64_t now, std::vector<NocArrival>& arrivals) {
  if (now > last_) {
    last_ = now;
    bool moved_any = false;
    // Sources feed their router's input port: L2 into router 0, each PE into its router.
    auto feed = [&](std::deque<Flit>& q, int64_t router, int port) {
      if (q.empty() || q.front().ready >= now) return;
      if (static_cast<int64_t>(buf_[router][port].size()) >= depth_) {
        ++stats_.credit_stalls;
        return;
      }
      Flit f = std::move(q.front());
      q.pop_front();
      f.ready = now;  // usable by the router from the next cycle
      buf_[router][port].push_back(std::move(f));
      ++work_, ++load_[router], --queued_;
      moved_any = true;
    };
    std::vector<std::pair<int64_t, Flit>> arriving;  // (router * kPorts + port, flit)
    for (int64_t n = 0; n < pes_; ++n) {
      if (load_[n] == 0) continue;
      std::array<bool, kPorts> taken{};
      for (int k = 0; k < kPorts; ++k) {
        const int in = (rr_[n * kPorts] + k) % kPorts;
        auto& q = buf_[n][in];
        if (q.empty() || q.front().ready >= now) continue;
        const auto out = routes(n, q.front());
        bool ok = true, credit = false;
        for (const auto& [port, dests] : out) {
          if (taken[port]) ok = false;
          if (port == kLocal || port == kL2) continue;
          const int64_t m = neighbour(n, port);
          if (static_cast<int64_t>(buf_[m][opposite(port)].size()) >= depth_)
            ok = false, credit = true;
        }
        if (!ok) {
          if (out.size() > 1) ++stats_.fork_stalls;
          else if (credit) ++stats_.credit_stalls;
          continue;
        }
        Flit f = std::move(q.front());
        q.pop_front();
        --work_, --load_[n];
        moved_any = true;
        for (const auto& [port, dests] : out) {
          taken[port] = true;  // one flit per output link per cycle
          stats_.max_link_elems_per_cycle =
              std::max(stats_.max_link_elems_per_cycle, f.elements);
          ++link_flits_[n * kPorts + port];
          stats_.max_link_flits = std::max(stats_.max_link_flits, link_flits_[n * kPorts + port]);
          if (port == kLocal || port == kL2) {  // ejection: one delivery per copy
            stats_.element_hops += f.elements;
            deliver(f.packet, now + hop_ - 1);
            continue;
          }
          stats_.element_hops += f.elements;
          Flit child{f.packet, f.elements, now + hop_ - 1, dests};
          arriving.emplace_back(neighbour(n, port) * kPorts + opposite(port), std::move(child));
        }
      }
      rr_[n * kPorts] = (rr_[n * kPorts] + 1) % kPorts;
    }
    for (auto& [slot, f] : arriving) {
      buf_[slot / kPorts][slot % kPorts].push_back(std::move(f));
      ++work_, ++load_[slot / kPorts];
    }
    for (int64_t r = 0; r < rows_ && dir_ == NocDirection::kDistribution; ++r)
      feed(l2q_[r], r * cols_, kL2);
    for (int64_t p = 0; p < pes_ && dir_ == NocDirection::kCollection; ++p)
      feed(ni_[p], p, kLocal);
    if (moved_any) ++stats_.busy_cycles;
  }
  release_arrivals(pending_, now, arrivals);
}

}  // namespace baton::test::reference
