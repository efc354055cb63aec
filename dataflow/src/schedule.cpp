// Schedule: closed-form queries via per-dimension classes (see schedule.h).
//
// Why per dimension: a loop's trip count depends only on the indices of the loops above it on
// the same dimension, and each level's unit index selects a tile of only that level's spatial
// dimension. So index tuples, PE tile lengths and their sums factorise over dimensions; each
// dimension's chain is summarised by a few classes of identical per-unit tile lengths.
#include <algorithm>
#include <set>

#include "baton/dataflow/schedule.h"

namespace baton {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t clamp_len(int64_t x, int64_t start, int64_t t) {
  return std::max<int64_t>(0, std::min(t, x - start));
}
using LenMap = std::map<int64_t, int64_t>;

int64_t max_len(const LenMap& m) {
  int64_t best = 0;
  for (const auto& [len, cnt] : m)
    if (cnt > 0) best = std::max(best, len);
  return best;
}

// Index classes of a temporal loop of tile t over unit lengths `own`: [a, b) -> new lengths.
void split_temporal(const LenMap& own, int64_t t, int64_t w, std::map<LenMap, int64_t>& out) {
  const int64_t n = ceil_div(max_len(own), t);
  std::set<int64_t> cuts = {0, n};
  for (const auto& [x, c] : own) {
    const int64_t b = x / t;
    if (b < n) cuts.insert(b);
    if (b + 1 < n) cuts.insert(b + 1);
  }
  for (auto it = cuts.begin(); std::next(it) != cuts.end(); ++it) {
    const int64_t a = *it, b = *std::next(it);
    LenMap next;
    for (const auto& [x, c] : own) next[clamp_len(x, a * t, t)] += c;
    out[next] += w * (b - a);
  }
}

// Fold classes of a spatial loop of tile t over U units.
void split_spatial(const LenMap& own, int64_t t, int64_t U, int64_t w,
                   std::map<LenMap, int64_t>& out) {
  const int64_t n = ceil_div(max_len(own), t), F = ceil_div(n, U);
  std::set<int64_t> cuts = {0, F};
  for (const auto& [x, c] : own) {
    const int64_t f = (x / t) / U;
    if (f < F) cuts.insert(f);
    if (f + 1 < F) cuts.insert(f + 1);
  }
  for (auto it = cuts.begin(); std::next(it) != cuts.end(); ++it) {
    const int64_t f = *it, count = *std::next(it) - f;
    LenMap next;
    // In fold f the units fall in three groups: full tiles, at most one partial, idle.
    for (const auto& [x, c] : own) {
      const int64_t b = x / t;  // tiles [0, b) are full, tile b has x mod t
      const int64_t full = std::clamp<int64_t>(b - f * U, 0, U);
      const int64_t partial = (x % t > 0 && b >= f * U && b < f * U + U) ? 1 : 0;
      if (full) next[t] += c * full;
      if (partial) next[x % t] += c * partial;
      if (U - full - partial) next[0] += c * (U - full - partial);
    }
    out[next] += w * count;
  }
}

}  // namespace

Schedule::Schedule(LayerSpec layer, std::vector<Level> levels, FitResult fit,
                   int64_t pes_available)
    : layer_(std::move(layer)),
      levels_(std::move(levels)),
      fit_(std::move(fit)),
      pes_available_(pes_available) {
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

void Schedule::compute_classes() {
  for (Dim d : kAllDims) {
    std::map<LenMap, int64_t> cur = {{LenMap{{layer_.dim(d), 1}}, 1}};
    for (const Level& lvl : levels_) {
      for (const Loop& lp : lvl.loops) {
        if (lp.dim != d) continue;
        std::map<LenMap, int64_t> next;
        for (const auto& [own, w] : cur) {
          if (lp.kind == LoopKind::kTemporal)
            split_temporal(own, lp.tile, w, next);
          else
            split_spatial(own, lp.tile, lvl.units, w, next);
        }
        cur.swap(next);
      }
    }
    auto& out = classes_[idx(d)];
    out.clear();
    for (const auto& [own, w] : cur) out.push_back(DimClass{w, own});
  }
}

int64_t Schedule::steps() const {
  int64_t n = 1;
  for (Dim d : kAllDims) {
    int64_t t = 0;
    for (const auto& c : classes_[idx(d)]) t += c.weight;
    n *= t;
  }
  return n;
}

int64_t Schedule::top_steps() const {
  int64_t n = 1;
  for (const Loop& lp : levels_.front().loops) n *= lp.trips;
  return n;
}

int64_t Schedule::macs() const {
  int64_t n = 1;
  for (Dim d : kAllDims) {
    int64_t s = 0;
    for (const auto& c : classes_[idx(d)]) {
      int64_t per = 0;
      for (const auto& [len, cnt] : c.len_count) per += len * cnt;
      s += c.weight * per;
    }
    n *= s;
  }
  return n;
}

namespace {
int64_t active_units(const DimClass& c) {
  int64_t a = 0;
  for (const auto& [len, cnt] : c.len_count)
    if (len > 0) a += cnt;
  return a;
}
}  // namespace

int64_t Schedule::peak_active_pes() const {
  int64_t n = 1;
  for (Dim d : kAllDims) {
    int64_t best = 0;
    for (const auto& c : classes_[idx(d)]) best = std::max(best, active_units(c));
    n *= best;
  }
  return n;
}

double Schedule::avg_active_pes() const {
  double sum = 1.0;
  for (Dim d : kAllDims) {
    double s = 0;
    for (const auto& c : classes_[idx(d)]) s += double(c.weight) * double(active_units(c));
    sum *= s;
  }
  return sum / double(steps());
}

int64_t Schedule::compute_cycles(int64_t simd_lanes) const {
  // Histogram of the busiest PE's MACs per step: product of per-dim max-length histograms.
  std::map<int64_t, int64_t> hist = {{1, 1}};
  for (Dim d : kAllDims) {
    std::map<int64_t, int64_t> dim_hist;
    for (const auto& c : classes_[idx(d)]) dim_hist[max_len(c.len_count)] += c.weight;
    std::map<int64_t, int64_t> next;
    for (const auto& [v, n] : hist)
      for (const auto& [m, k] : dim_hist) next[v * m] += n * k;
    hist.swap(next);
  }
  int64_t cycles = 0;
  for (const auto& [macs, n] : hist) cycles += n * ceil_div(macs, simd_lanes);
  return cycles;
}

int64_t Schedule::max_tile_elements(Tensor t) const {
  if (!layer_.has_tensor(t)) return 0;
  std::array<int64_t, kNumDims> len = layer_.extent;
  for (const Level& lvl : levels_)
    for (const Loop& lp : lvl.loops) len[idx(lp.dim)] = std::min(len[idx(lp.dim)], lp.tile);
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
