#include "steps.h"

#include <algorithm>

#include "top_classes.h"
#include "traffic.h"

namespace baton::detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct GLoop {
  Dim dim;
  LoopKind kind;
  int64_t tile, units;
  int64_t extent, trips;  // nominal (every upper tile full): the usual case, no division
  // Trip count when the loop's dim has extent e here.
  int64_t trips_at(int64_t e) const {
    if (e == extent) return trips;
    const int64_t tiles = ceil_div(e, tile);
    return kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, units);
  }
};

bool overlap_nonempty(const Range& a, const Range& b) {
  return std::max(a.lo, b.lo) < std::min(a.hi, b.hi);
}

}  // namespace

struct StepModel::Impl {
  const LayerSpec& L;
  const Chains& chains;
  const HardwareSpec& hw;
  Tables& tab;
  Vec<GLoop> loops;
  int m = 0, top_loops = 0;
  // Per global loop: its dim and how its index enters the dim's tuple code (DimChain::id_at,
  // flattened: one pass over the loops gives every dim's code and the advancing loop).
  struct PosSpec {
    int8_t d = 0;
    bool out = false;   // the output tensor depends on d
    bool slot = false;  // a sparse chain's top-level loop: the index maps to its slot
    int64_t stride = 0, radix = 1;
    const int32_t* slot_of = nullptr;  // slot: DimChain::slot_of (direct lookup below nslot)
    int64_t nslot = 0;
  };
  Vec<PosSpec> pos;
  // Chains with loops (the others have the single tuple id 0, of length fixed_len together).
  struct IdDim {
    int d = 0;
    const int32_t* code_to_id = nullptr;
    const int64_t* maxlen = nullptr;
  };
  Small<IdDim, kNumDims> looped;
  int64_t fixed_len = 1;
  // Group tables per tensor and how to key them: ids[a] · nb + ids[b] over the ids extended by
  // a constant 0 at kZero (one-dim groups: b = kZero; free dims at step 0: key 0).
  static constexpr int kZero = kNumDims;
  using Ids = std::array<int32_t, kNumDims + 1>;
  // No default member initialisers: Flat's Small arrays of keys then value-initialise by
  // zero-filling instead of constructing each of their 3 · 2 · kNumDims slots.
  struct GroupKey {
    int8_t a, b;
    int64_t nb;
  };
  // Tables are read by row (tensor, position) through Tables::row_tables, which keeps the rows
  // tensor_counts already looked up.
  struct Flat {
    Small<int8_t, kNumDims> g;               // group indices (Tables::varying)
    Small<GroupKey, kNumDims> keys, keys0;   // keys at transitions / at step 0
  };
  std::array<Flat, 3> ft;
  std::array<bool, 3> has{};
  std::array<bool, kNumDims> out_dim{};  // dims the output tensor depends on
  // Entry lookup per dim and unit combination: tuple id -> position in the combo's entry list.
  // A single combination lists every tuple of the dim in id order: the position is the id.
  static constexpr size_t kIdIsPos = ~size_t{0};
  Vec<int32_t> entry_pos;  // [base[dim] + combo * ids + id] -> position or -1
  std::array<size_t, kNumDims> entry_base{};

  Impl(const Schedule& s, const Chains& ch, const HardwareSpec& h, Tables& t, Mem* mem)
      : L(s.layer()), chains(ch), hw(h), tab(t), loops(mem), pos(mem), entry_pos(mem) {
    loops.reserve(static_cast<size_t>(num_global_loops(s)));
    for (size_t l = 0; l < s.levels().size(); ++l)
      for (const Loop& lp : s.levels()[l].loops) {
        loops.push_back({lp.dim, lp.kind, lp.tile, s.levels()[l].units, lp.extent, lp.trips});
        if (l == 0) ++top_loops;
      }
    m = static_cast<int>(loops.size());
    for (int ti = 0; ti < 3; ++ti) {
      has[ti] = tab.has(ti);
      if (!has[ti]) continue;
      for (const int8_t gi : tab.varying(ti)) {
        const Group& g = tab.groups(ti)[gi];
        GroupKey key{static_cast<int8_t>(idx(g.dims[0])), kZero, 1};
        if (g.ndims == 2) key.b = static_cast<int8_t>(idx(g.dims[1])), key.nb = chains[key.b].ids;
        ft[ti].g.push_back(gi);
        ft[ti].keys.push_back(key);
        ft[ti].keys0.push_back(g.coupled ? key : GroupKey{kZero, kZero, 1});
      }
    }
    out_dim = tensor_dims(L, Tensor::kOutput);
    pos.resize(static_cast<size_t>(m));
    for (const DimChain& c : chains) {
      const int d = idx(c.dim);
      if (c.loops.empty()) {
        fixed_len *= c.maxlen[0];
        continue;
      }
      looped.push_back({d, c.code_to_id.data(), c.maxlen.data()});
      for (size_t j = 0; j < c.loops.size(); ++j) {
        PosSpec& p = pos[c.loops[j].pos];
        p.d = static_cast<int8_t>(d);
        p.out = out_dim[d];
        // A dense top-level loop's slot is its index (radix <= slots: the radix check covers
        // DimChain::top_slot).
        p.slot = j == 0 && c.has_top && c.sparse;
        p.stride = c.stride[j], p.radix = c.radix[j];
        if (p.slot) p.slot_of = c.slot_of.data(), p.nslot = static_cast<int64_t>(c.slot_of.size());
      }
    }
    size_t npos = 0;
    for (const DimChain& c : chains)
      if (c.combos > 1) npos += static_cast<size_t>(c.combos) * c.ids;
    entry_pos.reserve(npos);
    for (const DimChain& c : chains) {
      if (c.combos == 1) {
        entry_base[idx(c.dim)] = kIdIsPos;
        continue;
      }
      entry_base[idx(c.dim)] = entry_pos.size();
      entry_pos.resize(entry_pos.size() + static_cast<size_t>(c.combos) * c.ids, -1);
      int32_t* at = entry_pos.data() + entry_base[idx(c.dim)];
      for (int64_t u = 0; u < c.combos; ++u) {
        const EntryList list = c.list(u);
        for (size_t i = 0; i < list.size(); ++i) at[u * c.ids + list[i].id] = int32_t(i);
      }
    }
  }

  int32_t find(int d, int64_t u, int32_t id) const {
    if (id < 0 || entry_base[d] == kIdIsPos) return id;
    return entry_pos[entry_base[d] + u * chains[d].ids + id];
  }

  void trips(const int64_t* index, int64_t* tr, int from) const {
    std::array<int64_t, kNumDims> ext = L.extent;
    for (int k = 0; k < m; ++k) {
      int64_t& e = ext[idx(loops[k].dim)];
      if (k >= from) tr[k] = loops[k].trips_at(e);
      const int64_t first =
          loops[k].kind == LoopKind::kTemporal ? index[k] : index[k] * loops[k].units;
      e = std::max<int64_t>(0, std::min(loops[k].tile, e - first * loops[k].tile));
    }
  }

  // Per dim the dense id of the tuple at `index` (-1: no unit active; 0 for dims without
  // loops; ids[kZero] = 0); adv / nonzero_non_output as in eval when asked for. Index 0 adds
  // nothing to a code below the top level (no slot mapping there, radix >= 1), so trailing
  // inner zeros (every top-level step's first step) are skipped.
  template <bool kAdv>
  void ids_of(const int64_t* index, Ids& ids, int* adv = nullptr,
              bool* nonzero_non_output = nullptr) const {
    int hi = m;
    while (hi > top_loops && index[hi - 1] == 0) --hi;
    std::array<int64_t, kNumDims> code{};
    unsigned bad = 0;
    int a = -1;
    bool nz = false;
    for (int k = 0; k < hi; ++k) {
      const PosSpec& p = pos[k];
      int64_t i = index[k];
      if (i == 0 && !p.slot) continue;  // adds 0 to the code, always in range (radix >= 1)
      if (kAdv && i != 0) a = k, nz = nz || !p.out;
      if (p.slot) i = i >= 0 && i < p.nslot ? p.slot_of[i] : chains[p.d].top_slot(i);
      if (i < 0 || i >= p.radix) bad |= 1u << p.d;
      code[p.d] += i * p.stride;
    }
    ids = Ids{};  // dims without loops: id 0
    for (const IdDim& x : looped) ids[x.d] = (bad >> x.d) & 1u ? -1 : x.code_to_id[code[x.d]];
    if (kAdv) *adv = a, *nonzero_non_output = nz;
  }

  int64_t compute(const int32_t* ids) const {
    int64_t c = fixed_len;
    for (const IdDim& x : looped) {
      const int32_t id = ids[x.d];
      c *= id >= 0 ? x.maxlen[id] : 0;
    }
    return hw.simd_lanes == 1 ? c : ceil_div(c, hw.simd_lanes);
  }

  // Π over tensor t's varying groups of their Sums at the step's keys, times constant(t)
  // (p[0..5] = n, h, i, nd, hd, id); only the parts asked for (N: n, h, i; D: nd, hd, id; h and
  // hd only with held) are multiplied, each in the same order as all six would be.
  template <bool N, bool D>
  void products(int t, const Flat& f, const FlatTable* const* tabs, const GroupKey* keys,
                const Ids& ids, bool held, std::array<double, 6>& p) const {
    const Sums& c0 = tab.constant(t);
    double p0 = c0.n, p1 = c0.h, p2 = c0.i, p3 = c0.nd, p4 = c0.hd, p5 = c0.id;
    const size_t ng = f.g.size();
    for (size_t j = 0; j < ng && p0 != 0; ++j) {
      const int32_t ia = ids[keys[j].a], ib = ids[keys[j].b];
      const int64_t key = ia * keys[j].nb + ib;
      const FlatTable* tb = tabs[j];
      if ((ia | ib) < 0 || key >= tb->size) {  // no entry: the product is 0
        p0 = p1 = p2 = p3 = p4 = p5 = 0;
        break;
      }
      const Sums& x = tb->v[key];
      p0 *= x.n;
      if (N) {
        p2 *= x.i;
        if (held) p1 *= x.h;
      }
      if (D) {
        p3 *= x.nd, p5 *= x.id;
        if (held) p4 *= x.hd;
      }
    }
    p = {p0, p1, p2, p3, p4, p5};
  }

  StepVals eval(const int64_t* index) {
    StepVals r;
    Ids ids;
    int adv;
    bool nonzero_non_output;
    ids_of<true>(index, ids, &adv, &nonzero_non_output);
    std::copy(ids.begin(), ids.begin() + kNumDims, r.ids.begin());
    r.adv = adv;
    r.c = compute(ids.data());
    const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
    r.readback = adv >= 0 && nonzero_non_output;
    const int trow = adv < 0 ? tab.row(Mode::kStep0, 0) : adv;  // Tables::row
    for (int t = 0; t < 3; ++t) {
      if (!has[t]) continue;
      const Flat& f = ft[t];
      const FlatTable* const* tabs = tab.row_tables(t, trow);
      const GroupKey* keys = adv < 0 ? f.keys0.begin() : f.keys.begin();
      std::array<double, 6> p;
      const bool h = t == 2, nd = !mcast || (h && !reduce), dd = mcast || (h && reduce);
      if (nd && dd) products<true, true>(t, f, tabs, keys, ids, h, p);
      else if (nd) products<true, false>(t, f, tabs, keys, ids, h, p);
      else products<false, true>(t, f, tabs, keys, ids, h, p);
      const double p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5];
      // Step 0 is every PE's first step: nothing held yet (H = ∅).
      const double held = adv < 0 ? 0.0 : (mcast ? p5 : p2);
      const int64_t enter = static_cast<int64_t>((mcast ? p3 : p0) - held + 0.5);
      if (t < 2) r.v += enter;
      if (t == 2) {
        if (r.readback) r.v += enter;
        r.w_prev = static_cast<int64_t>((reduce ? p4 - p5 : p1 - p2) + 0.5);
      }
    }
    if (adv < 0) r.w_prev = 0;
    return r;
  }

  // RAW of slot t (rule 13): an output element written back at the boundary into t (left by a
  // PE active at t) is read back for t+1. With siblings agreeing (point 4) it suffices to find
  // an output-unit combination whose tiles A (previous step of t), B (t), C (t+1) satisfy
  // (A ∩ C) \ B ≠ ∅, with some sibling active at t and t+1.
  bool raw_slot(const std::array<int32_t, kNumDims>& at_t, int adv_t,
                const std::array<int32_t, kNumDims>& at_next) const {
    int64_t all_nonempty = 1, within_b = 1;
    for (const DimChain& c : chains) {
      const int d = idx(c.dim);
      const bool out = out_dim[d];
      int64_t n1 = 0, n2 = 0;
      for (int64_t u = 0; u < c.combos; ++u) {
        const int32_t bt = find(d, u, at_t[d]);
        const int32_t ct = find(d, u, at_next[d]);
        if (bt < 0 || ct < 0) continue;  // not active at t or t+1
        if (!out) {
          n1 = n2 = 1;  // some sibling active at both steps
          break;
        }
        const ChainEntry* a = c.previous(u, bt, adv_t);
        if (!a) continue;
        const Range& B = c.list(u)[bt].r;
        const Range& C = c.list(u)[ct].r;
        if (!overlap_nonempty(a->r, C)) continue;
        n1 += c.combo_w[u];  // a class of unit combinations with equal tiles
        const Range ac{std::max(a->r.lo, C.lo), std::min(a->r.hi, C.hi)};
        if (ac.lo >= B.lo && ac.hi <= B.hi) n2 += c.combo_w[u];
      }
      all_nonempty *= n1;
      within_b *= n2;
      if (all_nonempty == 0) return false;
    }
    return all_nonempty > within_b;
  }
};

StepModel::StepModel(const Schedule& s, const Chains& chains, const HardwareSpec& hw,
                     Tables& tables, Mem* mem)
    : p_(make_in<Impl>(mem, s, chains, hw, tables, mem)) {}
StepModel::~StepModel() = default;
int StepModel::loops() const { return p_->m; }
int StepModel::top_loops() const { return p_->top_loops; }
void StepModel::trips(const int64_t* index, int64_t* tr, int from) const {
  p_->trips(index, tr, from);
}

bool StepModel::next(int64_t* index, int64_t* tr, int upto) const {
  int k = upto - 1;
  while (k >= 0 && index[k] + 1 >= tr[k]) --k;
  if (k < 0) return false;
  ++index[k];
  for (int j = k + 1; j < p_->m; ++j) index[j] = 0;
  p_->trips(index, tr, k + 1);
  return true;
}

bool StepModel::next_from(int64_t* index, int64_t* tr, int from) const {
  int k = p_->m - 1;
  while (k >= from && index[k] + 1 >= tr[k]) --k;
  if (k < from) return false;
  ++index[k];
  for (int j = k + 1; j < p_->m; ++j) index[j] = 0;
  p_->trips(index, tr, k + 1);
  return true;
}

bool StepModel::prev(int64_t* index, int64_t* tr, int upto) const {
  int k = upto - 1;
  while (k >= 0 && index[k] == 0) --k;
  if (k < 0) return false;
  --index[k];
  // One pass: loops after k in (k, upto) at their last index, outer to inner (each trip count
  // follows from the final indices above it), loops >= upto at 0.
  const auto& loops = p_->loops;
  std::array<int64_t, kNumDims> ext = p_->L.extent;
  for (int j = 0; j < p_->m; ++j) {
    int64_t& e = ext[idx(loops[j].dim)];
    if (j > k) {
      tr[j] = loops[j].trips_at(e);
      index[j] = j < upto ? tr[j] - 1 : 0;
    }
    const int64_t first =
        loops[j].kind == LoopKind::kTemporal ? index[j] : index[j] * loops[j].units;
    e = std::max<int64_t>(0, std::min(loops[j].tile, e - first * loops[j].tile));
  }
  return true;
}

StepVals StepModel::eval(const int64_t* index) const { return p_->eval(index); }

void StepModel::ids(const int64_t* index, std::array<int32_t, kNumDims>& ids) const {
  Impl::Ids x;
  p_->ids_of<false>(index, x);
  std::copy(x.begin(), x.begin() + kNumDims, ids.begin());
}

int64_t StepModel::compute(const int64_t* index) const {
  Impl::Ids ids;
  p_->ids_of<false>(index, ids);
  return p_->compute(ids.data());
}

bool StepModel::raw(const StepVals& t, const StepVals& nx) const {
  return t.adv >= 0 && nx.readback && p_->raw_slot(t.ids, t.adv, nx.ids);
}

int64_t StepModel::final_writeback() const {
  if (!p_->tab.has(2)) return 0;
  double pn = 1, pnd = 1;
  for (size_t g = 0; g < p_->tab.groups(2).size(); ++g) {
    const Sums& x = p_->tab.get(2, g, Mode::kFinal, 0).total;
    pn *= x.n, pnd *= x.nd;
  }
  return static_cast<int64_t>((p_->hw.noc.reduction ? pnd : pn) + 0.5);
}

}  // namespace baton::detail
