// `mesh` topology: routing, arbitration and the per-cycle step (class and geometry: mesh_impl.h).
#include "mesh_impl.h"

namespace baton {
namespace detail {

std::map<int, std::vector<int32_t>> Mesh::routes(int64_t n, const Flit& f) const {
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

void Mesh::deliver(int64_t packet, int64_t now) {
  auto it = remaining_.find(packet);
  if (it != remaining_.end() && --it->second == 0) {
    pending_.push_back({packet, now});
    remaining_.erase(it);
  }
}

void Mesh::advance(int64_t now, std::vector<NocArrival>& arrivals) {
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

}  // namespace detail

// The mesh's L2 ports (one per row) take one flit per cycle each; `l2_port` is not applied.
std::unique_ptr<Topology> make_mesh(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t>) {
  return std::make_unique<detail::Mesh>(s, pes, dir);
}

}  // namespace baton
