// Internal: small per-pass tables keyed by top-level index tuples (the class pass,
// classes.cpp): sizes per tuple or pair of tuples (Memo), dense slots per tuple (Slots).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "arena.h"

namespace baton::detail {

using Sizes = std::array<int64_t, 3>;

// Sizes per key of top-level index tuples (one, or a pair of T each): open addressing with a
// capacity fixed from the expected number of keys (no memo when 0).
class Memo {
 public:
  Memo(int width, size_t expected, Mem* mem) : w_(width), keys_(mem), vals_(mem), slot_(mem) {
    size_t cap = 1;
    while (expected && cap < 2 * expected) cap *= 2;
    if (expected) slot_.assign(cap, -1);
    keys_.reserve(expected * w_);
    vals_.reserve(expected);
  }
  const Sizes* find(const int64_t* a, const int64_t* b) const {
    if (slot_.empty()) return nullptr;
    for (size_t i = hash(a, b);; i = (i + 1) & (slot_.size() - 1)) {
      const int32_t v = slot_[i];
      if (v < 0) return nullptr;
      if (equal(keys_.data() + size_t(v) * w_, a, b)) return &vals_[v];
    }
  }
  void put(const int64_t* a, const int64_t* b, const Sizes& x) {
    if (slot_.empty() || 2 * (vals_.size() + 1) > slot_.size()) return;  // full: not memoised
    size_t i = hash(a, b);
    while (slot_[i] >= 0) i = (i + 1) & (slot_.size() - 1);
    slot_[i] = static_cast<int32_t>(vals_.size());
    const int h = b ? w_ / 2 : w_;
    keys_.insert(keys_.end(), a, a + h);
    if (b) keys_.insert(keys_.end(), b, b + h);
    vals_.push_back(x);
  }

 private:
  size_t hash(const int64_t* a, const int64_t* b) const {
    uint64_t h = 1469598103934665603ull;
    const int half = b ? w_ / 2 : w_;
    for (int j = 0; j < half; ++j) h = (h ^ uint64_t(a[j])) * 1099511628211ull;
    for (int j = 0; b && j < half; ++j) h = (h ^ uint64_t(b[j])) * 1099511628211ull;
    return size_t(h ^ (h >> 29)) & (slot_.size() - 1);
  }
  bool equal(const int64_t* k, const int64_t* a, const int64_t* b) const {
    const int half = b ? w_ / 2 : w_;
    return std::equal(a, a + half, k) && (!b || std::equal(b, b + half, k + half));
  }
  int w_;
  Vec<int64_t> keys_;
  Vec<Sizes> vals_;
  Vec<int32_t> slot_;
};

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

}  // namespace baton::detail
