// Schedule: closed-form queries via per-dimension classes (see schedule.h).
//
// Why per dimension: a loop's trip count depends only on the indices of the loops above it on
// the same dimension, and each level's unit index selects a tile of only that level's spatial
// dimension. So index tuples, PE tile lengths and their sums factorise over dimensions; each
// dimension's chain is summarised by a few classes of identical per-unit tile lengths.
#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "baton/dataflow/schedule.h"

namespace baton {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t clamp_len(int64_t x, int64_t start, int64_t t) {
  return std::max<int64_t>(0, std::min(t, x - start));
}
// A unit combination class's tile lengths: (length, unit combinations), by ascending length.
// Flat vectors (a dim has a handful): the classes are built once per Schedule.
using Lens = std::vector<std::pair<int64_t, int64_t>>;
struct LenClass {
  Lens own;
  int64_t w = 0;  // index tuples
};
// Classes [0, n) of v; the elements beyond keep their buffers for reuse (no allocation per
// class once the pool has grown).
struct Pool {
  std::vector<LenClass> v;
  size_t n = 0;
  LenClass& add(int64_t w) {
    if (n == v.size()) v.emplace_back();
    LenClass& c = v[n++];
    c.own.clear();
    c.w = w;
    return c;
  }
  LenClass* begin() { return v.data(); }
  LenClass* end() { return v.data() + n; }
};

int64_t max_len(const Lens& m) {
  int64_t best = 0;
  for (const auto& [len, cnt] : m)
    if (cnt > 0) best = std::max(best, len);
  return best;
}

void add_len(Lens& m, int64_t len, int64_t c) {
  auto it = std::lower_bound(m.begin(), m.end(), len,
                             [](const std::pair<int64_t, int64_t>& e, int64_t v) { return e.first < v; });
  if (it != m.end() && it->first == len) it->second += c;
  else m.insert(it, {len, c});
}

// Sorted distinct cut points.
void finish_cuts(std::vector<int64_t>& cuts) {
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
}

// Index classes of a temporal loop of tile t over unit lengths `own`: [a, b) -> new lengths.
void split_temporal(const Lens& own, int64_t t, int64_t w, std::vector<int64_t>& cuts,
                    Pool& out) {
  const int64_t n = ceil_div(max_len(own), t);
  cuts.assign({0, n});
  for (const auto& [x, c] : own) {
    const int64_t b = x / t;
    if (b < n) cuts.push_back(b);
    if (b + 1 < n) cuts.push_back(b + 1);
  }
  finish_cuts(cuts);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const int64_t a = cuts[i], b = cuts[i + 1];
    LenClass& next = out.add(w * (b - a));
    for (const auto& [x, c] : own) add_len(next.own, clamp_len(x, a * t, t), c);
  }
}

// Fold classes of a spatial loop of tile t over U units.
void split_spatial(const Lens& own, int64_t t, int64_t U, int64_t w, std::vector<int64_t>& cuts,
                   Pool& out) {
  const int64_t n = ceil_div(max_len(own), t), F = ceil_div(n, U);
  cuts.assign({0, F});
  for (const auto& [x, c] : own) {
    const int64_t f = (x / t) / U;
    if (f < F) cuts.push_back(f);
    if (f + 1 < F) cuts.push_back(f + 1);
  }
  finish_cuts(cuts);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const int64_t f = cuts[i], count = cuts[i + 1] - f;
    LenClass& next = out.add(w * count);
    // In fold f the units fall in three groups: full tiles, at most one partial, idle.
    for (const auto& [x, c] : own) {
      const int64_t b = x / t;  // tiles [0, b) are full, tile b has x mod t
      const int64_t full = std::clamp<int64_t>(b - f * U, 0, U);
      const int64_t partial = (x % t > 0 && b >= f * U && b < f * U + U) ? 1 : 0;
      if (full) add_len(next.own, t, c * full);
      if (partial) add_len(next.own, x % t, c * partial);
      if (U - full - partial) add_len(next.own, 0, c * (U - full - partial));
    }
  }
}

// Classes with equal lengths merged (weights summed), ordered by their lengths.
void merge_classes(Pool& p) {
  std::sort(p.begin(), p.end(),
            [](const LenClass& a, const LenClass& b) { return a.own < b.own; });
  size_t w = 0;
  for (size_t i = 0; i < p.n; ++i) {
    if (w > 0 && p.v[w - 1].own == p.v[i].own) {
      p.v[w - 1].w += p.v[i].w;
    } else {
      if (w != i) std::swap(p.v[w], p.v[i]);  // buffers stay in the pool
      ++w;
    }
  }
  p.n = w;
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
  Pool cur, next;
  std::vector<int64_t> cuts;
  std::array<bool, kNumDims> has_loops{};
  for (const Level& lvl : levels_)
    for (const Loop& lp : lvl.loops) has_loops[idx(lp.dim)] = true;
  for (Dim d : kAllDims) {
    auto& out = classes_[idx(d)];
    out.clear();
    if (!has_loops[idx(d)]) {  // held whole: one tuple, one length
      out.push_back(DimClass{1, {{layer_.dim(d), 1}}});
      continue;
    }
    cur.n = 0;
    cur.add(1).own.emplace_back(layer_.dim(d), 1);
    for (const Level& lvl : levels_) {
      for (const Loop& lp : lvl.loops) {
        if (lp.dim != d) continue;
        next.n = 0;
        for (const LenClass& c : cur) {
          if (lp.kind == LoopKind::kTemporal)
            split_temporal(c.own, lp.tile, c.w, cuts, next);
          else
            split_spatial(c.own, lp.tile, lvl.units, c.w, cuts, next);
        }
        merge_classes(next);
        std::swap(cur, next);
      }
    }
    out.reserve(cur.n);
    for (const LenClass& c : cur) out.push_back(DimClass{c.w, c.own});
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
  // Histogram of the busiest PE's MACs per step: product of per-dim max-length histograms
  // (flat (value, count) lists; equal values need not be merged, the sum is the same).
  std::vector<std::pair<int64_t, int64_t>> hist = {{1, 1}}, next;
  for (Dim d : kAllDims) {
    const auto& cls = classes_[idx(d)];
    if (cls.size() == 1) {  // one class: scale every value
      const int64_t m = max_len(cls[0].len_count), k = cls[0].weight;
      for (auto& [v, n] : hist) v *= m, n *= k;
      continue;
    }
    next.clear();
    for (const auto& [v, n] : hist)
      for (const auto& c : cls) next.emplace_back(v * max_len(c.len_count), n * c.weight);
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
