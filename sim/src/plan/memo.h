// Internal: reuse of per-step (and per-top-step) plans. A plan depends on the PE tiles and held
// tiles only up to a translation: shifting every tile by the same vector shifts every element id
// of a tensor by one constant (ids are linear in the coordinates), and leaves the partition of
// elements by PE set unchanged. Keys are the tiles relative to a base point with empty ranges
// made canonical; entries keep element ids relative to the base's ids.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "baton/sim/transfer_plan.h"

namespace baton::detail {

using Key = std::vector<int64_t>;

struct KeyHash {
  size_t operator()(const Key& k) const {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ k.size();
    for (int64_t v : k) {
      h ^= static_cast<uint64_t>(v) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
      h *= 0xBF58476D1CE4E5B9ull;
    }
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

using Point = std::array<int64_t, kNumDims>;

// Base point of a set of per-dimension tables: the low end of the first non-empty range.
inline Point base_of(const std::array<const std::vector<Range>*, kNumDims>& tables) {
  Point b{};
  for (int d = 0; d < kNumDims; ++d)
    for (const Range& r : *tables[d])
      if (r.size() > 0) {
        b[d] = r.lo;
        break;
      }
  return b;
}

inline void append(Key& key, const Range& r, int64_t base) {
  if (r.size() > 0) key.push_back(r.lo - base), key.push_back(r.hi - base);
  else key.push_back(0), key.push_back(0);  // every empty range is the same (an idle PE)
}

inline void append(Key& key, const PeTile& t, const Point& base) {
  for (int d = 0; d < kNumDims; ++d) append(key, t.r[d], base[d]);
}

// The element id offset of tensor t for a translation by `shift` (linear in the coordinates).
inline int64_t id_shift(const LayerSpec& L, Tensor t, const Point& shift) {
  int64_t id = 0;
  for (const TensorCoord& c : L.coords(t)) {
    const int64_t size = c.b ? (L.dim(c.a) - 1) * c.stride + L.dim(*c.b) : L.dim(c.a);
    const int64_t v = c.b ? shift[idx(c.a)] * c.stride + shift[idx(*c.b)] : shift[idx(c.a)];
    id = id * size + v;
  }
  return id;
}

// Element ids relative to a base, with the PE set they go to / come from (interned).
struct Part {
  int32_t pes = 0;
  std::vector<int64_t> rel;
};

struct StepEntry {
  std::vector<Part> leave;                 // write-backs
  std::vector<Part> entering;              // outputs entering PEs: read-backs when in L2
  std::array<std::vector<Part>, 2> fills;  // input, weight
  int64_t leave_distinct = 0, max_tile = 0;
  std::shared_ptr<const ComputeProfile> compute;
  size_t elements() const {
    size_t n = 0;
    for (const auto* v : {&leave, &entering, &fills[0], &fills[1]})
      for (const Part& p : *v) n += p.rel.size();
    return n;
  }
};

// PE sets by id (packets refer to them by id).
class PeSets {
 public:
  int32_t intern(const std::vector<int32_t>& pes) {
    auto it = ids_.find(pes);
    if (it != ids_.end()) return it->second;
    sets_.push_back(pes);
    return ids_[pes] = static_cast<int32_t>(sets_.size() - 1);
  }
  const std::vector<int32_t>& operator[](int32_t id) const { return sets_[id]; }

 private:
  std::map<std::vector<int32_t>, int32_t> ids_;
  std::vector<std::vector<int32_t>> sets_;
};

// Compute profiles by content.
class Profiles {
 public:
  std::shared_ptr<const ComputeProfile> intern(std::vector<int64_t> pe_macs) {
    auto it = by_macs_.find(pe_macs);
    if (it != by_macs_.end()) return it->second;
    auto p = std::make_shared<ComputeProfile>();
    p->id = next_id_++;
    for (int64_t m : pe_macs) {
      p->busiest = std::max(p->busiest, m);
      p->active += m > 0 ? 1 : 0;
      p->macs += m;
    }
    p->pe_macs = pe_macs;
    if (by_macs_.size() > 4096) by_macs_.clear();  // bounded; ids stay unique
    return by_macs_[std::move(pe_macs)] = p;
  }

 private:
  std::map<std::vector<int64_t>, std::shared_ptr<const ComputeProfile>> by_macs_;
  int64_t next_id_ = 0;
};

}  // namespace baton::detail
