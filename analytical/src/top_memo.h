// Internal: numbering of the top-level steps the class pass (classes.cpp) meets: per index tuple
// (Slots), or per neighbourhood key (TopKeys) where steps with equal keys behave alike.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "arena.h"
#include "baton/dataflow/schedule.h"
#include "top_classes.h"

namespace baton::detail {

using Sizes = std::array<int64_t, 3>;

// Dense slots of top-level index tuples (T each) in order of arrival: open addressing with a
// capacity fixed from the most tuples expected (find() -1 when full).
class Slots {
 public:
  Slots(int width, size_t most, Mem* mem) : w_(width), keys_(mem), slot_(mem) {
    size_t cap = 2;
    while (cap < 2 * most) cap *= 2;
    slot_.assign(cap, -1);
    keys_.reserve(most * w_);
    most_ = most;
  }
  size_t size() const { return keys_.size() / std::max(w_, 1); }
  // Slot of x, added when new (`added` set); -1 when new and the table is full.
  int32_t find(const int64_t* x, bool& added) {
    uint64_t h = 1469598103934665603ull;
    for (int j = 0; j < w_; ++j) h = (h ^ uint64_t(x[j])) * 1099511628211ull;
    size_t i = size_t(h ^ (h >> 29)) & (slot_.size() - 1);
    for (;; i = (i + 1) & (slot_.size() - 1)) {
      const int32_t v = slot_[i];
      if (v < 0) break;
      if (std::equal(x, x + w_, keys_.data() + size_t(v) * w_)) return added = false, v;
    }
    if (size() >= most_) return added = false, -1;
    slot_[i] = static_cast<int32_t>(size());
    keys_.insert(keys_.end(), x, x + w_);
    added = true;
    return slot_[i];
  }

 private:
  int w_;
  size_t most_ = 0;
  Vec<int64_t> keys_;
  Vec<int32_t> slot_;
};

// Without idle PEs, what the class pass reads of a top-level step — its first global step's
// V, C, W, entering loop and read-back, the C of its last global step, its L2 tile sizes and
// |tile ∩ previous tile| — follows from every top-level loop's signature at it (top_classes.h:
// first = x = 0 on a non-output dim, last = x = n − 1 when last_index_differs, else
// interior), the entering loop a (the innermost non-zero one) and a's signature one index back
// (the loops after a come from their last index). TopKeys packs that into 64 bits (2 bits per
// loop; at most 27 loops, ok() false beyond) and numbers the keys met (a handful per layer
// usually: searched linearly, at most kMaxKeys).
class TopKeys {
 public:
  // Keys searched linearly: beyond kMaxKeys, find() returns -1 and the pass evaluates those
  // steps one by one (the same values, without sharing) instead of searching ever longer.
  static constexpr size_t kMaxKeys = 64;
  TopKeys(const Schedule& s, size_t most, Mem* mem)
      : sig_(mem), keys_(mem), most_(std::min(most, kMaxKeys)) {
    const Level& top = s.levels().front();
    t_ = static_cast<int>(top.loops.size());
    ok_ = 2 * (t_ + 1) + 8 <= 64;
    if (!ok_ || most_ == 0) return;
    sig_.resize(static_cast<size_t>(t_));
    const DimMask out = tensor_dims(s.layer(), Tensor::kOutput);
    for (int k = 0; k < t_; ++k) {
      const Loop& lp = top.loops[k];
      if (lp.trips < 2) continue;  // index 0 throughout: always interior
      Sig& g = sig_[k];
      if (last_index_differs(lp, top.units)) g.last = lp.trips - 1;
      g.first = !out[idx(lp.dim)];
      if (g.first || g.last >= 0) named_.push_back(static_cast<int8_t>(k));  // else interior
    }
    keys_.reserve(most_);
  }
  bool ok() const { return ok_; }
  // Number of the key of top-level indices x (-1 when new and `most` keys are met).
  int32_t find(const int64_t* x) {
    int a = t_ - 1;
    while (a >= 0 && x[a] == 0) --a;
    uint64_t key = static_cast<uint64_t>(a + 1);
    for (const int8_t k : named_) key = key << 2 | sig_[k].at(x[k]);
    key = key << 2 | (a >= 0 ? sig_[a].at(x[a] - 1) : 0u);
    for (size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] == key) return static_cast<int32_t>(i);
    if (keys_.size() >= most_) return -1;
    keys_.push_back(key);
    return static_cast<int32_t>(keys_.size() - 1);
  }

 private:
  struct Sig {  // bits: 1 first, 2 last
    int64_t last = -1;  // n − 1 when the last tile differs, else -1
    bool first = false;
    uint64_t at(int64_t x) const { return (x == 0 && first ? 1u : 0u) | (x == last ? 2u : 0u); }
  };
  int t_ = 0;
  bool ok_ = false;
  Vec<Sig> sig_;
  Small<int8_t, 32> named_;  // loops with a first or last signature (others: 0 bits)
  Vec<uint64_t> keys_;
  size_t most_;
};

}  // namespace baton::detail
