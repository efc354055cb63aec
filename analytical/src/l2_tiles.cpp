#include "l2_tiles.h"

#include <algorithm>

#include "top_classes.h"

namespace baton::detail {

L2Tiles::L2Tiles(const Schedule& s, const Chains& chains, Mem* mem) : s_(s), unions_(mem) {
  const LayerSpec& L = s.layer();
  top_k_.fill(-1);
  const DimMask output_dim = tensor_dims(L, Tensor::kOutput);
  for (const Loop& lp : s.levels().front().loops) {
    top_k_[idx(lp.dim)] = top_n_++;
    if (!non_output_top_.push_back(!output_dim[idx(lp.dim)])) {
      exact_only_ = true;  // more top-level loops than dims: not a build_schedule result
      return;
    }
  }
  size_t all_slots = 0;
  for (const DimChain& c : chains) all_slots += c.top_x.size();
  unions_.resize(all_slots);  // zeros; dims in order
  size_t off = 0;
  for (Dim d : kAllDims) {
    const DimChain& c = chains[idx(d)];
    // Top-level chain loops of d: its loops at level 0 (one directive per dim and level; they
    // come first in the chain).
    if (c.loops.size() > 1 && c.loops[1].level == 0) {  // not produced by build_schedule; the
      exact_only_ = true;                                // exact pass handles anything
      return;
    }
    // Per listed top-level index (slot): the union along d of the active units' ranges over the
    // inner steps is the top-level tile when the entries' lengths fill it (they are disjoint:
    // distinct tuples / units of one dim).
    chain_[idx(d)] = &c;
    const size_t slots = c.top_x.size();  // 1 without a top-level loop on d
    ubegin_[idx(d)] = static_cast<int32_t>(off);
    DimUnion* u = unions_.data() + off;
    off += slots;
    const int64_t extent = L.dim(d);
    // Held whole (no loops: one slot, one entry [0, extent) of weight 1): what the general
    // computation below gives, without it.
    if (!c.has_top && c.combos == 1 && c.entries.size() == 1 && c.combo_w[0] == 1 &&
        c.entries[0].r.lo == 0 && c.entries[0].r.hi == extent) {
      u[0] = DimUnion{0, extent, extent, true};
      continue;
    }
    // A combo's entries are in step order, so its slots ascend: runs of equal e.top count the
    // slots it is active at. Fewest of them over the combos active somewhere.
    int64_t fewest = -1;
    for (int64_t combo = 0; combo < c.combos; ++combo) {
      const int64_t w = c.combo_w[combo];
      int64_t n = 0;
      int32_t last = -1;
      for (const ChainEntry& e : c.list(combo)) {
        DimUnion& x = u[e.top];
        x.any = true;
        x.sum += w * e.r.size();
        n += e.top != last ? 1 : 0;
        last = e.top;
      }
      if (n > 0 && (fewest < 0 || n < fewest)) fewest = n;
    }
    int64_t prefixes = 0;
    int64_t step = 0;
    if (c.has_top) {
      const ChainLoop& lp = c.loops[0];
      step = lp.kind == LoopKind::kSpatial ? lp.tile * lp.units : lp.tile;
    }
    for (size_t p = 0; p < slots; ++p) {
      DimUnion& x = u[p];
      x.lo = 0, x.hi = extent;
      if (c.has_top) {
        x.lo = c.top_x[p] * step;
        x.hi = std::min(x.lo + step, extent);
      }
      prefixes += x.any ? 1 : 0;
      if (x.any && x.sum != x.hi - x.lo) exact_only_ = true;
    }
    // A combo active for some but not all prefixes can leave a PE idle for a top-level step.
    if (fewest > 0 && fewest < prefixes) short_[idx(d)] = true;
  }
  const int64_t no_top[1] = {0};  // (not read: dims without a top-level loop)
  fixed_.any = true;
  for (Dim d : kAllDims) {
    if (top_k_[idx(d)] >= 0) {
      top_dims_.push_back(d);
      continue;
    }
    fixed_.u[idx(d)] = dim_union(d, no_top);
    fixed_.any = fixed_.any && fixed_.u[idx(d)];
  }
  for (int t = 0; t < 3; ++t) {
    const Tensor T = static_cast<Tensor>(t);
    has_[t] = L.has_tensor(T);
    if (!has_[t]) continue;
    for (const TensorCoord& tc : L.coords(T))
      if (!coords_[t].push_back(Coord{tc.a, tc.b.has_value(), tc.b ? *tc.b : Dim::K, tc.stride}))
        exact_only_ = true;  // TopTile holds up to 8 coordinates
  }
}

const L2Tiles::DimUnion* L2Tiles::dim_union(Dim d, const int64_t* top) const {
  const int k = top_k_[idx(d)];
  const DimChain& c = *chain_[idx(d)];
  int64_t p = 0;
  if (k >= 0) {
    p = c.top_slot(top[k]);
    if (p < 0) return nullptr;
  }
  const DimUnion& u = unions_[ubegin_[idx(d)] + p];
  return u.any ? &u : nullptr;
}

bool L2Tiles::blocks(int t, const int64_t* top, Blocks* out) const {
  // Any PE active: every dim has an active unit at this prefix.
  for (Dim d : kAllDims)
    if (!dim_union(d, top)) return false;
  for (size_t i = 0; i < coords_[t].size(); ++i) {
    const Coord& c = coords_[t][i];
    const DimUnion* ua = dim_union(c.a, top);
    Blocks& b = out[i];
    if (!c.window) {
      b = Blocks{0, 1, ua->lo, ua->hi, 1};
      continue;
    }
    const DimUnion* ub = dim_union(c.b, top);
    const int64_t rows = ub->hi - ub->lo;
    if (rows >= c.sigma || ua->hi - ua->lo == 1) {
      b = Blocks{0, 1, ua->lo * c.sigma + ub->lo, (ua->hi - 1) * c.sigma + ub->hi, c.sigma};
    } else {
      b = Blocks{ua->lo, ua->hi, ub->lo, ub->hi, c.sigma};
    }
  }
  return true;
}

int64_t L2Tiles::intersect(const Blocks& x, const Blocks& y) {
  auto ov = [](int64_t l1, int64_t h1, int64_t l2, int64_t h2) {
    return std::max<int64_t>(0, std::min(h1, h2) - std::max(l1, l2));
  };
  if (x.b - x.a == 1 && y.b - y.a == 1)
    return ov(x.a * x.sigma + x.c, x.a * x.sigma + x.d, y.a * y.sigma + y.c, y.a * y.sigma + y.d);
  // Let y have several (disjoint) blocks; x's blocks are disjoint too.
  const Blocks& m = y.b - y.a > 1 ? y : x;
  const Blocks& o = y.b - y.a > 1 ? x : y;
  const int64_t sg = m.sigma;
  auto floor_div = [](int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  int64_t n = 0;
  if (o.sigma == sg) {
    // Block p of o meets block q = p + δ of m in a part that depends on δ only: the δ with a
    // non-empty part, times the p in o's range with p + δ in m's.
    const int64_t d0 = floor_div(o.c - m.d, sg) + 1, d1 = floor_div(o.d - m.c - 1, sg);
    for (int64_t d = d0; d <= d1; ++d) {
      const int64_t ps = std::min(o.b, m.b - d) - std::max(o.a, m.a - d);
      if (ps > 0) n += ps * ov(o.c, o.d, d * sg + m.c, d * sg + m.d);
    }
    return n;
  }
  for (int64_t p = o.a; p < o.b; ++p) {
    const int64_t lo = p * o.sigma + o.c, hi = p * o.sigma + o.d;
    // Blocks q of m with q·σ + m.c < hi and q·σ + m.d > lo.
    int64_t q0 = floor_div(lo - m.d, sg) + 1, q1 = floor_div(hi - m.c - 1, sg);
    q0 = std::max(q0, m.a), q1 = std::min(q1, m.b - 1);
    for (int64_t q = q0; q <= q1; ++q) n += ov(lo, hi, q * sg + m.c, q * sg + m.d);
  }
  return n;
}

std::array<int64_t, 3> L2Tiles::sizes(const int64_t* top) const {
  std::array<int64_t, 3> out{};
  Blocks b[8];
  for (int t = 0; t < 3; ++t) {
    if (!has_[t] || !blocks(t, top, b)) continue;
    int64_t n = 1;
    for (size_t i = 0; i < coords_[t].size(); ++i) n *= b[i].size();
    out[t] = n;
  }
  return out;
}

std::array<int64_t, 3> L2Tiles::common(const int64_t* a, const int64_t* b) const {
  std::array<int64_t, 3> out{};
  Blocks ba[8], bb[8];
  for (int t = 0; t < 3; ++t) {
    if (!has_[t] || !blocks(t, a, ba) || !blocks(t, b, bb)) continue;
    int64_t n = 1;
    for (size_t i = 0; i < coords_[t].size() && n; ++i) n *= intersect(ba[i], bb[i]);
    out[t] = n;
  }
  return out;
}

L2Tiles::Blocks L2Tiles::coord_blocks(const Coord& c,
                                       const std::array<const DimUnion*, kNumDims>& u) {
  const DimUnion* ua = u[idx(c.a)];
  if (!c.window) return Blocks{0, 1, ua->lo, ua->hi, 1};
  const DimUnion* ub = u[idx(c.b)];
  if (ub->hi - ub->lo >= c.sigma || ua->hi - ua->lo == 1)
    return Blocks{0, 1, ua->lo * c.sigma + ub->lo, (ua->hi - 1) * c.sigma + ub->hi, c.sigma};
  return Blocks{ua->lo, ua->hi, ub->lo, ub->hi, c.sigma};
}

void L2Tiles::tile(const int64_t* top, TopTile& out) const {
  // Dims without a top-level loop have the same union at every step (fixed_).
  out = fixed_;
  if (!out.any) return;
  for (const Dim d : top_dims_) {  // dim_union, inline: a few per class of the class pass
    const int i = idx(d);
    const int64_t p = chain_[i]->top_slot(top[top_k_[i]]);
    const DimUnion* u = p < 0 || !unions_[ubegin_[i] + p].any ? nullptr : &unions_[ubegin_[i] + p];
    out.u[i] = u;
    if (!u) {
      out.any = false;
      return;
    }
  }
}

std::array<int64_t, 3> L2Tiles::sizes(const TopTile& x) const {
  std::array<int64_t, 3> out{};
  if (!x.any) return out;
  for (int t = 0; t < 3; ++t) {
    if (!has_[t]) continue;
    int64_t n = 1;
    for (const Coord& c : coords_[t]) {
      const DimUnion* ua = x.u[idx(c.a)];
      const int64_t la = ua->hi - ua->lo;
      if (!c.window) {
        n *= la;
        continue;
      }
      // coord_blocks(c, x.u).size(): one interval, or la blocks of ub's length.
      const DimUnion* ub = x.u[idx(c.b)];
      const int64_t lb = ub->hi - ub->lo;
      n *= lb >= c.sigma || la == 1 ? (la - 1) * c.sigma + lb : la * lb;
    }
    out[t] = n;
  }
  return out;
}

std::array<int64_t, 3> L2Tiles::common(const TopTile& x, const TopTile& y) const {
  std::array<int64_t, 3> out{};
  if (!x.any || !y.any) return out;
  for (int t = 0; t < 3; ++t) {
    if (!has_[t]) continue;
    int64_t n = 1;
    for (const Coord *c = coords_[t].begin(), *e = coords_[t].end(); c != e && n; ++c) {
      const DimUnion *xa = x.u[idx(c->a)], *ya = y.u[idx(c->a)];
      if (!c->window) {
        n *= xa == ya ? xa->hi - xa->lo
                      : std::max<int64_t>(0, std::min(xa->hi, ya->hi) - std::max(xa->lo, ya->lo));
      } else if (xa == ya && x.u[idx(c->b)] == y.u[idx(c->b)]) {
        n *= coord_blocks(*c, x.u).size();  // equal blocks (disjoint within each tile)
      } else {
        n *= intersect(coord_blocks(*c, x.u), coord_blocks(*c, y.u));
      }
    }
    out[t] = n;
  }
  return out;
}

bool L2Tiles::revisit(const int64_t* top) const {
  for (int k = 0; k < top_n_; ++k)
    if (top[k] != 0 && non_output_top_[k]) return true;
  return false;
}

}  // namespace baton::detail
