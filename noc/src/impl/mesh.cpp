// `mesh` topology: routing, arbitration and the per-cycle step (class and geometry: mesh_impl.h;
// the batch replay cache: mesh_replay.cpp).
#include "mesh_impl.h"

namespace baton {
namespace detail {

Mesh::Mesh(const NocSpec& s, int64_t pes, NocDirection dir)
    : pes_(std::max<int64_t>(pes, 1)), dir_(dir), bw_(s.bandwidth_elems_per_cycle),
      hop_(std::max<int64_t>(s.hop_latency_cycles, 1)),
      depth_(std::max<int64_t>(s.buffer_depth_flits, 1)) {
  rows_ = 1;
  for (int64_t r = 1; r * r <= pes_; ++r)
    if (pes_ % r == 0) rows_ = r;
  cols_ = pes_ / rows_;
  buf_.init(pes_ * kPorts);
  rr_.assign(pes_, 0);
  link_flits_.assign(pes_ * kPorts, 0);
  batch_link_.assign(pes_ * kPorts, 0);
  rr_used_.assign(pes_, 0);
  stats_.links = 2 * (rows_ * (cols_ - 1) + cols_ * (rows_ - 1));
  if (dir_ == NocDirection::kCollection) ni_.resize(pes_);
  else l2q_.resize(rows_);
  load_.assign(pes_, 0);
  inputs_.assign(pes_, 0);
  active_.assign((pes_ + 63) / 64, 0);
  ni_active_.assign((pes_ + 63) / 64, 0);
  for (int r = 0; r < kPorts; ++r)
    for (int k = 0; k < kPorts; ++k) order_[r][k] = static_cast<uint8_t>((r + k) % kPorts);
  for (int port : {kNorth, kSouth, kEast, kWest})
    downstream_[port] = (neighbour(0, port) - 0) * kPorts + opposite(port);
}

// Marks the XY multicast tree of a distribution packet: at every router it reaches, the output
// ports its destinations' routes take (columns first, then rows, then eject). Walking back
// from each destination stops where an earlier destination's path already took the same port.
void Mesh::mark_tree(int32_t slot, const int32_t* pes, int64_t n) {
  MeshPacket& e = packets_[slot];
  uint8_t* mask = masks_.data() + slot * pes_;
  for (int32_t r : e.marked) mask[r] = 0;
  e.marked.clear();
  const int32_t r0 = row(pes[0]), source = static_cast<int32_t>(r0 * cols_);
  auto set = [&](int32_t at, int port) {
    uint8_t& m = mask[at];
    if (m == 0) e.marked.push_back(at);
    const bool had = m & (1u << port);
    m = static_cast<uint8_t>(m | (1u << port));
    return had;
  };
  for (int64_t i = 0; i < n; ++i) {
    int32_t cur = pes[i];
    set(cur, kLocal);
    while (cur != source) {
      const int32_t r = row(cur);
      int32_t pred;
      int port;
      if (r > r0) pred = static_cast<int32_t>(cur - cols_), port = kSouth;
      else if (r < r0) pred = static_cast<int32_t>(cur + cols_), port = kNorth;
      else pred = cur - 1, port = kEast;
      if (set(pred, port)) break;
      cur = pred;
    }
  }
}

// Puts a packet (its PEs sorted and distinct) into its source queues at cycle `now`.
void Mesh::place(int64_t id, int64_t elements, const int32_t* pes, int64_t n, int64_t now,
                 int32_t batch_index) {
  if (elements == 0 || n == 0) {
    pending_.push_back({{id, now + hop_}, batch_index});
    return;
  }
  const int64_t flits = bw_ ? (elements + *bw_ - 1) / *bw_ : 1;
  const bool dist = dir_ == NocDirection::kDistribution;
  queued_ += flits * (dist ? 1 : n);
  int32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<int32_t>(packets_.size());
    packets_.emplace_back();
    if (dist) masks_.resize(packets_.size() * pes_, 0);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  MeshPacket& e = packets_[slot];
  e.id = id, e.left = flits * n, e.batch_index = batch_index;
  if (dist) mark_tree(slot, pes, n);
  for (int64_t f = 0; f < flits; ++f) {
    const MeshFlit fl{slot, 0, bw_ ? std::min(*bw_, elements - f * *bw_) : elements, now};
    if (dist) {
      l2q_[row(pes[0])].push(fl);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        ni_[pes[i]].push(fl);
        ni_active_[pes[i] >> 6] |= uint64_t{1} << (pes[i] & 63);
      }
    }
  }
}

void Mesh::deliver(int32_t slot, int64_t cycle) {
  MeshPacket& e = packets_[slot];
  if (--e.left == 0) {
    pending_.push_back({{e.id, cycle}, e.batch_index});
    free_slots_.push_back(slot);
  }
}

void Mesh::release(int64_t now, std::vector<NocArrival>& out) {
  size_t keep = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const MeshPending& p = pending_[i];
    if (p.a.cycle <= now) {
      out.push_back(p.a);
      if (recording_) batch_arrivals_.push_back({p.batch_index, static_cast<int32_t>(p.a.cycle - t0_)});
    } else {
      pending_[keep++] = p;
    }
  }
  pending_.resize(keep);
}

void Mesh::step(int64_t now) {
  bool moved_any = false;
  const bool dist = dir_ == NocDirection::kDistribution;
  arriving_.clear();
  for (size_t w = 0; w < active_.size(); ++w) {
    for (uint64_t bits = active_[w]; bits; bits &= bits - 1) {  // routers with load, ascending
      const int64_t n = static_cast<int64_t>(w * 64) + __builtin_ctzll(bits);
      unsigned taken = 0;
      int ready = 0;
      // The inputs holding flits, in round-robin order from rr_[n]: bit k of `pending` is
      // input (rr_[n] + k) % kPorts.
      const unsigned rr = rr_[n], inputs = inputs_[n];
      for (unsigned pending = ((inputs >> rr) | (inputs << (kPorts - rr))) & ((1u << kPorts) - 1);
           pending; pending &= pending - 1) {
        const int in = order_[rr][__builtin_ctz(pending)];
        const size_t q = n * kPorts + in;
        if (buf_.front(q).ready >= now) continue;
        if (++ready == 2 && recording_) rr_used_[n] = 1;
        const MeshFlit f = buf_.front(q);
        const unsigned out =
            dist ? masks_[f.slot * pes_ + n] : (col(n) > 0 ? 1u << kWest : 1u << kL2);
        bool ok = (out & taken) == 0, credit = false;
        for (unsigned m = out & ~((1u << kLocal) | (1u << kL2)); m; m &= m - 1) {
          const int port = __builtin_ctz(m);
          if (buf_.size(n * kPorts + downstream_[port]) >= depth_) ok = false, credit = true;
        }
        if (!ok) {
          if (__builtin_popcount(out) > 1) ++stats_.fork_stalls;
          else if (credit) ++stats_.credit_stalls;
          continue;
        }
        buf_.pop(q);
        if (buf_.empty(q)) inputs_[n] = static_cast<uint8_t>(inputs_[n] & ~(1u << in));
        --work_;
        if (--load_[n] == 0) clear_active(n);
        moved_any = true;
        for (unsigned m = out; m; m &= m - 1) {
          const int port = __builtin_ctz(m);
          taken |= 1u << port;  // one flit per output link per cycle
          stats_.max_link_elems_per_cycle = std::max(stats_.max_link_elems_per_cycle, f.elements);
          const int64_t link = n * kPorts + port;
          ++link_flits_[link];  // (stats_.max_link_flits: settle())
          stats_.element_hops += f.elements;
          if (recording_) {
            batch_max_elems_ = std::max(batch_max_elems_, f.elements);
            if (batch_link_[link]++ == 0) batch_links_touched_.push_back(static_cast<int32_t>(link));
          }
          if (port == kLocal || port == kL2) {  // ejection: one delivery per copy
            deliver(f.slot, now + hop_ - 1);
            continue;
          }
          MeshFlit child = f;
          child.ready = now + hop_ - 1;
          arriving_.emplace_back(neighbour(n, port) * kPorts + opposite(port), child);
        }
      }
      rr_[n] = static_cast<uint8_t>((rr_[n] + 1) % kPorts);
    }
  }
  for (const auto& [slot, f] : arriving_) {
    buf_.push(slot, f);
    inputs_[slot / kPorts] = static_cast<uint8_t>(inputs_[slot / kPorts] | (1u << (slot % kPorts)));
    ++work_;
    if (load_[slot / kPorts]++ == 0) set_active(slot / kPorts);
  }
  // Sources feed their router's input port: L2 into the west column, each PE into its router.
  auto feed = [&](FlitRing& q, int64_t router, int port) {
    if (q.empty() || q.front().ready >= now) return;
    const size_t b = router * kPorts + port;
    if (buf_.size(b) >= depth_) {
      ++stats_.credit_stalls;
      return;
    }
    MeshFlit f = q.front();
    q.pop();
    f.ready = now;  // usable by the router from the next cycle
    buf_.push(b, f);
    inputs_[router] = static_cast<uint8_t>(inputs_[router] | (1u << port));
    ++work_, --queued_;
    if (load_[router]++ == 0) set_active(router);
    moved_any = true;
  };
  if (dist) {
    for (int64_t r = 0; r < rows_; ++r) feed(l2q_[r], r * cols_, kL2);
  } else {
    for (size_t w = 0; w < ni_active_.size(); ++w) {
      for (uint64_t bits = ni_active_[w]; bits; bits &= bits - 1) {
        const int64_t p = static_cast<int64_t>(w * 64) + __builtin_ctzll(bits);
        feed(ni_[p], p, kLocal);
        if (ni_[p].empty()) ni_active_[w] &= ~(uint64_t{1} << (p & 63));
      }
    }
  }
  if (moved_any) ++stats_.busy_cycles;
}

}  // namespace detail

// The mesh's L2 ports (one per row) take one flit per cycle each; `l2_port` is not applied.
std::unique_ptr<Topology> make_mesh(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t>) {
  return std::make_unique<detail::Mesh>(s, pes, dir);
}

}  // namespace baton
