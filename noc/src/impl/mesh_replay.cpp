// `mesh` topology: injection, advance and the batch replay cache (docs/PERFORMANCE.md
// "Simulator"; class: mesh_impl.h, the per-cycle step: mesh.cpp).
//
// A batch is the packets injected in one cycle T0 into an idle network (the simulator's
// controller injects each slot's packets so and waits for them to arrive). Its evolution is a
// function of its packets (sizes, PE sets, order) and of the only state an idle network keeps
// that influences timing: the routers' round-robin pointers (buffers and queues are empty).
// It is stepped at every cycle T0+1, T0+2, … until its last packet is released. The first
// time, the batch is simulated and recorded: the arrivals in release order with their cycle
// offsets, the round-robin pointer steps, the statistics deltas and the flits per link. A batch
// with the same packets, under pointers equal at the routers that decided something in that
// record, replays it: exactly what simulation would give. Records are found by packets, then per
// set of deciding routers by those routers' pointers (hashed: a layer's batches recur under
// thousands of pointer states). While replaying, the batch's future is known up to its last
// arrival (known_until): the simulator need not advance the cycles in between. If anything
// breaks the pattern (a packet injected while the batch is in flight), a replay is undone and
// the batch re-simulated from T0 up to the current cycle; a recording is dropped (also when a
// cycle is not stepped).
#include "mesh_impl.h"

namespace baton {
namespace detail {
namespace {
constexpr int64_t kCacheBytes = int64_t{96} << 20;  // per network; the cache restarts past this
constexpr size_t kShapesTried = 8;   // deciding-router sets looked up per batch (hits first)
constexpr size_t kRecentGroups = 4;  // batch groups compared before a key is hashed
}

void Mesh::inject(const NocPacket& packet, int64_t now) {
  // A PE listed twice is one endpoint: the PEs sorted and distinct.
  const std::vector<int32_t>* pes = &packet.pes;
  if (std::adjacent_find(pes->begin(), pes->end(), std::greater_equal<int32_t>()) != pes->end()) {
    scratch_pes_.assign(packet.pes.begin(), packet.pes.end());
    std::sort(scratch_pes_.begin(), scratch_pes_.end());
    scratch_pes_.erase(std::unique(scratch_pes_.begin(), scratch_pes_.end()), scratch_pes_.end());
    pes = &scratch_pes_;
  }
  if (replaying_) abandon_replay(now);
  if (recording_) stop_recording();
  ++stats_.packets;
  stats_.elements += packet.elements;
  if (batch_open_ && now != t0_) place_batch(key_, -1);
  if (!batch_open_ && !busy()) {
    batch_open_ = true, t0_ = now;
    batch_.ids.clear(), batch_.at.clear();
    key_.clear();
  }
  if (batch_open_) {
    const int64_t n = static_cast<int64_t>(pes->size());
    batch_.ids.push_back(packet.id);
    batch_.at.push_back(key_.size());
    key_.append(reinterpret_cast<const char*>(&packet.elements), sizeof(int64_t));
    key_.append(reinterpret_cast<const char*>(&n), sizeof(int64_t));
    if (n > 0) key_.append(reinterpret_cast<const char*>(pes->data()), n * sizeof(int32_t));
    return;
  }
  place(packet.id, packet.elements, pes->data(), static_cast<int64_t>(pes->size()), now, -1);
}

void Mesh::place_batch(const std::string& key, int32_t recorded) {
  batch_open_ = false;
  std::vector<int32_t> pes;
  for (size_t i = 0; i < batch_.ids.size(); ++i) {
    int64_t elements, n;
    std::memcpy(&elements, key.data() + batch_.at[i], sizeof(int64_t));
    std::memcpy(&n, key.data() + batch_.at[i] + sizeof(int64_t), sizeof(int64_t));
    pes.resize(static_cast<size_t>(n));
    if (n > 0)
      std::memcpy(pes.data(), key.data() + batch_.at[i] + 2 * sizeof(int64_t), n * sizeof(int32_t));
    place(batch_.ids[i], elements, pes.data(), n, t0_,
          recorded >= 0 ? static_cast<int32_t>(i) : -1);
  }
}

// The open batch's group, if recorded: one of the last few found (compared, not hashed: a layer's
// batches cycle through a few), else by hash.
Mesh::Group* Mesh::find_group() {
  for (size_t i = 0; i < recent_.size(); ++i) {
    if (*recent_[i].first != key_) continue;
    std::rotate(recent_.begin(), recent_.begin() + i, recent_.begin() + i + 1);
    return recent_.front().second;
  }
  const auto it = cache_.find(key_);
  if (it == cache_.end()) return nullptr;
  if (recent_.size() == kRecentGroups) recent_.pop_back();
  recent_.insert(recent_.begin(), {&it->first, &it->second});
  return &it->second;
}

void Mesh::seal(int64_t now) {
  // Plain simulation when the cycles after T0 were not all stepped or link flits are wanted
  // per cycle (a replay accounts them when it starts).
  if (now > t0_ + 1 || no_replay_) {
    place_batch(key_, -1);
    return;
  }
  stats_before_ = stats_;
  rr_before_ = rr_;
  last_ = std::max(last_, t0_);  // stepping T0 itself moves nothing: every flit is ready at T0
  const Entry* hit = nullptr;
  Group* group = find_group();
  if (group) {
    // Every pointer as before (one look-up: the pointer states recur), else by deciding routers.
    state_.assign(reinterpret_cast<const char*>(rr_.data()), rr_.size());
    const auto known = group->by_state.find(state_);
    if (known != group->by_state.end()) hit = known->second;
    std::vector<Shape>& shapes = group->shapes;
    for (size_t i = 0; i < std::min(shapes.size(), kShapesTried) && !hit; ++i) {
      pointers_.clear();
      for (int32_t router : shapes[i].routers) pointers_.push_back(static_cast<char>(rr_[router]));
      const auto e = shapes[i].entries.find(pointers_);
      if (e == shapes[i].entries.end()) continue;
      hit = &e->second;  // (stable: unordered_map nodes)
      if (i > 0) std::swap(shapes[i], shapes[i - 1]);  // shapes that hit often are tried first
      group->by_state.emplace(state_, hit);
      cache_bytes_ += static_cast<int64_t>(2 * state_.size() + 64);
    }
  }
  if (!hit) {  // simulate and record
    recording_ = true;
    record_key_.swap(key_);
    batch_max_elems_ = 0;
    batch_arrivals_.clear();
    place_batch(record_key_, 0);
    return;
  }
  batch_open_ = false;
  replaying_ = hit;
  replay_group_ = group;
  apply(+1);
  replay_.clear();
  replay_pos_ = 0;
  replay_end_ = t0_;
  for (const auto& [index, offset] : hit->arrivals) {
    replay_.push_back({batch_.ids[index], t0_ + offset});
    replay_end_ = std::max(replay_end_, t0_ + offset);
  }
}

// Adds (sign +1) or takes back (−1) the replayed record's effects on the statistics and the
// round-robin state.
void Mesh::apply(int sign) {
  const Entry& e = *replaying_;
  auto owed = std::find_if(owed_.begin(), owed_.end(),
                           [&](const auto& o) { return o.first == replay_group_; });
  if (owed == owed_.end()) owed = owed_.insert(owed_.end(), {replay_group_, 0});
  owed->second += sign;
  if (sign < 0) {
    stats_ = stats_before_;
    rr_ = rr_before_;
    return;
  }
  const Group& g = *replay_group_;
  stats_.busy_cycles += e.busy;
  stats_.element_hops += g.hops;
  stats_.fork_stalls += e.forks;
  stats_.credit_stalls += e.credits;
  stats_.max_link_elems_per_cycle = std::max(stats_.max_link_elems_per_cycle, g.max_elems);
  if (e.rr_step.empty()) return;
  static constexpr uint8_t kNext[2 * kPorts] = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5};
  for (size_t n = 0; n < e.rr_step.size(); ++n) rr_[n] = kNext[rr_[n] + e.rr_step[n]];
}

// Flits per link only grow: the busiest link's count is the largest now.
void Mesh::settle() const {
  for (const auto& [group, times] : owed_)
    for (const auto& [link, flits] : group->links) link_flits_[link] += times * flits;
  owed_.clear();
  stats_.max_link_flits = 0;
  for (int64_t f : link_flits_) stats_.max_link_flits = std::max(stats_.max_link_flits, f);
}

// Undoes a replay in progress, before cycle `now`, and simulates its batch from T0 to the last
// cycle advanced, or skipped by the caller up to the replay's end (known_until: they count as
// advanced); the arrivals released so far are not released again, the later ones are.
void Mesh::abandon_replay(int64_t now) {
  const int64_t upto = std::max(last_, std::min(now - 1, replay_end_));
  apply(-1);
  end_replay();
  place_batch(key_, -1);
  for (int64_t t = t0_ + 1; t <= upto; ++t) step(t);
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                [&](const MeshPending& p) { return p.a.cycle <= last_; }),
                 pending_.end());
  last_ = upto;
}

void Mesh::stop_recording() {
  recording_ = false;
  std::fill(rr_used_.begin(), rr_used_.end(), 0);
  for (int32_t l : batch_links_touched_) batch_link_[l] = 0;
  batch_links_touched_.clear();
}

void Mesh::finish_record() {
  Entry e;
  std::vector<int32_t> routers;
  std::string pointers;
  bool stepped = false;
  for (int32_t n = 0; n < pes_; ++n) {
    if (rr_used_[n]) routers.push_back(n), pointers.push_back(static_cast<char>(rr_before_[n]));
    stepped = stepped || rr_[n] != rr_before_[n];
  }
  if (stepped) {
    e.rr_step.resize(pes_);
    for (int32_t n = 0; n < pes_; ++n)
      e.rr_step[n] = static_cast<uint8_t>((rr_[n] + kPorts - rr_before_[n]) % kPorts);
  }
  e.busy = stats_.busy_cycles - stats_before_.busy_cycles;
  e.forks = stats_.fork_stalls - stats_before_.fork_stalls;
  e.credits = stats_.credit_stalls - stats_before_.credit_stalls;
  e.arrivals = batch_arrivals_;
  const int64_t hops = stats_.element_hops - stats_before_.element_hops;
  auto it = cache_.find(record_key_);
  if (it == cache_.end()) {
    if (cache_bytes_ + 2 * static_cast<int64_t>(record_key_.size()) > kCacheBytes)
      settle(), cache_.clear(), recent_.clear(), cache_bytes_ = 0;
    it = cache_.emplace(std::move(record_key_), Group{}).first;
    Group& g = it->second;
    g.links.reserve(batch_links_touched_.size());
    for (int32_t l : batch_links_touched_) g.links.push_back({l, batch_link_[l]});
    std::sort(g.links.begin(), g.links.end());
    g.hops = hops, g.max_elems = batch_max_elems_;
    cache_bytes_ += static_cast<int64_t>(2 * it->first.size() + 8 * g.links.size());
  }
  record_key_.clear();
  stop_recording();
  Group& g = it->second;
  // What the routes decide is the same in every record of the batch (flits per link included).
  if (g.hops != hops || g.max_elems != batch_max_elems_) return;  // (cannot happen)
  const int64_t bytes =
      static_cast<int64_t>(pointers.size() + e.rr_step.size() + 8 * e.arrivals.size() + 224 +
                           2 * rr_before_.size());
  if (cache_bytes_ + bytes > kCacheBytes) {  // restart the cache, this batch's group excepted
    settle();
    Group kept = std::move(g);
    std::string key = it->first;
    cache_.clear(), recent_.clear();
    kept.shapes.clear(), kept.by_state.clear();
    cache_bytes_ = static_cast<int64_t>(2 * key.size() + 8 * kept.links.size());
    it = cache_.emplace(std::move(key), std::move(kept)).first;
  }
  cache_bytes_ += bytes;
  std::vector<Shape>& shapes = it->second.shapes;
  auto shape = std::find_if(shapes.begin(), shapes.end(),
                            [&](const Shape& s) { return s.routers == routers; });
  if (shape == shapes.end()) {
    shapes.push_back(Shape{std::move(routers), {}});
    shape = shapes.end() - 1;
  }
  const Entry* entry = &shape->entries.emplace(std::move(pointers), std::move(e)).first->second;
  it->second.by_state.emplace(std::string(rr_before_.begin(), rr_before_.end()), entry);
}

void Mesh::advance(int64_t now, std::vector<NocArrival>& arrivals) {
  if (batch_open_) seal(now);
  if (now > last_) {
    // A cycle skipped breaks the batch pattern of a recording. Not of a replay: the cycles up to
    // its last arrival count as advanced (known_until), and nothing moves after it.
    if (now != last_ + 1 && recording_) stop_recording();
    last_ = now;
    if (!replaying_) step(now);
  }
  release(now, arrivals);
  if (replaying_) {
    while (replay_pos_ < replay_.size() && replay_[replay_pos_].cycle <= now)
      arrivals.push_back(replay_[replay_pos_++]);
    if (replay_pos_ == replay_.size()) end_replay();
  }
  if (recording_ && !busy()) finish_record();
}

}  // namespace detail
}  // namespace baton
