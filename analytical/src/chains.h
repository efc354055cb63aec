// Internal: per-dimension loop chains of a Schedule, enumerated per unit combination.
//
// A dimension's chain is the list of loops on it in global loop order. Its unit combinations are
// the unit indices of the levels whose spatial loop is on it. For each unit combination the
// chain's *active* index tuples (those where the unit's tile along the dimension is non-empty)
// are listed in lexicographic (= step) order with the unit's range. docs/ANALYTICAL.md explains
// why the model can work per dimension.
//
// Sparse chains (built with a TopPlan) list only the tuples under some indices of the dim's
// top-level loop (chain loop 0 at level 0): every other index behaves as one of them
// (top_classes.h), and weights turn sums over the listed indices into sums over all of them.
//
// Every distinct listed tuple of a dim gets a dense id (tuples in lexicographic order); a tuple's
// code is its mixed-radix number over the chain loops' largest trip counts (the top-level loop
// of a sparse chain counted by its listed indices).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "arena.h"
#include "baton/dataflow/schedule.h"
#include "baton/dataflow/step_walker.h"

namespace baton::detail {

struct TopPlan;

struct ChainLoop {
  int pos = 0;  // global loop position (levels top to bottom, loops outer to inner)
  LoopKind kind = LoopKind::kTemporal;
  int64_t tile = 1;
  int64_t units = 1;
  int level = 0;
  int64_t extent = 1, trips = 1;  // nominal (Loop): trip count without a division
  int64_t trips_at(int64_t e) const {
    if (e == extent) return trips;
    const int64_t tiles = (e + tile - 1) / tile;
    return kind == LoopKind::kTemporal ? tiles : (tiles + units - 1) / units;
  }
};

// A tuple's indices, stored in the build's pool (ChainStore).
struct IdxView {
  const int32_t* p = nullptr;
  int32_t n = 0;
  int32_t operator[](size_t j) const { return p[j]; }
  const int32_t* begin() const { return p; }
  const int32_t* end() const { return p + n; }
  size_t size() const { return static_cast<size_t>(n); }
};

struct ChainEntry {
  IdxView idx;     // index per chain loop
  Range r;         // the unit's range along the dimension
  int32_t id = 0;  // dense id of idx among the dim's distinct tuples
  int32_t top = 0; // slot of idx[0] in top_x (0 without a top-level loop)
};

// One unit combination's entries (a view into DimChain::entries).
struct EntryList {
  const ChainEntry* b = nullptr;
  const ChainEntry* e = nullptr;
  size_t size() const { return static_cast<size_t>(e - b); }
  bool empty() const { return b == e; }
  const ChainEntry& operator[](size_t i) const { return b[i]; }
  const ChainEntry& front() const { return *b; }
  const ChainEntry& back() const { return e[-1]; }
  const ChainEntry* begin() const { return b; }
  const ChainEntry* end() const { return e; }
};

// A view of n elements in a chain build's storage (ChainStore).
template <class T>
struct View {
  T* p = nullptr;
  size_t n = 0;
  size_t size() const { return n; }
  bool empty() const { return n == 0; }
  T& operator[](size_t i) { return p[i]; }
  const T& operator[](size_t i) const { return p[i]; }
  T* data() { return p; }
  const T* data() const { return p; }
  T* begin() { return p; }
  T* end() { return p + n; }
  const T* begin() const { return p; }
  const T* end() const { return p + n; }
  const T& front() const { return p[0]; }
  const T& back() const { return p[n - 1]; }
};

// One dim's chain. Its arrays are views into the storage of the Chains it belongs to (one build
// fills a few shared arrays instead of a dozen small allocations per dim).
struct DimChain {
  Dim dim = Dim::K;
  View<ChainLoop> loops;
  View<int> spatial_levels;  // levels whose spatial loop is on this dim (chain order)
  int64_t combos = 1;        // listed unit combinations (Π units over spatial_levels,
                             // or classes of them in sparse chains)
  View<int64_t> combo_w;     // [combo] -> unit combinations it stands for
  View<ChainEntry> entries;  // every combo's active tuples in step order, combo by combo
  View<int32_t> begin;       // [combo] -> first entry; [combos] = entries.size()
  // Top-level loop: chain loop 0 when it is at level 0. Listed indices and weights: w1 for sums
  // over every index, w2 for sums over the transitions x−1 -> x (x ≥ 1). A chain without one
  // has the single slot {0} of weight 1 (set by build_chains).
  bool has_top = false, sparse = false;
  // (Sparse chains view the plan's own arrays: the TopPlan must outlive them.)
  View<const int64_t> top_x, top_w1, top_w2;
  View<int32_t> slot_of;     // sparse: [x] -> slot of top-level index x or -1 (empty: search)
  View<int64_t> radix;       // per chain loop: largest index + 1 (sparse top: slots)
  View<int64_t> stride;      // per chain loop: mixed-radix weight of its index
  int64_t code_space = 1;    // Π radix
  int32_t ids = 0;           // number of distinct tuples
  View<int32_t> code_to_id;  // [code] -> id or -1
  View<int64_t> maxlen;      // [id] -> longest unit range at that tuple

  EntryList list(int64_t combo) const {
    return {entries.data() + begin[combo], entries.data() + begin[combo + 1]};
  }
  // Index of the chain loop at global position `pos`, or -1.
  int loop_at(int pos) const { return pos < npos ? at_pos[pos] : loop_at_slow(pos); }
  // Number of chain loops with global position < pos.
  int loops_before(int pos) const { return pos < npos ? before_pos[pos] : loops_before_slow(pos); }
  // Both per global position below npos (set by build_chains).
  static constexpr int kPosTable = 32;
  int npos = 0;
  std::array<int8_t, kPosTable> at_pos{}, before_pos{};
  int loop_at_slow(int pos) const;
  int loops_before_slow(int pos) const;
  // Combo u's entry at its previous active step before a step whose tuple is its entry i and
  // whose advancing loop is at global position k (docs/ANALYTICAL.md point 3); nullptr if none.
  const ChainEntry* previous(int64_t u, size_t i, int k) const;
  // Slot of top-level index x (-1 when not listed).
  int64_t top_slot(int64_t x) const {
    if (!sparse) return x < static_cast<int64_t>(top_x.size()) ? x : -1;
    if (x >= 0 && x < static_cast<int64_t>(slot_of.size())) return slot_of[x];
    for (size_t i = 0; i < top_x.size(); ++i)
      if (top_x[i] == x) return static_cast<int64_t>(i);
    return -1;
  }
  // Dense id of the tuple with global loop indices `index` (-1 if no unit is active there).
  int32_t id_at(const int64_t* index) const {
    const size_t n = loops.size();
    int64_t code = 0;
    size_t j = 0;
    if (has_top) {  // the top-level loop by slot
      const int64_t slot = top_slot(index[loops[0].pos]);
      if (slot < 0 || slot >= radix[0]) return -1;
      code = slot * stride[0];
      j = 1;
    }
    for (; j < n; ++j) {
      const int64_t i = index[loops[j].pos];
      if (i >= radix[j]) return -1;
      code += i * stride[j];
    }
    return code_to_id[code];
  }
};

// A growable array of trivially copyable T allocated from a memory resource (the chain build
// appends to a few of these; cheaper than pmr vectors' generic resize paths).
template <class T>
class Buf {
 public:
  explicit Buf(Mem* m) : mem_(m) {}
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() {
    if (owned_) mem_->deallocate(p_, cap_ * sizeof(T), alignof(T));
  }
  // Starts on storage owned by someone else (ChainStore's block): one allocation for all.
  void adopt(T* p, size_t cap) { p_ = p, cap_ = cap, owned_ = false; }
  // Appends k elements (uninitialised) and returns the offset of the first.
  size_t grow(size_t k) {
    if (n_ + k > cap_) enlarge(std::max(2 * cap_, n_ + k));
    const size_t b = n_;
    n_ += k;
    return b;
  }
  size_t size() const { return n_; }
  T* data() { return p_; }
  T& operator[](size_t i) { return p_[i]; }

 private:
  [[gnu::noinline]] void enlarge(size_t c) {  // (off the inlined append path)
    T* q = static_cast<T*>(mem_->allocate(c * sizeof(T), alignof(T)));
    if (n_) std::copy(p_, p_ + n_, q);
    if (owned_) mem_->deallocate(p_, cap_ * sizeof(T), alignof(T));
    p_ = q, cap_ = c, owned_ = true;
  }
  Mem* mem_;
  T* p_ = nullptr;
  size_t n_ = 0, cap_ = 0;
  bool owned_ = false;
};

// The storage the chains of one build view (grown during the build, then fixed).
struct ChainStore {
  explicit ChainStore(Mem* m)
      : mem(m), loops(m), levels(m), i64(m), i32(m), entries(m), pool(m) {}
  ChainStore(const ChainStore&) = delete;
  ChainStore& operator=(const ChainStore&) = delete;
  ~ChainStore() {
    if (block) mem->deallocate(block, block_bytes, alignof(std::max_align_t));
  }
  Mem* mem;
  void* block = nullptr;  // the buffers' initial storage (build_chains)
  size_t block_bytes = 0;
  std::array<DimChain, kNumDims> dims;
  Buf<ChainLoop> loops;
  Buf<int> levels;
  Buf<int64_t> i64;
  Buf<int32_t> i32;
  Buf<ChainEntry> entries;
  Buf<int32_t> pool;  // index storage of the entries
};

// Chains of every dimension of the schedule (dims without loops get one empty tuple per combo):
// every top-level index, or (with a plan, which must outlive them: its listed indices and weights
// are viewed, not copied) the plan's. Empty until built; moving keeps the views valid (the
// storage is held by pointer).
class Chains {
 public:
  explicit Chains(Mem* = heap_mem()) {}
  Chains(Chains&& o) noexcept : dims_(o.dims_), n_(o.n_), store_(std::move(o.store_)) {
    o.dims_ = nullptr, o.n_ = 0;
  }
  Chains& operator=(Chains&& o) noexcept {
    dims_ = o.dims_, n_ = o.n_, store_ = std::move(o.store_);
    o.dims_ = nullptr, o.n_ = 0;
    return *this;
  }
  size_t size() const { return n_; }
  DimChain& operator[](size_t d) { return dims_[d]; }
  const DimChain& operator[](size_t d) const { return dims_[d]; }
  DimChain* begin() { return dims_; }
  DimChain* end() { return dims_ + n_; }
  const DimChain* begin() const { return dims_; }
  const DimChain* end() const { return dims_ + n_; }

 private:
  friend Chains build_chains(const Schedule& s, const TopPlan* plan, Mem* mem);
  DimChain* dims_ = nullptr;
  size_t n_ = 0;
  MemPtr<ChainStore> store_;
};
Chains build_chains(const Schedule& s);
Chains build_chains(const Schedule& s, const TopPlan* plan, Mem* mem);
// Total number of loops in global order.
int num_global_loops(const Schedule& s);

}  // namespace baton::detail
