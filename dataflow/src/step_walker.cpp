#include "baton/dataflow/step_walker.h"

#include <algorithm>

namespace baton {
namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

bool PeTile::active() const {
  for (const Range& x : r)
    if (x.size() == 0) return false;
  return true;
}

int64_t PeTile::macs() const {
  int64_t m = 1;
  for (const Range& x : r) m *= x.size();
  return m;
}

std::vector<int64_t> tile_elements(const LayerSpec& L, Tensor t, const PeTile& tile) {
  std::vector<int64_t> out = {0};
  for (const TensorCoord& c : L.coords(t)) {
    std::vector<int64_t> vals;
    int64_t size;
    const Range& a = tile.r[idx(c.a)];
    if (c.b) {
      const Range& b = tile.r[idx(*c.b)];
      size = (L.dim(c.a) - 1) * c.stride + L.dim(*c.b);
      for (int64_t p = a.lo; p < a.hi; ++p)
        for (int64_t r = b.lo; r < b.hi; ++r) vals.push_back(p * c.stride + r);
      std::sort(vals.begin(), vals.end());
      vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
    } else {
      size = L.dim(c.a);
      for (int64_t v = a.lo; v < a.hi; ++v) vals.push_back(v);
    }
    std::vector<int64_t> next;
    next.reserve(out.size() * vals.size());
    for (int64_t o : out)
      for (int64_t v : vals) next.push_back(o * size + v);
    out.swap(next);
  }
  return out;  // row-major enumeration of sorted coordinates is sorted
}

StepWalker::StepWalker(const Schedule& schedule) : s_(schedule) {
  const auto& levels = s_.levels();
  for (size_t l = 0; l < levels.size(); ++l)
    for (const Loop& lp : levels[l].loops)
      loops_.push_back(GLoop{static_cast<int>(l), lp.dim, lp.kind, lp.tile, levels[l].units});
  index_.assign(loops_.size(), 0);
  trips_.assign(loops_.size(), 1);
  const int64_t pes = s_.pes_used();
  unit_.resize(pes);
  for (int64_t pe = 0; pe < pes; ++pe)
    for (size_t l = 0; l < levels.size(); ++l)
      unit_[pe].push_back(s_.unit_of(pe, static_cast<int>(l)));
  tiles_.resize(pes);
  compute_trips();
  compute_tiles();
}

// Trip count of each loop from the largest extent its dimension has at that point (rule 2).
void StepWalker::compute_trips() {
  std::array<int64_t, kNumDims> ext = s_.layer().extent;
  for (size_t k = 0; k < loops_.size(); ++k) {
    const GLoop& g = loops_[k];
    int64_t& e = ext[idx(g.dim)];
    const int64_t tiles = ceil_div(e, g.tile);
    trips_[k] = g.kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, g.units);
    const int64_t first = g.kind == LoopKind::kTemporal ? index_[k] : index_[k] * g.units;
    e = std::max<int64_t>(0, std::min(g.tile, e - first * g.tile));
  }
}

void StepWalker::compute_tiles() {
  const auto& E = s_.layer().extent;
  for (size_t pe = 0; pe < tiles_.size(); ++pe) {
    PeTile& t = tiles_[pe];
    for (Dim d : kAllDims) t.r[idx(d)] = Range{0, E[idx(d)]};
    for (size_t k = 0; k < loops_.size(); ++k) {
      const GLoop& g = loops_[k];
      Range& r = t.r[idx(g.dim)];
      const int64_t j =
          g.kind == LoopKind::kTemporal ? index_[k] : index_[k] * g.units + unit_[pe][g.level];
      const int64_t lo = r.lo + j * g.tile;
      r = lo >= r.hi ? Range{r.hi, r.hi} : Range{lo, std::min(lo + g.tile, r.hi)};
    }
  }
}

void StepWalker::next() {
  if (done_) return;
  int k = static_cast<int>(loops_.size()) - 1;
  for (; k >= 0; --k) {
    if (++index_[k] < trips_[k]) break;
    index_[k] = 0;
  }
  if (k < 0) {
    done_ = true;
    return;
  }
  changed_ = k;
  ++step_;
  if (loops_[k].level == 0) ++top_step_;
  compute_trips();
  compute_tiles();
}

int64_t StepWalker::active_pes() const {
  return std::count_if(tiles_.begin(), tiles_.end(), [](const PeTile& t) { return t.active(); });
}

int64_t StepWalker::busiest_pe_macs() const {
  int64_t best = 0;
  for (const PeTile& t : tiles_) best = std::max(best, t.macs());
  return best;
}

}  // namespace baton
