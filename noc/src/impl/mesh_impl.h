// Internal: `mesh` topology class (see mesh.cpp, mesh_replay.cpp). `mesh`: 2D mesh, flit-level,
// one router per PE (PE p at row p / cols, column p % cols; the most-square factorisation
// rows × cols of the PE count). L2 attaches to every router of the west column through one port
// each (rows ports: a distribution packet enters at the row of its first destination; collection
// flits go west along their row into L2). Links carry one flit of `bandwidth` elements per cycle
// (unlimited bandwidth: one flit per packet) and take max(hop_latency, 1) cycles. Routers have
// `buffer_depth` flits of input buffer per port with credit back-pressure and round-robin
// arbitration between inputs per cycle. Distribution: XY routing; a multicast flit is replicated
// where its destinations' routes part, and leaves only when every branch can take it
// (synchronous fork). Collection: every source PE sends its own flits west then north to L2,
// where partial sums are reduced (no reduction inside the mesh). Distribution routes away from
// and collection towards the west edge in dimension order: acyclic channel graphs, deadlock-free.
//
// Speed (docs/PERFORMANCE.md "Simulator"): no allocation per flit or hop — fixed-size flits in
// ring buffers, each packet's XY multicast tree precomputed once as an output-port mask per
// router (the XY tree reaches every router at most once), active routers as a bitset. And a
// replay cache of whole batches (mesh_replay.cpp): packets injected in one cycle into an idle
// network, with the same round-robin state, evolve identically, so a repeated batch replays its
// arrival offsets and statistics deltas instead of being simulated again (and its future is
// known up to its last arrival: known_until). Router input buffers share one array (FlitRings).
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "registry.h"

namespace baton::detail {

enum Port { kLocal = 0, kNorth, kSouth, kEast, kWest, kL2, kPorts };

struct MeshFlit {
  int32_t slot = 0;  // packet slot (MeshPacket)
  int32_t unused = 0;
  int64_t elements = 0, ready = 0;
};

// A FIFO of flits that only allocates when it grows past its largest size so far.
class FlitRing {
 public:
  bool empty() const { return size_ == 0; }
  int64_t size() const { return size_; }
  MeshFlit& front() { return v_[head_]; }
  void pop() { head_ = (head_ + 1) & (cap() - 1), --size_; }
  void push(const MeshFlit& f) {
    if (size_ == cap()) grow();
    v_[(head_ + size_++) & (cap() - 1)] = f;
  }

 private:
  int64_t cap() const { return static_cast<int64_t>(v_.size()); }
  void grow() {
    std::vector<MeshFlit> n(std::max<size_t>(4, 2 * v_.size()));
    for (int64_t i = 0; i < size_; ++i) n[i] = v_[(head_ + i) & (cap() - 1)];
    v_.swap(n), head_ = 0;
  }
  std::vector<MeshFlit> v_;
  int64_t head_ = 0, size_ = 0;
};

// The routers' input buffers: one FIFO per (router, port), all of one capacity (a power of two,
// doubled for all when one needs more; credits keep each within the buffer depth), in one array
// with compact sizes (the credit checks read them).
class FlitRings {
 public:
  void init(size_t n) {
    cap_ = 4;
    v_.assign(n * cap_, MeshFlit{});
    head_.assign(n, 0), size_.assign(n, 0);
  }
  bool empty(size_t i) const { return size_[i] == 0; }
  int64_t size(size_t i) const { return size_[i]; }
  MeshFlit& front(size_t i) { return v_[i * cap_ + head_[i]]; }
  void pop(size_t i) { head_[i] = (head_[i] + 1) & (cap_ - 1), --size_[i]; }
  void push(size_t i, const MeshFlit& f) {
    if (size_[i] == cap_) grow();
    v_[i * cap_ + ((head_[i] + size_[i]++) & (cap_ - 1))] = f;
  }

 private:
  __attribute__((noinline, cold)) void grow() {
    std::vector<MeshFlit> n(2 * v_.size());
    for (size_t i = 0; i < head_.size(); ++i)
      for (uint32_t k = 0; k < size_[i]; ++k)
        n[i * 2 * cap_ + k] = v_[i * cap_ + ((head_[i] + k) & (cap_ - 1))];
    v_.swap(n), cap_ *= 2;
    std::fill(head_.begin(), head_.end(), 0);
  }
  std::vector<MeshFlit> v_;
  std::vector<uint32_t> head_, size_;
  uint32_t cap_ = 4;
};

// A packet in flight: its deliveries still due (its multicast tree: Mesh::masks_).
struct MeshPacket {
  int64_t id = 0, left = 0;
  int32_t batch_index = -1;     // position in the batch being recorded (-1: none)
  std::vector<int32_t> marked;  // routers with a non-zero mask (Mesh::masks_; to clear on reuse)
};

struct MeshPending {
  NocArrival a;
  int32_t batch_index = -1;
};

class Mesh : public Topology {
 public:
  Mesh(const NocSpec& s, int64_t pes, NocDirection dir);
  std::string name() const override { return "mesh"; }
  void inject(const NocPacket& packet, int64_t now) override;
  void advance(int64_t now, std::vector<NocArrival>& arrivals) override;
  bool busy() const override {
    return work_ > 0 || queued_ > 0 || !pending_.empty() || replay_pos_ < replay_.size() ||
           batch_open_;
  }
  // While a batch replays, its future is known up to its last arrival.
  int64_t known_until(int64_t now) const override {
    return replaying_ ? std::max(now, replay_end_) : now;
  }
  // The per-link flits of replayed batches are added when asked for (settle()).
  const NocStats& stats() const override {
    settle();
    return stats_;
  }
  int64_t busy_cycles() const override { return stats_.busy_cycles; }
  // Links: every router's output ports (docs/NOC.md "Links"), router-major.
  std::vector<LinkInfo> link_info() const override {
    static const char* const kNames[kPorts] = {"local", "north", "south", "east", "west", "l2"};
    std::vector<LinkInfo> out;
    for (int64_t n = 0; n < pes_; ++n)
      for (int p = 0; p < kPorts; ++p)
        out.push_back({"r" + std::to_string(row(n)) + "c" + std::to_string(col(n)) + "." + kNames[p], 1});
    return out;
  }
  void count_link_flits_per_cycle() override { no_replay_ = true; }
  void link_flits(std::vector<int64_t>& out) const override {
    settle();
    out = link_flits_;
  }

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
  void set_active(int64_t n) { active_[n >> 6] |= uint64_t{1} << (n & 63); }
  void clear_active(int64_t n) { active_[n >> 6] &= ~(uint64_t{1} << (n & 63)); }

  // The simulation proper (mesh.cpp).
  void place(int64_t id, int64_t elements, const int32_t* pes, int64_t n, int64_t now,
             int32_t batch_index);
  void mark_tree(int32_t slot, const int32_t* pes, int64_t n);
  void step(int64_t now);
  void deliver(int32_t slot, int64_t cycle);
  void release(int64_t now, std::vector<NocArrival>& out);

  // The batch replay cache (mesh_replay.cpp).
  // A batch: packets injected in one cycle into an idle network. Its key (key_) holds every
  // packet's elements, PE count and sorted PEs (int64, int64, int32 × n) from offset at[i].
  struct Batch {
    std::vector<int64_t> ids;
    std::vector<size_t> at;
  };
  // A fast hash of a batch key (a few KB: four independent multiply-xor lanes of 8 bytes).
  struct KeyHash {
    size_t operator()(const std::string& k) const {
      uint64_t h[4] = {k.size(), 0x9e3779b97f4a7c15u, 0xc2b2ae3d27d4eb4fu, 0x165667b19e3779f9u};
      size_t i = 0;
      for (; i + 32 <= k.size(); i += 32) {
        uint64_t w[4];
        std::memcpy(w, k.data() + i, 32);
        for (int j = 0; j < 4; ++j) h[j] = (h[j] ^ w[j]) * 0xff51afd7ed558ccdu, h[j] ^= h[j] >> 31;
      }
      for (; i < k.size(); ++i) h[0] = (h[0] ^ static_cast<uint8_t>(k[i])) * 0x100000001b3u;
      return static_cast<size_t>((h[0] ^ (h[1] >> 1)) + (h[2] ^ (h[3] << 1)) * 0x9e3779b97f4a7c15u);
    }
  };
  struct Entry {  // one simulated batch under one round-robin state
    std::vector<uint8_t> rr_step;  // [router] pointer advance over the batch (empty: none)
    int64_t busy = 0, forks = 0, credits = 0;
    std::vector<std::pair<int32_t, int32_t>> arrivals;  // (batch index, cycle − T0), in order
  };
  // Entries whose deciding routers (two or more inputs ready in some cycle: the only ones whose
  // round-robin pointer could decide anything) are `routers`, by those routers' pointers at T0.
  // Elsewhere a pointer only advances by the router's busy cycles (Entry::rr_step).
  struct Shape {
    std::vector<int32_t> routers;
    std::unordered_map<std::string, Entry> entries;
  };
  struct Group {  // the records of one batch (its packets)
    // What only the routes decide (the same in every record): flits per link, element hops.
    std::vector<std::pair<int32_t, int32_t>> links;  // (router * kPorts + port, flits), sorted
    int64_t hops = 0, max_elems = 0;
    std::vector<Shape> shapes;
    std::unordered_map<std::string, const Entry*, KeyHash> by_state;  // all pointers -> a hit
  };
  // Simulates the open batch (its key: `key`) from t0_; recorded >= 0: with batch indices.
  void place_batch(const std::string& key, int32_t recorded);
  Group* find_group();
  void seal(int64_t now);
  void stop_recording();
  void finish_record();
  void abandon_replay(int64_t now);
  void apply(int sign);
  void settle() const;  // adds owed_ to link_flits_, sets stats_.max_link_flits
  void end_replay() {
    replaying_ = nullptr, replay_group_ = nullptr, replay_.clear(), replay_pos_ = 0;
  }

  int64_t pes_;
  NocDirection dir_;
  std::optional<int64_t> bw_;
  int64_t hop_, depth_, rows_ = 1, cols_ = 1, last_ = -1, work_ = 0;
  FlitRings buf_;                   // [router * kPorts + input port]
  std::vector<uint8_t> rr_;         // round-robin pointer per router
  // Flits per link [router * kPorts + output port] and the busiest one's (stats_), but for the
  // replays owed_: (batch, times replayed) whose flits per link are not added yet.
  mutable std::vector<int64_t> link_flits_;
  mutable std::vector<std::pair<const Group*, int64_t>> owed_;
  mutable NocStats stats_;
  std::vector<FlitRing> l2q_;       // L2's source queue per west-edge port (distribution)
  std::vector<FlitRing> ni_;        // PE network interfaces (collection)
  std::vector<int64_t> load_;       // flits buffered per router
  std::vector<uint64_t> active_, ni_active_;  // routers with load; PEs with a non-empty NI
  int64_t queued_ = 0;              // flits waiting in L2 / PE source queues
  std::vector<MeshPacket> packets_;
  std::vector<uint8_t> masks_;      // [slot * pes_ + router] output ports of its (XY) tree
  std::vector<uint8_t> inputs_;     // [router] bit per input port with a flit buffered
  std::vector<int32_t> free_slots_;
  std::vector<MeshPending> pending_;
  std::vector<std::pair<int64_t, MeshFlit>> arriving_;  // scratch of step()
  std::vector<int32_t> scratch_pes_;
  std::array<std::array<uint8_t, kPorts>, kPorts> order_{};  // [rr][k] = input considered k-th
  std::array<int64_t, kPorts> downstream_{};  // [output port] next input buffer − n·kPorts

  // Replay cache state.
  Batch batch_;
  bool batch_open_ = false, no_replay_ = false;
  int64_t t0_ = 0;
  std::unordered_map<std::string, Group, KeyHash> cache_;  // packets -> records
  std::vector<std::pair<const std::string*, Group*>> recent_;  // groups last found, latest first
  int64_t cache_bytes_ = 0;
  std::string key_, pointers_, state_;
  // Recording (a simulated batch): its key, starting statistics and per-link flits.
  bool recording_ = false;
  std::string record_key_;
  NocStats stats_before_;
  std::vector<uint8_t> rr_before_, rr_used_;  // pointers at T0; routers whose pointer decided
  int64_t batch_max_elems_ = 0;
  std::vector<int32_t> batch_link_, batch_links_touched_;
  std::vector<std::pair<int32_t, int32_t>> batch_arrivals_;
  // Replaying: the entry's arrivals (ids from batch_), released in order; the last one's cycle.
  const Entry* replaying_ = nullptr;
  const Group* replay_group_ = nullptr;
  std::vector<NocArrival> replay_;
  size_t replay_pos_ = 0;
  int64_t replay_end_ = 0;
};

}  // namespace baton::detail
