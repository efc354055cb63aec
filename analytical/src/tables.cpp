// Group tables (tables.h): the constructor and the single-dim tables (per-key sums over one
// dim's (unit combination, step entry) picks, per variant). Window tables: tables_window.cpp.
#include "tables.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <stdexcept>

namespace baton::detail {

namespace {

// Every combo lists at most one entry: the all-zero tuple, of top-level weight 1.
bool one_tuple(const DimChain& c) {
  for (int64_t u = 0; u < c.combos; ++u) {
    const EntryList list = c.list(u);
    if (list.size() > 1) return false;
    if (list.empty()) continue;
    for (const int32_t i : list.front().idx)
      if (i != 0) return false;
    if (c.top_w1[list.front().top] != 1) return false;
  }
  return true;
}

}  // namespace

Groups tensor_groups(const LayerSpec& L, Tensor t) {
  Groups groups;
  tensor_groups(L, t, groups);
  return groups;
}

void tensor_groups(const LayerSpec& L, Tensor t, Groups& groups) {
  groups.n = 0;
  std::array<bool, kNumDims> in_tensor{};
  for (const TensorCoord& c : L.coords(t)) {
    Group& g = groups.v[groups.n++];
    g.dims = {c.a, c.a};
    g.ndims = 1, g.sigma = 1, g.coupled = true;
    in_tensor[idx(c.a)] = true;
    if (c.b) {
      g.dims[1] = *c.b;
      g.ndims = 2;
      g.sigma = c.stride;
      in_tensor[idx(*c.b)] = true;
    }
  }
  for (Dim d : kAllDims)
    if (!in_tensor[idx(d)]) groups.push_back(Group{{d, d}, 1, 1, false});
}

Tables::Tables(const Schedule& s, const Chains& chains, Mem* mem)
    : chains_(chains),
      m_(num_global_loops(s)),
      store_(8192, mem),
      scratch_(nullptr, ScratchFree{mem}) {
  const LayerSpec& L = s.layer();
  int windows = 0;
  std::array<bool, kNumDims> in_window{};
  for (int t = 0; t < 3; ++t) {
    has_[t] = L.has_tensor(static_cast<Tensor>(t));
    if (!has_[t]) continue;
    tensor_groups(L, static_cast<Tensor>(t), groups_[t]);
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      if (gr.ndims != 2) continue;
      ref_[t][g] = Ref{windows++, static_cast<int8_t>(idx(gr.dims[0])),
                       static_cast<int8_t>(idx(gr.dims[1])), true};
      in_window[idx(gr.dims[0])] = in_window[idx(gr.dims[1])] = true;
    }
  }
  // Variants per dim: transitions owned by chain loop j (j), with j loops of the dim before the
  // position (n + j), step 0 (2n + 1), final (2n + 2).
  for (const DimChain& c : chains) nv_ = std::max(nv_, 2 * static_cast<int>(c.loops.size()) + 3);
  if (nv_ > kMaxVariants) throw std::logic_error("Tables: more than 16 loops on a dim");
  for (int t = 0; t < 3; ++t)
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      Ref& r = ref_[t][g];
      if (r.window) {
        r.base *= nv_ * nv_;
      } else {
        r.a = static_cast<int8_t>(idx(gr.dims[0]));
        r.base = (idx(gr.dims[0]) * 2 + (gr.coupled ? 1 : 0)) * nv_;
      }
    }
  // Every index array in one zeroed block.
  const size_t nsingle = static_cast<size_t>(kNumDims) * 2 * nv_;
  const size_t nwindow = static_cast<size_t>(windows) * nv_ * nv_;
  const size_t nvar = static_cast<size_t>(m_ + 2) * kNumDims;
  const size_t nrowtab = static_cast<size_t>(m_ + 2) * 3;
  const size_t bytes = (nsingle + nwindow) * sizeof(FlatTable*) +
                       nrowtab * sizeof(const FlatTable**) +
                       static_cast<size_t>(kNumDims) * nv_ * sizeof(int32_t) +
                       (nvar + static_cast<size_t>(m_) + 4) * sizeof(int16_t);
  std::byte* block = static_cast<std::byte*>(store_.allocate(bytes, alignof(FlatTable*)));
  zero_bytes(block, bytes);
  single_ = reinterpret_cast<FlatTable**>(block);
  window_ = single_ + nsingle;
  rowtab_ = reinterpret_cast<const FlatTable***>(window_ + nwindow);
  npicks_ = reinterpret_cast<int32_t*>(rowtab_ + nrowtab);
  var_ = reinterpret_cast<int16_t*>(npicks_ + static_cast<size_t>(kNumDims) * nv_);
  advancing_ = var_ + nvar;
  for (const DimChain& c : chains) {
    const int n = static_cast<int>(c.loops.size());
    if (n == 0) continue;
    int16_t* var = &var_[idx(c.dim)];
    // A dim whose every unit combination lists (at most) the all-zero tuple, of top-level
    // weight 1, has the same picks (x = y = that entry, weight 1) at step 0, at the end and at
    // every position its loops do not own: one table for all of them (positions it owns never
    // advance).
    const bool one = one_tuple(c);
    int k = 0;  // chain loops are in global order
    for (int j = 0; j <= n; ++j) {
      const int16_t between = static_cast<int16_t>(one ? 2 * n + 1 : n + j);
      const int end = j < n ? c.loops[j].pos : m_;
      for (; k < end; ++k) var[k * kNumDims] = between;
      if (j == n) break;
      var[k * kNumDims] = static_cast<int16_t>(j);
      // advancing_ doubles as a flag per position until it is compacted below
      advancing_[k++] = c.radix[j] > 1 ? 1 : 0;
    }
    var[m_ * kNumDims] = static_cast<int16_t>(2 * n + 1);
    var[(m_ + 1) * kNumDims] = static_cast<int16_t>(one ? 2 * n + 1 : 2 * n + 2);
  }
  for (int k = 0; k < m_; ++k)
    if (advancing_[k]) advancing_[nadvancing_++] = static_cast<int16_t>(k);
  // The variants step 0, the end and the advancing positions use (tensor_counts asks for all of
  // them, the class pass for some).
  // Dims without loops outside windows (no picks needed): their one variant directly, the
  // tables of all of them in one block.
  const auto fixed = [&](const DimChain& c) {
    return c.loops.empty() && c.ids == 1 && !in_window[idx(c.dim)];
  };
  int nfixed = 0;
  for (const DimChain& c : chains) nfixed += fixed(c) ? 1 : 0;
  FlatTable* fx = nfixed == 0 ? nullptr
                              : static_cast<FlatTable*>(store_.allocate(
                                    nfixed * (2 * sizeof(FlatTable) + 2 * sizeof(Sums)),
                                    alignof(FlatTable)));
  for (const DimChain& c : chains) {
    const int n = static_cast<int>(c.loops.size());
    if (fixed(c)) {
      build_fixed(c, fx);
      fx = reinterpret_cast<FlatTable*>(reinterpret_cast<Sums*>(fx + 2) + 2);
      continue;
    }
    list_picks(c);
    std::array<uint8_t, kMaxVariants> need{};
    need[n == 0 ? 0 : 2 * n + 1] = need[n == 0 ? 0 : 2 * n + 2] = 1;
    if (n > 0)
      for (const int16_t k : advancing()) need[var_[k * kNumDims + idx(c.dim)]] = 1;
    build_single(c, need.data());
    // What each PE ever holds (tensor_counts): every entry with its top-level weight.
    Held& h = held_[idx(c.dim)];
    for (int64_t u = 0; u < c.combos; ++u) {
      const EntryList list = c.list(u);
      if (list.empty()) continue;
      const double cw = double(c.combo_w[u]);
      h.any = 1;
      h.free += cw;
      for (const auto& e : list) h.coupled += cw * double(c.top_w1[e.top]) * double(e.r.size());
    }
  }
  for (int t = 0; t < 3; ++t) {
    if (!has_[t]) continue;
    constant_[t] = Sums{1, 1, 1, 1, 1, 1};
    for (size_t g = 0; g < groups_[t].size(); ++g) {
      const Group& gr = groups_[t][g];
      const bool loops = var_[m_ * kNumDims + idx(gr.dims[0])] != 0 ||
                         (gr.ndims == 2 && var_[m_ * kNumDims + idx(gr.dims[1])] != 0);
      if (loops) {
        varying_[t].push_back(static_cast<int8_t>(g));
        continue;
      }
      const Sums& x = get(t, g, Mode::kStep0, 0).total;
      Sums& c = constant_[t];
      c.n *= x.n, c.h *= x.h, c.i *= x.i, c.nd *= x.nd, c.hd *= x.hd, c.id *= x.id;
    }
  }
}

void Tables::list_picks(const DimChain& c) {
  const int d = idx(c.dim);
  // Each variant picks an entry at most once: a bucket of entries.size() picks per variant,
  // filled in for_picks order.
  const size_t stride = c.entries.size();
  const int nv = c.loops.empty() ? 1 : 2 * static_cast<int>(c.loops.size()) + 3;
  Pick* const p = static_cast<Pick*>(
      store_.allocate(std::max<size_t>(1, stride * nv) * sizeof(Pick), alignof(Pick)));
  int32_t* const n = &npicks_[d * nv_];
  for_all_picks(c, [&](int v, int64_t u, const ChainEntry& x, const ChainEntry& y, double w) {
    p[v * stride + n[v]++] = Pick{&x, &y, w, double(c.combo_w[u])};
  });
  picks_[d] = p;
  stride_[d] = stride;
}

void Tables::build_fixed(const DimChain& c, FlatTable* ft) {
  // The one variant (as at step 0) picks each combo's entry (the empty tuple, id 0) with
  // itself, weight 1: build_single's sums, in the same order, without listing the picks.
  double n = 0, cws = 0, any = 0, held = 0;
  for (int64_t u = 0; u < c.combos; ++u) {
    const EntryList list = c.list(u);
    if (list.empty()) continue;
    const ChainEntry& e = list.front();
    const double cw = double(c.combo_w[u]);
    n += cw * double(e.r.size());
    cws += cw;
    any = 1;
    held += cw * double(c.top_w1[e.top]) * double(e.r.size());
  }
  Sums* key = reinterpret_cast<Sums*>(ft + 2);
  key[0] = Sums{n, n, n, n, n, n};
  key[1] = any != 0 ? Sums{cws, cws, cws, 1, 1, 1} : Sums{};
  ft[0].v = key, ft[0].size = 1, ft[0].total = key[0];
  ft[1].v = key + 1, ft[1].size = 1, ft[1].total = key[1];
  single_[(idx(c.dim) * 2 + 1) * nv_] = &ft[0];
  single_[idx(c.dim) * 2 * nv_] = &ft[1];
  held_[idx(c.dim)] = Held{held, cws, any};
}

void Tables::build_single(const DimChain& c, const uint8_t* need) {
  static_assert(std::is_trivially_copyable_v<Sums> && std::is_trivially_copyable_v<FlatTable>);
  static_assert(sizeof(FlatTable) % alignof(Sums) == 0 && alignof(FlatTable) <= alignof(Sums));
  const int d = idx(c.dim);
  const int n = static_cast<int>(c.loops.size());
  const int nv = n == 0 ? 1 : 2 * n + 3;
  // Free dims at step 0 / the end (variants from nkeyed on) have one key (siblings hold equal
  // tiles, point 4: one per step tuple, and one for the final write-back even when siblings
  // ended at different steps).
  const int64_t ids = std::max<int32_t>(c.ids, 1);
  const int nkeyed = n > 0 ? 2 * n + 1 : 0;
  // One block: the FlatTables of the variants built (every field set below), then their keys.
  int built = 0;
  int64_t keys = 0;
  for (int v = 0; v < nv; ++v)
    if (need[v]) ++built, keys += ids + (v < nkeyed ? ids : 1);
  if (built == 0) return;
  FlatTable* ft = static_cast<FlatTable*>(store_.allocate(
      2 * built * sizeof(FlatTable) + static_cast<size_t>(keys) * sizeof(Sums), alignof(FlatTable)));
  Sums* key = reinterpret_cast<Sums*>(ft + 2 * built);
  zero_bytes(key, static_cast<size_t>(keys) * sizeof(Sums));
  FlatTable** const sco = &single_[(d * 2 + 1) * nv_];
  FlatTable** const sfr = &single_[d * 2 * nv_];
  for (int v = 0; v < nv; ++v) {
    if (!need[v]) continue;
    const int64_t nf = v < nkeyed ? ids : 1;
    FlatTable& co = *ft++;
    FlatTable& fr = *ft++;
    Sums* const vc = key;
    Sums* const vf = vc + ids;
    key += ids + nf;
    co.v = vc, co.size = c.ids;
    fr.v = vf, fr.size = v < nkeyed ? c.ids : 1;
    sco[v] = &co;
    sfr[v] = &fr;
    // Totals weight each key by the top-level indices it stands for (the same for every pick
    // of the key), summed per pick: all terms are integers, exact in any order.
    double cn = 0, ch = 0, ci = 0, fn = 0, fd = 0;  // the totals (coupled n, h, i; free n, nd)
    int32_t np = 0;
    const Pick* pk = picks(d, v, np);
    // A pick's coupled sums: |N| = |x|, |H| = |y|, |N ∩ H|, each times the combo weight.
    const auto coupled = [](const ChainEntry& x, const ChainEntry& y, double cw) {
      const double xi =
          double(std::max<int64_t>(0, std::min(x.r.hi, y.r.hi) - std::max(x.r.lo, y.r.lo)));
      return std::array<double, 3>{cw * double(x.r.size()), cw * double(y.r.size()), cw * xi};
    };
    if (c.combos == 1) {
      // One combo: a variant picks each entry (so each key) at most once, and step 0 / the end
      // one entry: the sums are the pick's own, stored without accumulating.
      for (int32_t i = 0; i < np; ++i) {
        const ChainEntry& x = *pk[i].x;
        const ChainEntry& y = *pk[i].y;
        const double cw = pk[i].cw, tw = pk[i].w;
        vf[v < nkeyed ? x.id : 0] = Sums{cw, cw, cw, 1, 1, 1};
        fn += tw * cw, fd += tw;
        const auto [qn, qh, qi] = coupled(x, y, cw);
        vc[x.id] = Sums{qn, qh, qi, qn, qh, qi};
        cn += tw * qn, ch += tw * qh, ci += tw * qi;
      }
      np = 0;
    }
    for (int32_t i = 0; i < np; ++i) {
      const ChainEntry& x = *pk[i].x;
      const ChainEntry& y = *pk[i].y;
      const double cw = pk[i].cw, tw = pk[i].w;
      Sums& f = vf[v < nkeyed ? x.id : 0];
      f.n += cw, f.h += cw, f.i += cw;
      if (f.nd == 0) {
        f.nd = f.hd = f.id = 1;
        fd += tw;
      }
      fn += tw * cw;
      Sums& q = vc[x.id];
      const auto [qn, qh, qi] = coupled(x, y, cw);
      q.n += qn, q.h += qh, q.i += qi;
      q.nd = q.n, q.hd = q.h, q.id = q.i;  // units of a coupled dim hold disjoint tiles
      cn += tw * qn, ch += tw * qh, ci += tw * qi;
    }
    co.total = Sums{cn, ch, ci, cn, ch, ci};
    fr.total = Sums{fn, fn, fn, fd, fd, fd};
  }
}

const FlatTable& Tables::build(int t, size_t g, int r) {
  const Group& gr = groups_[t][g];
  const int va = variant(gr.dims[0], r);
  if (gr.ndims == 2) return build_window(t, g, va, variant(gr.dims[1], r));
  // A single-dim variant the constructor did not build.
  const DimChain& c = chains_[idx(gr.dims[0])];
  std::array<uint8_t, kMaxVariants> need{};
  need[va] = 1;
  build_single(c, need.data());
  return *single_[(idx(gr.dims[0]) * 2 + (gr.coupled ? 1 : 0)) * nv_ + va];
}

const FlatTable** Tables::fill_row(int t, int r) {
  const size_t n = varying_[0].size() + varying_[1].size() + varying_[2].size();
  const FlatTable** p = static_cast<const FlatTable**>(
      store_.allocate(std::max<size_t>(1, n) * sizeof(const FlatTable*), alignof(FlatTable*)));
  for (int u = 0; u < 3; ++u) {
    rowtab_[r * 3 + u] = p;  // a tensor without groups: an empty row
    if (!has_[u]) continue;
    const auto& vg = varying_[u];
    for (size_t j = 0; j < vg.size(); ++j) p[j] = &at_row(u, static_cast<size_t>(vg[j]), r);
    p += vg.size();
  }
  return rowtab_[r * 3 + t];
}

}  // namespace baton::detail
