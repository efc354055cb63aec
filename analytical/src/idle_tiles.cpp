#include "idle_tiles.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace baton::detail {

IdleTiles::IdleTiles(const Schedule& s, const Chains& chains, const L2Tiles& base, Mem* mem)
    : s_(s), base_(base), slots_(mem), dim_rows_(mem), pool_(mem), tmp_(mem) {
  const LayerSpec& L = s.layer();
  const Level& top = s.levels().front();
  for (int k = 0; k < static_cast<int>(top.loops.size()); ++k) {
    DimInfo& di = dims_[idx(top.loops[k].dim)];
    di.top = k, di.trips = top.loops[k].trips;
    if (!top_dim_.push_back(idx(top.loops[k].dim)))
      throw std::logic_error("IdleTiles: more top-level loops than dims");
  }
  for (int t = 0; t < 3; ++t) {
    has_[t] = L.has_tensor(static_cast<Tensor>(t));
    if (!has_[t]) continue;
    for (const TensorCoord& c : L.coords(static_cast<Tensor>(t))) {
      const CoordSpec cs{idx(c.a), c.b ? idx(*c.b) : -1, c.stride};
      if (!coords_[t].push_back(cs)) throw std::logic_error("IdleTiles: more than 8 coordinates");
      if (c.b) dims_[cs.a].window = dims_[cs.b].window = true;
    }
  }
  Vec<const ChainEntry*> last(mem);
  Vec<std::pair<int32_t, Iv>> ranges(mem);  // window dims: (slot · 2 + long, last range)
  for (Dim d : kAllDims) {
    DimInfo& di = dims_[idx(d)];
    const DimChain& c = chains[idx(d)];
    di.chain = &c;
    di.begin = static_cast<int32_t>(slots_.size());
    const size_t ns = c.top_x.size();
    slots_.resize(slots_.size() + ns);
    SlotInfo* si = slots_.data() + di.begin;
    const int64_t extent = L.dim(d);
    for (size_t p = 0; p < ns; ++p) {
      si[p].lo = 0, si[p].hi = extent;
      if (c.has_top) {
        const ChainLoop& lp = c.loops[0];
        const int64_t step = lp.kind == LoopKind::kSpatial ? lp.tile * lp.units : lp.tile;
        si[p].lo = c.top_x[p] * step;
        si[p].hi = std::min(si[p].lo + step, extent);
      }
    }
    const bool dim_short = base.short_dims()[idx(d)];
    const int64_t end = dim_short ? c.top_slot(di.trips - 1) : -1;
    if (dim_short && (di.top < 0 || end < 0))
      throw std::logic_error("IdleTiles: the last top-level index of a short dim is not listed");
    ranges.clear();
    for (int64_t u = 0; u < c.combos; ++u) {
      const EntryList list = c.list(u);
      if (list.empty()) continue;  // never active
      last.assign(ns, nullptr);
      for (const ChainEntry& e : list) last[e.top] = &e;
      const bool is_short = dim_short && !last[end];
      const int64_t w = c.combo_w[u];
      for (size_t p = 0; p < ns; ++p) {
        if (!last[p]) continue;
        (is_short ? si[p].s : si[p].l) += w * last[p]->r.size();
        (is_short ? si[p].cs : si[p].cl) += w;
        if (di.window) {
          if (w != 1) throw std::logic_error("IdleTiles: window dims need explicit units");
          ranges.push_back({static_cast<int32_t>(p * 2 + (is_short ? 0 : 1)),
                            Iv{last[p]->r.lo, last[p]->r.hi}});
        }
      }
    }
    for (size_t p = 0; p < ns; ++p)
      for (uint8_t mask = 0; mask < 8; ++mask)
        si[p].size[mask] = (mask & kShort ? si[p].s : 0) + (mask & kLong ? si[p].l : 0) +
                           (mask & kRest ? si[p].hi - si[p].lo - si[p].s - si[p].l : 0);
    if (!di.window) continue;
    std::sort(ranges.begin(), ranges.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    size_t i = 0;
    for (size_t p = 0; p < ns; ++p) {
      const size_t b = i;
      while (i < ranges.size() && ranges[i].first < static_cast<int32_t>(2 * p + 1)) ++i;
      const size_t m = i;
      while (i < ranges.size() && ranges[i].first == static_cast<int32_t>(2 * p + 1)) ++i;
      auto put = [&](int kind, size_t from, size_t to, size_t from2, size_t to2) {
        const size_t off = dim_rows_.size();
        for (size_t j = from; j < to; ++j) dim_rows_.push_back(ranges[j].second);
        for (size_t j = from2; j < to2; ++j) dim_rows_.push_back(ranges[j].second);
        si[p].off[kind] = static_cast<int32_t>(off);
        si[p].n[kind] = static_cast<int32_t>(normalize(dim_rows_, off) - off);
      };
      put(0, b, m, 0, 0);  // short units
      put(1, m, i, 0, 0);  // the others
      put(2, b, i, 0, 0);  // all
    }
  }
}

int32_t IdleTiles::slot_of(int d, int64_t x) const {
  const int64_t p = dims_[d].top < 0 ? 0 : dims_[d].chain->top_slot(x);
  if (p < 0) throw std::logic_error("IdleTiles: top-level index not listed in the chains");
  return static_cast<int32_t>(p);
}

void IdleTiles::piece_rows(int d, int32_t slot, uint8_t mask, Rows& out) const {
  const SlotInfo& q = info(d, slot);
  if (mask == kFull) {
    out.push_back({q.lo, q.hi});
    return;
  }
  const int kind = mask == kShort ? 0 : mask == kLong ? 1 : 2;
  if (mask & kRest) throw std::logic_error("IdleTiles: partial top-level tile of a window dim");
  out.insert(out.end(), dim_rows_.begin() + q.off[kind], dim_rows_.begin() + q.off[kind] + q.n[kind]);
}

int64_t IdleTiles::box_size(int t, const Box& b, const Rows& pool) const {
  int64_t n = 1;
  for (size_t i = 0; i < coords_[t].size() && n; ++i) {
    const Coord& c = b.c[i];
    if (coords_[t][i].b >= 0) {
      n *= size_of(pool.data() + c.off, static_cast<size_t>(c.n));
      continue;
    }
    int64_t x = 0;
    for (const Piece& p : c.p) x += p.size[p.mask];
    n *= x;
  }
  return n;
}

int64_t IdleTiles::union_size(int t, const Box* const* boxes, int m, Rows& pool) const {
  // Inclusion–exclusion over the boxes; an empty intersection ends its branch (its supersets
  // are empty too).
  const auto& cs = coords_[t];
  if (m == 1) return box_size(t, *boxes[0], pool);
  Box* stack = stack_.data();
  int64_t total = 0;
  auto rec = [&](auto&& self, int start, int depth, int64_t sign) -> void {
    for (int i = start; i < m; ++i) {
      const size_t mark = pool.size();
      Box& cur = stack[depth];
      bool empty = false;
      if (depth == 0) {
        for (size_t j = 0; j < cs.size(); ++j) cur.c[j] = boxes[i]->c[j];
      } else {
        const Box& a = stack[depth - 1];
        const Box& b = *boxes[i];
        for (size_t j = 0; j < cs.size() && !empty; ++j) {
          Coord& o = cur.c[j];
          const Coord &x = a.c[j], &y = b.c[j];
          if (cs[j].b >= 0) {
            pool.reserve(pool.size() + x.n + y.n);  // no reallocation while reading
            const size_t off = pool.size();
            intersect(pool.data() + x.off, x.n, pool.data() + y.off, y.n, pool);
            o.off = static_cast<int32_t>(off), o.n = static_cast<int32_t>(pool.size() - off);
            empty = o.n == 0;
            continue;
          }
          o.p = {};
          for (const Piece& p : x.p)
            for (const Piece& q : y.p)
              if (p.size == q.size && (p.mask & q.mask))
                o.p.push_back({p.size, p.slot, uint8_t(p.mask & q.mask)});
          empty = o.p.empty();
        }
      }
      const int64_t size = empty ? 0 : box_size(t, cur, pool);
      if (size != 0) {
        total += sign * size;
        self(self, i + 1, depth + 1, -sign);
      }
      pool.resize(mark);
    }
  };
  rec(rec, 0, 0, 1);
  return total;
}

void IdleTiles::tile(const int64_t* top, Tile& out) const {
  out.rows.clear();
  for (auto& b : out.boxes) b.n = 0;
  out.size = {};
  std::array<int32_t, kNumDims> slot{};
  bool active = true;
  for (Dim d : kAllDims) {
    const DimInfo& di = dims_[idx(d)];
    slot[idx(d)] = di.top >= 0 ? slot_of(idx(d), top[di.top]) : 0;
    int64_t lo = 0, hi = 0;
    active = active && base_.top_range(d, top, lo, hi);
  }
  std::array<Small<Piece, 2>, kNumDims> pieces;
  // One box per tensor from the per-dim pieces.
  auto add_box = [&]() {
    for (int t = 0; t < 3; ++t) {
      if (!has_[t]) continue;
      Box b;
      for (size_t i = 0; i < coords_[t].size(); ++i) {
        const CoordSpec& cs = coords_[t][i];
        if (cs.b < 0) {
          b.c[i].p = pieces[cs.a];
          continue;
        }
        const size_t off = out.rows.size();
        for (const Piece& pa : pieces[cs.a])
          for (const Piece& pb : pieces[cs.b]) {
            tmp_.clear();
            piece_rows(cs.a, pa.slot, pa.mask, tmp_);
            const size_t na = tmp_.size();
            piece_rows(cs.b, pb.slot, pb.mask, tmp_);
            for (size_t x = 0; x < na; ++x)
              for (size_t y = na; y < tmp_.size(); ++y)
                window_rows(Range{tmp_[x].lo, tmp_[x].hi}, Range{tmp_[y].lo, tmp_[y].hi},
                            cs.sigma, out.rows);
          }
        b.c[i].off = static_cast<int32_t>(off);
        b.c[i].n = static_cast<int32_t>(normalize(out.rows, off) - off);
      }
      out.boxes[t].push_back(b);
    }
  };
  if (active) {  // the active PEs: the top-level tiles
    for (int d = 0; d < kNumDims; ++d)
      pieces[d] = {}, pieces[d].push_back({info(d, slot[d]).size.data(), slot[d], kFull});
    add_box();
  }
  // PEs idle since the outermost loop k at its end where their unit is short.
  for (size_t k = 0; k < top_dim_.size(); ++k) {
    const int dk = top_dim_[k];
    if (!base_.short_dims()[dk] || top[k] != dims_[dk].trips - 1) continue;
    bool any = true;
    for (int e = 0; e < kNumDims && any; ++e) {
      const DimInfo& di = dims_[e];
      Small<Piece, 2>& pc = pieces[e];
      pc = {};
      int64_t units = 0;
      auto add = [&](int32_t sl, uint8_t mask) {
        const SlotInfo& q = info(e, sl);
        const int64_t u = (mask & kShort ? q.cs : 0) + (mask & kLong ? q.cl : 0);
        if (u) pc.push_back({q.size.data(), sl, mask}), units += u;
      };
      const int j = di.top;
      if (j < 0) {
        add(0, kShort | kLong);
      } else if (j < static_cast<int>(k)) {
        add(slot[e], top[j] == di.trips - 1 ? kLong : kShort | kLong);
      } else if (j == static_cast<int>(k)) {
        add(slot_of(e, di.trips - 2), kShort);
      } else {
        if (base_.short_dims()[e]) add(slot_of(e, di.trips - 2), kShort);
        add(slot_of(e, di.trips - 1), kLong);
      }
      any = units > 0;
    }
    if (any) add_box();
  }
  for (int t = 0; t < 3; ++t) {
    std::array<const Box*, kNumDims + 1> bp{};
    for (size_t i = 0; i < out.boxes[t].size(); ++i) bp[i] = &out.boxes[t][i];
    out.size[t] = union_size(t, bp.data(), static_cast<int>(out.boxes[t].size()), out.rows);
  }
}

std::array<int64_t, 3> IdleTiles::common(const Tile& x, const Tile& y) const {
  std::array<int64_t, 3> out{};
  Box* both = both_.data();
  std::array<const Box*, 2 * (kNumDims + 1)> bp{};
  for (int t = 0; t < 3; ++t) {
    if (x.boxes[t].empty() || y.boxes[t].empty()) continue;
    // Both tiles' boxes over one row pool: y's rows after x's.
    pool_.assign(x.rows.begin(), x.rows.end());
    pool_.insert(pool_.end(), y.rows.begin(), y.rows.end());
    const int32_t shift = static_cast<int32_t>(x.rows.size());
    int m = 0;
    for (const Box& b : x.boxes[t]) bp[m++] = &b;
    for (const Box& b : y.boxes[t]) {
      Box& c = both[m];
      for (size_t i = 0; i < coords_[t].size(); ++i) {
        c.c[i] = b.c[i];
        if (coords_[t][i].b >= 0) c.c[i].off += shift;
      }
      bp[m++] = &c;
    }
    out[t] = x.size[t] + y.size[t] - union_size(t, bp.data(), m, pool_);
  }
  return out;
}

}  // namespace baton::detail
