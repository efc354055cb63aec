#include "steps.h"

#include <algorithm>

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
  // Group tables per tensor: [k][group] for transitions, [group] at step 0, and how to key them.
  struct GroupKey {
    int g = 0;          // group index (groups without loops are in Tables::constant)
    int a = 0, b = -1;  // dims; b >= 0 for a window pair
    int64_t nb = 1;     // ids of b
    bool coupled = true;
  };
  // Tables are fetched on first use: only the positions that advance at evaluated steps.
  struct Flat {
    Small<GroupKey, kNumDims> keys;
    Small<const FlatTable*, kNumDims> step0;
  };
  std::array<Flat, 3> ft;
  mutable Vec<const FlatTable*> trans;  // [(k * 3 + t) * kNumDims + g], nullptr until fetched
  std::array<bool, kNumDims> out_dim{};  // dims the output tensor depends on
  // Entry lookup per dim and unit combination: tuple id -> position in the combo's entry list.
  Vec<int32_t> entry_pos;  // [base[dim] + combo * ids + id] -> position or -1
  std::array<size_t, kNumDims> entry_base{};

  Impl(const Schedule& s, const Chains& ch, const HardwareSpec& h, Tables& t, Mem* mem)
      : L(s.layer()), chains(ch), hw(h), tab(t), loops(mem), trans(mem), entry_pos(mem) {
    loops.reserve(static_cast<size_t>(num_global_loops(s)));
    for (size_t l = 0; l < s.levels().size(); ++l)
      for (const Loop& lp : s.levels()[l].loops) {
        loops.push_back({lp.dim, lp.kind, lp.tile, s.levels()[l].units, lp.extent, lp.trips});
        if (l == 0) ++top_loops;
      }
    m = static_cast<int>(loops.size());
    for (int ti = 0; ti < 3; ++ti) {
      if (!tab.has(ti)) continue;
      for (const int8_t gi : tab.varying(ti)) {
        const Group& g = tab.groups(ti)[gi];
        GroupKey key;
        key.g = gi;
        key.a = idx(g.dims[0]);
        key.coupled = g.coupled;
        if (g.ndims == 2) key.b = idx(g.dims[1]), key.nb = chains[key.b].ids;
        ft[ti].keys.push_back(key);
      }
    }
    trans.assign(static_cast<size_t>(m) * 3 * kNumDims, nullptr);
    for (Dim d : kAllDims) out_dim[idx(d)] = L.couples(Tensor::kOutput, d);
    for (const DimChain& c : chains) {
      if (!c.loops.empty()) looped.push_back(&c);
      else fixed_len *= c.maxlen[0];
    }
    size_t npos = 0;
    for (const DimChain& c : chains) npos += static_cast<size_t>(c.combos) * c.ids;
    entry_pos.reserve(npos);
    for (const DimChain& c : chains) {
      entry_base[idx(c.dim)] = entry_pos.size();
      entry_pos.resize(entry_pos.size() + static_cast<size_t>(c.combos) * c.ids, -1);
      int32_t* pos = entry_pos.data() + entry_base[idx(c.dim)];
      for (int64_t u = 0; u < c.combos; ++u) {
        const EntryList list = c.list(u);
        for (size_t i = 0; i < list.size(); ++i) pos[u * c.ids + list[i].id] = int32_t(i);
      }
    }
  }

  int32_t find(int d, int64_t u, int32_t id) const {
    return id < 0 ? -1 : entry_pos[entry_base[d] + u * chains[d].ids + id];
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

  // Chains with loops (the others have the single tuple id 0, of length fixed_len together).
  Small<const DimChain*, kNumDims> looped;
  int64_t fixed_len = 1;

  void ids_of(const int64_t* index, std::array<int32_t, kNumDims>& ids) const {
    ids.fill(0);
    for (const DimChain* c : looped) ids[idx(c->dim)] = c->id_at(index);
  }

  int64_t compute(const std::array<int32_t, kNumDims>& ids) const {
    int64_t c = fixed_len;
    for (const DimChain* ch : looped) {
      const int32_t id = ids[idx(ch->dim)];
      c *= id >= 0 ? ch->maxlen[id] : 0;
    }
    return hw.simd_lanes == 1 ? c : ceil_div(c, hw.simd_lanes);
  }

  // Table of the j-th varying group of tensor t at a step whose advancing loop is adv.
  const FlatTable* table(int t, size_t j, int adv) const {
    if (adv < 0) return ft[t].step0[j];
    const FlatTable*& p = trans[(static_cast<size_t>(adv) * 3 + t) * kNumDims + j];
    if (!p) p = &tab.get(t, ft[t].keys[j].g, Mode::kTransition, adv);
    return p;
  }

  StepVals eval(const int64_t* index) {
    StepVals r;
    ids_of(index, r.ids);
    int adv = -1;
    bool nonzero_non_output = false;
    for (int k = 0; k < m; ++k)
      if (index[k] != 0) {
        adv = k;
        nonzero_non_output = nonzero_non_output || !out_dim[idx(loops[k].dim)];
      }
    r.adv = adv;
    r.c = compute(r.ids);
    const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
    r.readback = adv >= 0 && nonzero_non_output;
    for (int t = 0; t < 3; ++t) {
      Flat& f = ft[t];
      if (!tab.has(t)) continue;
      if (adv < 0 && f.step0.empty())
        for (const GroupKey& gk : f.keys) f.step0.push_back(&tab.get(t, gk.g, Mode::kStep0, 0));
      const Sums& c0 = tab.constant(t);
      std::array<double, 6> p = {c0.n, c0.h, c0.i, c0.nd, c0.hd, c0.id};
      for (size_t j = 0; j < f.keys.size() && p[0] != 0; ++j) {
        const GroupKey& gk = f.keys[j];
        int64_t key;
        if (adv < 0 && !gk.coupled) {
          key = 0;
        } else if (gk.b < 0) {
          key = r.ids[gk.a];
        } else {
          key = r.ids[gk.a] < 0 || r.ids[gk.b] < 0 ? -1 : r.ids[gk.a] * gk.nb + r.ids[gk.b];
        }
        const Sums* x = table(t, j, adv)->at(key);
        if (!x) {
          p = {0, 0, 0, 0, 0, 0};
          break;
        }
        p[0] *= x->n, p[1] *= x->h, p[2] *= x->i, p[3] *= x->nd, p[4] *= x->hd, p[5] *= x->id;
      }
      // Step 0 is every PE's first step: nothing held yet (H = ∅).
      const double held = adv < 0 ? 0.0 : (mcast ? p[5] : p[2]);
      const int64_t enter = static_cast<int64_t>((mcast ? p[3] : p[0]) - held + 0.5);
      if (t < 2) r.v += enter;
      if (t == 2) {
        if (r.readback) r.v += enter;
        r.w_prev = static_cast<int64_t>((reduce ? p[4] - p[5] : p[1] - p[2]) + 0.5);
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

int64_t StepModel::compute(const int64_t* index) const {
  std::array<int32_t, kNumDims> ids{};
  p_->ids_of(index, ids);
  return p_->compute(ids);
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
