// Internal: closed-form traffic counts of one tensor (docs/ANALYTICAL.md, points 1–6).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "chains.h"

namespace baton::detail {

struct TensorCounts {
  // Per PE (summed over PEs): elements entering PE tiles (fetches / output entries, including the
  // first tile), elements leaving them (output write-backs incl. the final one), distinct
  // elements each PE ever holds.
  int64_t enter = 0, leave = 0, held = 0;
  // The same with PEs that hold equal tiles in a step counted once (multicast / reduction).
  int64_t enter_distinct = 0, leave_distinct = 0, held_distinct = 0;
};

// One coordinate of a tensor (a dim, or a window pair {P, R} / {Q, S}), or a free dim (a dim
// the tensor does not depend on).
struct Group {
  std::array<Dim, 2> dims{};
  int ndims = 1;
  int64_t sigma = 1;
  bool coupled = true;
};
std::vector<Group> tensor_groups(const LayerSpec& L, Tensor t);

// kStep0: every PE's first step; kTransition: steps whose advancing loop is at position k;
// kFinal: every PE's last active step.
enum class Mode { kStep0, kTransition, kFinal };

// Per-PE sums of |N|, |H|, |N ∩ H| over a group's units (counts for free dims), and the same
// with siblings collapsed (multicast / reduction distinct counts).
struct Sums {
  double n = 0, h = 0, i = 0;
  double nd = 0, hd = 0, id = 0;
};

// A group table: Sums per step tuple of the group's dims, by key = dense tuple id (window pairs:
// id(a)·ids(b) + id(b); free dims at kStep0 / kFinal: key 0). Missing keys hold zeros.
struct FlatTable {
  std::vector<Sums> v;
  Sums total;  // Σ over keys
  const Sums* at(int64_t key) const {
    return key >= 0 && key < static_cast<int64_t>(v.size()) ? &v[key] : nullptr;
  }
};

// Group tables of every tensor, built on demand. A dim's table depends on the position k only
// through the loop at k (if it is on the dim) or the number of the dim's loops before k, so each
// is built once per such variant.
class Tables {
 public:
  Tables(const Schedule& s, const std::vector<DimChain>& chains);
  ~Tables();
  const std::vector<Group>& groups(int t) const { return groups_[t]; }
  bool has(int t) const { return has_[t]; }
  const FlatTable& get(int t, size_t g, Mode mode, int k);
  int loops() const { return m_; }

 private:
  int variant(Dim d, Mode mode, int k) const;
  const Schedule& s_;
  const std::vector<DimChain>& chains_;
  int m_ = 0;
  std::array<std::vector<Group>, 3> groups_;
  std::array<bool, 3> has_{};
  // [dim][coupled][variant]
  std::array<std::array<std::vector<std::unique_ptr<FlatTable>>, 2>, kNumDims> single_;
  // window groups: [(t, g)][variant_a * (2 n_b + 3) + variant_b]
  std::vector<std::pair<std::array<int, 2>, std::vector<std::unique_ptr<FlatTable>>>> window_;
};

TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tensor t);
TensorCounts tensor_counts(const Schedule& s, const std::vector<DimChain>& chains, Tables& tab,
                           Tensor t);

}  // namespace baton::detail
