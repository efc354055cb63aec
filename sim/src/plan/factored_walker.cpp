#include "factored_walker.h"

#include <algorithm>

namespace baton::detail {
namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

FactoredWalker::FactoredWalker(const Schedule& s) {
  const auto& levels = s.levels();
  for (size_t l = 0; l < levels.size(); ++l)
    for (const Loop& lp : levels[l].loops)
      loops_.push_back(GLoop{static_cast<int>(l), lp.dim, lp.kind, lp.tile, levels[l].units});
  index_.assign(loops_.size(), 0);
  trips_.assign(loops_.size(), 1);
  extent_ = s.layer().extent;
  pes_ = s.pes_used();
  top_units_ = levels.empty() ? 1 : levels[0].units;
  for (int d = 0; d < kNumDims; ++d) {
    Chain& c = chains_[d];
    std::vector<int> spatial_levels;  // distinct, top first
    for (size_t k = 0; k < loops_.size(); ++k) {
      if (idx(loops_[k].dim) != d) continue;
      c.loops.push_back(static_cast<int>(k));
      if (loops_[k].level == 0) ++c.top;
      if (loops_[k].kind == LoopKind::kSpatial &&
          std::find(spatial_levels.begin(), spatial_levels.end(), loops_[k].level) ==
              spatial_levels.end())
        spatial_levels.push_back(loops_[k].level);
    }
    // Combo of a PE: mixed radix over its unit indices at the spatial levels, top first.
    combo_[d].assign(static_cast<size_t>(pes_), 0);
    int64_t combos = 1;
    for (int l : spatial_levels) combos *= levels[l].units;
    for (int64_t pe = 0; pe < pes_; ++pe) {
      int64_t v = 0;
      for (int l : spatial_levels) v = v * levels[l].units + s.unit_of(pe, l);
      combo_[d][pe] = static_cast<int32_t>(v);
    }
    auto units_of = [&](int64_t combo, const std::vector<int>& lv) {
      std::vector<int64_t> per_level(levels.size(), 0);
      for (size_t i = lv.size(); i-- > 0;) {
        per_level[lv[i]] = combo % levels[lv[i]].units;
        combo /= levels[lv[i]].units;
      }
      std::vector<int64_t> out;
      for (int k : c.loops) out.push_back(per_level[loops_[k].level]);
      return out;
    };
    for (int64_t m = 0; m < combos; ++m) c.unit.push_back(units_of(m, spatial_levels));
    table_[d].assign(static_cast<size_t>(combos), Range{});
    // Top level: only level 0 can be a spatial level of the top chain.
    const bool top_spatial = !spatial_levels.empty() && spatial_levels.front() == 0;
    const int64_t top_combos = top_spatial ? top_units_ : 1;
    const std::vector<int> top_levels = top_spatial ? std::vector<int>{0} : std::vector<int>{};
    for (int64_t m = 0; m < top_combos; ++m) c.top_unit.push_back(units_of(m, top_levels));
    top_table_[d].assign(static_cast<size_t>(top_combos), Range{});
    top_combo_[d].assign(static_cast<size_t>(top_units_), 0);
    if (top_spatial)
      for (int64_t u = 0; u < top_units_; ++u) top_combo_[d][u] = static_cast<int32_t>(u);
  }
  compute_trips();
  dirty_.fill(1);
  compute_tables(true);
}

// Trip count of each loop from the largest extent its dimension has at that point (rule 2).
void FactoredWalker::compute_trips() {
  std::array<int64_t, kNumDims> ext = extent_;
  for (size_t k = 0; k < loops_.size(); ++k) {
    const GLoop& g = loops_[k];
    int64_t& e = ext[idx(g.dim)];
    const int64_t tiles = ceil_div(e, g.tile);
    trips_[k] = g.kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, g.units);
    const int64_t first = g.kind == LoopKind::kTemporal ? index_[k] : index_[k] * g.units;
    e = std::max<int64_t>(0, std::min(g.tile, e - first * g.tile));
  }
}

void FactoredWalker::fill(const std::vector<GLoop>& loops, const std::vector<int64_t>& index,
                          const std::vector<int>& chain, int n, const std::vector<int64_t>& unit,
                          int64_t extent, Range& r) {
  r = Range{0, extent};
  for (int i = 0; i < n; ++i) {
    const GLoop& g = loops[chain[i]];
    const int64_t j = g.kind == LoopKind::kTemporal ? index[chain[i]]
                                                    : index[chain[i]] * g.units + unit[i];
    const int64_t lo = r.lo + j * g.tile;
    r = lo >= r.hi ? Range{r.hi, r.hi} : Range{lo, std::min(lo + g.tile, r.hi)};
  }
}

// Recomputes the tables of the dimensions marked dirty (top tables too when `top`).
void FactoredWalker::compute_tables(bool top) {
  for (int d = 0; d < kNumDims; ++d) {
    if (!dirty_[d]) continue;
    const Chain& c = chains_[d];
    const int n = static_cast<int>(c.loops.size());
    for (size_t m = 0; m < table_[d].size(); ++m)
      fill(loops_, index_, c.loops, n, c.unit[m], extent_[d], table_[d][m]);
    for (size_t m = 0; top && m < top_table_[d].size(); ++m)
      fill(loops_, index_, c.loops, c.top, c.top_unit[m], extent_[d], top_table_[d][m]);
  }
}

void FactoredWalker::next() {
  if (done_) return;
  dirty_.fill(0);
  int k = static_cast<int>(loops_.size()) - 1;
  for (; k >= 0; --k) {
    dirty_[idx(loops_[k].dim)] |= index_[k] != 0 || trips_[k] > 1;  // its index changes
    if (++index_[k] < trips_[k]) break;
    index_[k] = 0;
  }
  if (k < 0) {
    done_ = true;
    return;
  }
  ++step_;
  if (loops_[k].level == 0) ++top_step_;
  compute_trips();
  compute_tables(loops_[k].level == 0);
}

PeTile FactoredWalker::tile(int64_t pe) const {
  PeTile t;
  for (int d = 0; d < kNumDims; ++d) t.r[d] = table_[d][combo_[d][pe]];
  return t;
}

PeTile FactoredWalker::top_box(int64_t unit) const {
  PeTile t;
  for (int d = 0; d < kNumDims; ++d) t.r[d] = top_table_[d][top_combo_[d][unit]];
  return t;
}

}  // namespace baton::detail
