// Schedule: closed-form queries via per-dimension classes (see schedule.h).
//
// Why per dimension: a loop's trip count depends only on the indices of the loops above it on
// the same dimension, and each level's unit index selects a tile of only that level's spatial
// dimension. So index tuples, PE tile lengths and their sums factorise over dimensions; each
// dimension's chain is summarised by a few classes of identical per-unit tile lengths.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>
#include <utility>
#include <vector>

#include "baton/dataflow/schedule.h"

namespace baton {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
using LenPair = std::pair<int64_t, int64_t>;

}  // namespace

Schedule::Schedule(const LayerSpec& layer, std::vector<Level> levels, FitResult fit,
                   int64_t pes_available, std::string texts)
    : layer_(layer),
      levels_(std::move(levels)),
      fit_(std::move(fit)),
      pes_available_(pes_available),
      texts_(std::move(texts)) {
  compute_classes();
}

int64_t Schedule::pes_used() const {
  int64_t n = 1;
  for (const auto& l : levels_) n *= l.units;
  return n;
}

int64_t Schedule::unit_of(int64_t pe, int lvl) const {
  int64_t below = 1;
  for (size_t i = lvl + 1; i < levels_.size(); ++i) below *= levels_[i].units;
  return (pe / below) % levels_[lvl].units;
}

std::vector<DimClass> Schedule::dim_classes(Dim d) const {
  std::vector<DimClass> v;
  for (const ClassRec* c = cls_begin(d); c != cls_end(d); ++c)
    v.push_back({c->weight, {lens(*c), lens(*c) + (c->hi - c->lo)}});
  return v;
}

// One dim's classes (compute_classes' general path) appended, and folded into the summaries.
void Schedule::add_dim_classes(Dim d, const ClassRec* cb, const ClassRec* ce,
                               const LenPair* lens) {
  const auto at = static_cast<uint32_t>(lens_.size());
  cls_at_[idx(d)] = static_cast<uint32_t>(cls_.size());
  int64_t steps = 0, macs = 0, peak = 0;
  double active = 0;
  for (const ClassRec* c = cb; c != ce; ++c) {
    int64_t per = 0, units = 0, longest = 0;
    for (const LenPair* p = lens + c->lo; p != lens + c->hi; ++p) {
      lens_.push_back(*p);
      per += p->first * p->second;
      if (p->first > 0) units += p->second;
      if (p->second > 0) longest = std::max(longest, p->first);
    }
    cls_.push_back({c->weight, at + c->lo, at + c->hi, longest});
    steps += c->weight;
    macs += c->weight * per;
    peak = std::max(peak, units);
    active += double(c->weight) * double(units);
  }
  cls_at_[idx(d) + 1] = static_cast<uint32_t>(cls_.size());
  steps_ *= steps, macs_ *= macs, peak_ *= peak;
  active_sum_ *= active;
}

int64_t Schedule::steps() const { return steps_; }

int64_t Schedule::top_steps() const {
  int64_t n = 1;
  for (const Loop& lp : levels_.front().loops) n *= lp.trips;
  return n;
}

// The per-dim factors of these products are summed in compute_classes (add_dim_classes).
int64_t Schedule::macs() const { return macs_; }

int64_t Schedule::peak_active_pes() const { return peak_; }

double Schedule::avg_active_pes() const { return active_sum_ / double(steps()); }

int64_t Schedule::compute_cycles(int64_t simd_lanes) const {
  // Histogram of the busiest PE's MACs per step: product of per-dim max-length histograms
  // (flat (value, count) lists; equal values need not be merged, the sum is the same).
  // Every dim one class: one value (Π max lengths) on every step.
  if (cls_.empty()) return steps_ * ceil_div(one_max_, simd_lanes);
  // One-class dims scale every value: their product first (the sum is the same).
  int64_t m1 = 1, k1 = 1;
  bool multi = false;
  for (Dim d : kAllDims) {
    const ClassRec *cb = cls_begin(d), *ce = cls_end(d);
    if (ce - cb == 1) m1 *= cb->max_len, k1 *= cb->weight;
    else multi = true;
  }
  if (!multi) return k1 * ceil_div(m1, simd_lanes);
  alignas(16) std::byte buf[4096];
  std::pmr::monotonic_buffer_resource mem(buf, sizeof buf);
  std::pmr::vector<LenPair> hist(&mem), next(&mem);
  hist.reserve(64), next.reserve(64);
  hist.emplace_back(m1, k1);
  for (Dim d : kAllDims) {
    const ClassRec *cb = cls_begin(d), *ce = cls_end(d);
    if (ce - cb == 1) continue;
    next.clear();
    for (const auto& [v, n] : hist)
      for (const ClassRec* c = cb; c != ce; ++c) next.emplace_back(v * c->max_len, n * c->weight);
    if (next.size() > 64) {  // keep it bounded by the distinct values: merge equal ones
      std::sort(next.begin(), next.end());
      size_t w = 0;
      for (size_t i = 0; i < next.size(); ++i) {
        if (w > 0 && next[w - 1].first == next[i].first) next[w - 1].second += next[i].second;
        else next[w++] = next[i];
      }
      next.resize(w);
    }
    hist.swap(next);
  }
  int64_t cycles = 0;
  for (const auto& [macs, n] : hist) cycles += n * ceil_div(macs, simd_lanes);
  return cycles;
}

int64_t Schedule::max_tile_elements(Tensor t) const {
  if (!layer_.has_tensor(t)) return 0;
  const std::array<int64_t, kNumDims>& len = min_tile_;
  int64_t n = 1;
  for (const auto& c : layer_.coords(t)) {
    if (!c.b) {
      n *= len[idx(c.a)];
      continue;
    }
    const int64_t a = len[idx(c.a)], b = len[idx(*c.b)];
    n *= c.stride >= b ? a * b : (a - 1) * c.stride + b;  // distinct rows {p·σ + r}
  }
  return n;
}

}  // namespace baton
