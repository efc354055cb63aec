// `mesh` topology: injection, advance and the batch replay cache (docs/PERFORMANCE.md
// "Simulator"; class: mesh_impl.h, the per-cycle step: mesh.cpp).
//
// A batch is the packets injected in one cycle T0 into an idle network (the simulator's
// controller injects each slot's packets so and waits for them to arrive). Its evolution is a
// function of its packets (sizes, PE sets, order) and of the only state an idle network keeps
// that influences timing: the routers' round-robin pointers (buffers and queues are empty).
// It is stepped at every cycle T0+1, T0+2, … until its last packet is released (the simulator
// steps the network every cycle while it is busy). The first time, the batch is simulated and
// recorded: the arrivals in release order with their cycle offsets, the round-robin pointers
// after it, the statistics deltas and the flits per link. A batch with the same key replays the
// record: exactly what simulation would give. If anything breaks the pattern (a packet injected
// while the batch is in flight, a cycle not stepped), a replay is undone and the batch
// re-simulated from T0 up to the current cycle; a recording is dropped.
#include "mesh_impl.h"

namespace baton {
namespace detail {
namespace {
constexpr int64_t kCacheBytes = int64_t{96} << 20;  // per network; the cache restarts past this
}

void Mesh::inject(const NocPacket& packet, int64_t now) {
  std::vector<int32_t>& pes = scratch_pes_;  // a PE listed twice is one endpoint
  pes.assign(packet.pes.begin(), packet.pes.end());
  if (!std::is_sorted(pes.begin(), pes.end())) std::sort(pes.begin(), pes.end());
  pes.erase(std::unique(pes.begin(), pes.end()), pes.end());
  if (replaying_) abandon_replay();
  if (recording_) stop_recording();
  ++stats_.packets;
  stats_.elements += packet.elements;
  if (batch_open_ && now != t0_) place_batch(-1);
  if (!batch_open_ && !busy()) {
    batch_open_ = true, t0_ = now;
    batch_.ids.clear(), batch_.elements.clear(), batch_.pes.clear();
    batch_.pe_begin.assign(1, 0);
  }
  if (batch_open_) {
    batch_.ids.push_back(packet.id);
    batch_.elements.push_back(packet.elements);
    batch_.pes.insert(batch_.pes.end(), pes.begin(), pes.end());
    batch_.pe_begin.push_back(static_cast<int32_t>(batch_.pes.size()));
    return;
  }
  place(packet.id, packet.elements, pes.data(), static_cast<int64_t>(pes.size()), now, -1);
}

// Puts the open batch's packets into the network at t0_; `recorded` >= 0: as batch indices.
void Mesh::place_batch(int32_t recorded) {
  batch_open_ = false;
  for (size_t i = 0; i < batch_.ids.size(); ++i)
    place(batch_.ids[i], batch_.elements[i], batch_.pes.data() + batch_.pe_begin[i],
          batch_.pe_begin[i + 1] - batch_.pe_begin[i], t0_,
          recorded >= 0 ? static_cast<int32_t>(i) : -1);
}

void Mesh::seal(int64_t now) {
  if (now > t0_ + 1) {  // the cycles after T0 were not all stepped: plain simulation
    place_batch(-1);
    return;
  }
  key_.clear();
  for (size_t i = 0; i < batch_.ids.size(); ++i) {
    const int64_t n = batch_.pe_begin[i + 1] - batch_.pe_begin[i];
    key_.append(reinterpret_cast<const char*>(&batch_.elements[i]), sizeof(int64_t));
    key_.append(reinterpret_cast<const char*>(&n), sizeof(int64_t));
    key_.append(reinterpret_cast<const char*>(batch_.pes.data() + batch_.pe_begin[i]),
                n * sizeof(int32_t));
  }
  stats_before_ = stats_;
  rr_before_ = rr_;
  last_ = std::max(last_, t0_);  // stepping T0 itself moves nothing: every flit is ready at T0
  const Entry* hit = nullptr;
  const auto it = cache_.find(key_);
  if (it != cache_.end()) {
    for (const Entry& e : it->second) {
      bool match = true;
      for (const auto& [router, rr] : e.rr_used) match = match && rr_[router] == rr;
      if (match) {
        hit = &e;
        break;
      }
    }
  }
  if (!hit) {  // simulate and record
    recording_ = true;
    record_key_.swap(key_);
    batch_max_elems_ = 0;
    batch_arrivals_.clear();
    place_batch(0);
    return;
  }
  batch_open_ = false;
  apply(*hit, +1);
  replaying_ = hit;
  replay_.clear();
  replay_pos_ = 0;
  for (const auto& [index, offset] : hit->arrivals)
    replay_.push_back({batch_.ids[index], t0_ + offset});
}

// Adds (sign +1) or takes back (−1) a record's effects on the statistics and round-robin state.
void Mesh::apply(const Entry& e, int sign) {
  if (sign < 0) {
    stats_ = stats_before_;
    rr_ = rr_before_;
    for (const auto& [link, flits] : e.links) link_flits_[link] -= flits;
    return;
  }
  stats_.busy_cycles += e.busy;
  stats_.element_hops += e.hops;
  stats_.fork_stalls += e.forks;
  stats_.credit_stalls += e.credits;
  stats_.max_link_elems_per_cycle = std::max(stats_.max_link_elems_per_cycle, e.max_elems);
  for (const auto& [link, flits] : e.links)
    stats_.max_link_flits = std::max(stats_.max_link_flits, link_flits_[link] += flits);
  for (const auto& [router, k] : e.rr_step) rr_[router] = static_cast<uint8_t>((rr_[router] + k) % kPorts);
}

// Undoes a replay in progress and simulates its batch from T0 to the last cycle stepped; the
// arrivals already released are not released again.
void Mesh::abandon_replay() {
  apply(*replaying_, -1);
  replaying_ = nullptr;
  replay_.clear();
  replay_pos_ = 0;
  place_batch(-1);
  for (int64_t t = t0_ + 1; t <= last_; ++t) step(t);
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                [&](const MeshPending& p) { return p.a.cycle <= last_; }),
                 pending_.end());
}

void Mesh::stop_recording() {
  recording_ = false;
  std::fill(rr_used_.begin(), rr_used_.end(), 0);
  for (int32_t l : batch_links_touched_) batch_link_[l] = 0;
  batch_links_touched_.clear();
}

void Mesh::finish_record() {
  Entry e;
  for (int32_t n = 0; n < pes_; ++n) {
    if (rr_used_[n]) e.rr_used.push_back({n, rr_before_[n]}), rr_used_[n] = 0;
    if (rr_[n] != rr_before_[n])
      e.rr_step.push_back({n, static_cast<uint8_t>((rr_[n] + kPorts - rr_before_[n]) % kPorts)});
  }
  e.busy = stats_.busy_cycles - stats_before_.busy_cycles;
  e.hops = stats_.element_hops - stats_before_.element_hops;
  e.forks = stats_.fork_stalls - stats_before_.fork_stalls;
  e.credits = stats_.credit_stalls - stats_before_.credit_stalls;
  e.max_elems = batch_max_elems_;
  e.links.reserve(batch_links_touched_.size());
  for (int32_t l : batch_links_touched_) e.links.push_back({l, batch_link_[l]});
  e.arrivals = batch_arrivals_;
  stop_recording();
  const int64_t bytes = static_cast<int64_t>(
      2 * record_key_.size() + 8 * (e.rr_used.size() + e.rr_step.size() + e.links.size() +
                                    e.arrivals.size()) + 128);
  if (cache_bytes_ + bytes > kCacheBytes) cache_.clear(), cache_bytes_ = 0;
  cache_bytes_ += bytes;
  auto& variants = cache_[std::move(record_key_)];
  if (variants.size() >= 64) variants.clear();  // (bounded lookups; deterministic)
  variants.push_back(std::move(e));
  record_key_.clear();
}

void Mesh::advance(int64_t now, std::vector<NocArrival>& arrivals) {
  if (batch_open_) seal(now);
  if (now > last_) {
    if (now != last_ + 1) {
      if (replaying_) abandon_replay();
      if (recording_) stop_recording();
    }
    last_ = now;
    if (!replaying_) step(now);
  }
  release(now, arrivals);
  if (replaying_) {
    while (replay_pos_ < replay_.size() && replay_[replay_pos_].cycle <= now)
      arrivals.push_back(replay_[replay_pos_++]);
    if (replay_pos_ == replay_.size()) replaying_ = nullptr, replay_.clear(), replay_pos_ = 0;
  }
  if (recording_ && !busy()) finish_record();
}

}  // namespace detail
}  // namespace baton
