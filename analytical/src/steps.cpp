#include "steps.h"

#include <algorithm>
#include <unordered_map>
#include <map>

#include "traffic.h"

namespace baton::detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct GLoop {
  Dim dim;
  LoopKind kind;
  int64_t tile, units;
};

// Entry lookup per dim and unit combination: tuple -> position in the combo's active list.
struct EntryIndex {
  std::vector<std::map<std::vector<int32_t>, size_t>> pos;  // [combo]
  explicit EntryIndex(const DimChain& c) : pos(c.combos) {
    for (int64_t u = 0; u < c.combos; ++u)
      for (size_t i = 0; i < c.active[u].size(); ++i) pos[u][c.active[u][i].idx] = i;
  }
};

// The unit's entry at its previous active step before a step with tuple `x` whose advancing loop
// is at global position k (docs/ANALYTICAL.md point 3); nullptr if none.
const ChainEntry* previous(const DimChain& c, int64_t u, size_t i, int k) {
  const auto& list = c.active[u];
  const int owner = c.loop_at(k);
  if (owner >= 0) return i > 0 ? &list[i - 1] : nullptr;
  const int jb = c.loops_before(k);
  size_t last = i;
  while (last + 1 < list.size() &&
         std::equal(list[i].idx.begin(), list[i].idx.begin() + jb, list[last + 1].idx.begin()))
    ++last;
  return &list[last];
}

bool overlap_nonempty(const Range& a, const Range& b) {
  return std::max(a.lo, b.lo) < std::min(a.hi, b.hi);
}

// RAW of slot t (rule 13): an output element written back at the boundary into t (left by a PE
// active at t) is read back for t+1. With siblings agreeing (point 4) it suffices to find an
// output-unit combination whose tiles A (previous step of t), B (t), C (t+1) satisfy
// (A ∩ C) \ B ≠ ∅, with some sibling active at t and t+1.
bool raw_slot(const LayerSpec& L, const std::vector<DimChain>& chains,
              const std::vector<EntryIndex>& index, const std::vector<std::vector<int32_t>>& at_t,
              int adv_t, const std::vector<std::vector<int32_t>>& at_next) {
  int64_t all_nonempty = 1, within_b = 1;
  for (Dim d : kAllDims) {
    const DimChain& c = chains[idx(d)];
    const bool out = L.couples(Tensor::kOutput, d);
    int64_t n1 = 0, n2 = 0;
    for (int64_t u = 0; u < c.combos; ++u) {
      const auto& pos = index[idx(d)].pos[u];
      auto bt = pos.find(at_t[idx(d)]);
      auto ct = pos.find(at_next[idx(d)]);
      if (bt == pos.end() || ct == pos.end()) continue;  // not active at t or t+1
      if (!out) {
        n1 = n2 = 1;  // some sibling active at both steps
        break;
      }
      const ChainEntry* a = previous(c, u, bt->second, adv_t);
      if (!a) continue;
      const Range& B = c.active[u][bt->second].r;
      const Range& C = c.active[u][ct->second].r;
      if (!overlap_nonempty(a->r, C)) continue;
      ++n1;
      const Range ac{std::max(a->r.lo, C.lo), std::min(a->r.hi, C.hi)};
      if (ac.lo >= B.lo && ac.hi <= B.hi) ++n2;
    }
    all_nonempty *= n1;
    within_b *= n2;
    if (all_nonempty == 0) return false;
  }
  return all_nonempty > within_b;
}

}  // namespace

struct StepModel::Impl {
  const Schedule& s;
  const LayerSpec& L;
  const std::vector<DimChain>& chains;
  const HardwareSpec& hw;
  std::vector<GLoop> loops;
  int m = 0, top_loops = 0;
  std::array<std::vector<int>, kNumDims> chain_pos;
  // Dense ids for every dim's tuples, and the busiest PE's length per tuple.
  std::array<std::map<std::vector<int32_t>, int64_t>, kNumDims> tid;
  std::array<std::vector<int64_t>, kNumDims> maxlen;
  // Group tables re-keyed by dense ids: id(a) or id(a)·|b| + id(b); free dims at step 0: -1.
  struct Flat {
    std::vector<Group> groups;
    std::vector<std::vector<std::unordered_map<int64_t, Sums>>> trans;  // [k][group]
    std::vector<std::unordered_map<int64_t, Sums>> step0;
  };
  std::array<Flat, 3> ft;
  std::array<std::vector<GroupTable>, 3> fin;
  std::vector<char> non_output;
  std::vector<EntryIndex> entry_index;

  Impl(const Schedule& sch, const std::vector<DimChain>& ch, const HardwareSpec& h)
      : s(sch), L(sch.layer()), chains(ch), hw(h) {
    for (size_t l = 0; l < s.levels().size(); ++l)
      for (const Loop& lp : s.levels()[l].loops) {
        loops.push_back({lp.dim, lp.kind, lp.tile, s.levels()[l].units});
        if (l == 0) ++top_loops;
      }
    m = static_cast<int>(loops.size());
    for (int k = 0; k < m; ++k) chain_pos[idx(loops[k].dim)].push_back(k);
    for (Dim d : kAllDims) {
      auto& ids = tid[idx(d)];
      for (const auto& list : chains[idx(d)].active)
        for (const auto& e : list) {
          auto it = ids.emplace(e.idx, static_cast<int64_t>(ids.size())).first;
          if (maxlen[idx(d)].size() <= static_cast<size_t>(it->second))
            maxlen[idx(d)].resize(it->second + 1, 0);
          maxlen[idx(d)][it->second] = std::max(maxlen[idx(d)][it->second], e.r.size());
        }
    }
    auto encode = [&](const Group& g, const std::vector<int32_t>& key, bool step0) -> int64_t {
      if (step0 && !g.coupled) return -1;
      const size_t na = chain_pos[idx(g.dims[0])].size();
      const std::vector<int32_t> ka(key.begin(), key.begin() + na);
      auto ia = tid[idx(g.dims[0])].find(ka);
      if (ia == tid[idx(g.dims[0])].end()) return -2;
      if (g.dims.size() == 1) return ia->second;
      const std::vector<int32_t> kb(key.begin() + na, key.end());
      auto ib = tid[idx(g.dims[1])].find(kb);
      if (ib == tid[idx(g.dims[1])].end()) return -2;
      return ia->second * static_cast<int64_t>(tid[idx(g.dims[1])].size()) + ib->second;
    };
    for (int t = 0; t < 3; ++t) {
      const Tensor T = static_cast<Tensor>(t);
      if (!L.has_tensor(T)) continue;
      ft[t].groups = tensor_groups(L, T);
      ft[t].trans.resize(m);
      for (const Group& g : ft[t].groups) {
        auto flat = [&](const GroupTable& tab, bool step0) {
          std::unordered_map<int64_t, Sums> out;
          for (const auto& [key, v] : tab) out[encode(g, key, step0)] = v;
          return out;
        };
        ft[t].step0.push_back(flat(group_table(g, chains, Mode::kStep0, 0), true));
        fin[t].push_back(group_table(g, chains, Mode::kFinal, 0));
        for (int k = 0; k < m; ++k)
          ft[t].trans[k].push_back(flat(group_table(g, chains, Mode::kTransition, k), false));
      }
    }
    non_output.resize(m);
    for (int k = 0; k < m; ++k) non_output[k] = !L.couples(Tensor::kOutput, loops[k].dim);
    for (Dim d : kAllDims) entry_index.emplace_back(chains[idx(d)]);
  }

  void trips(const std::vector<int64_t>& index, std::vector<int64_t>& tr, int from) const {
    std::array<int64_t, kNumDims> ext = L.extent;
    for (int k = 0; k < m; ++k) {
      int64_t& e = ext[idx(loops[k].dim)];
      if (k >= from) {
        const int64_t tiles = ceil_div(e, loops[k].tile);
        tr[k] = loops[k].kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, loops[k].units);
      }
      const int64_t first =
          loops[k].kind == LoopKind::kTemporal ? index[k] : index[k] * loops[k].units;
      e = std::max<int64_t>(0, std::min(loops[k].tile, e - first * loops[k].tile));
    }
  }

  // Dense id of dim d's tuple at `index` (-2 if no unit is active), and the tuple.
  int64_t id_of(Dim d, const std::vector<int64_t>& index, std::vector<int32_t>& tv) const {
    const auto& pos = chain_pos[idx(d)];
    tv.resize(pos.size());
    for (size_t j = 0; j < pos.size(); ++j) tv[j] = static_cast<int32_t>(index[pos[j]]);
    auto it = tid[idx(d)].find(tv);
    return it == tid[idx(d)].end() ? -2 : it->second;
  }

  int64_t compute(const std::array<int64_t, kNumDims>& cur_id) const {
    int64_t c = 1;
    for (Dim d : kAllDims) c *= cur_id[idx(d)] >= 0 ? maxlen[idx(d)][cur_id[idx(d)]] : 0;
    return ceil_div(c, hw.simd_lanes);
  }

  StepVals eval(const std::vector<int64_t>& index) const {
    StepVals r;
    r.tuples.resize(kNumDims);
    std::array<int64_t, kNumDims> cur_id{};
    for (Dim d : kAllDims) cur_id[idx(d)] = id_of(d, index, r.tuples[idx(d)]);
    int adv = -1;
    bool nonzero_non_output = false;
    for (int k = 0; k < m; ++k)
      if (index[k] != 0) {
        adv = k;
        nonzero_non_output = nonzero_non_output || non_output[k];
      }
    r.adv = adv;
    r.c = compute(cur_id);
    const bool mcast = hw.noc.multicast, reduce = hw.noc.reduction;
    r.readback = adv >= 0 && nonzero_non_output;
    for (int t = 0; t < 3; ++t) {
      const Flat& f = ft[t];
      if (f.groups.empty()) continue;
      const auto& tabs = adv < 0 ? f.step0 : f.trans[adv];
      std::array<double, 6> p = {1, 1, 1, 1, 1, 1};
      for (size_t g = 0; g < f.groups.size() && p[0] != 0; ++g) {
        const Group& gr = f.groups[g];
        int64_t key;
        if (adv < 0 && !gr.coupled) {
          key = -1;
        } else if (gr.dims.size() == 1) {
          key = cur_id[idx(gr.dims[0])];
        } else {
          key = cur_id[idx(gr.dims[0])] *
                    static_cast<int64_t>(tid[idx(gr.dims[1])].size()) + cur_id[idx(gr.dims[1])];
        }
        auto it = tabs[g].find(key);
        if (it == tabs[g].end()) {
          p = {0, 0, 0, 0, 0, 0};
          break;
        }
        const Sums& x = it->second;
        p[0] *= x.n, p[1] *= x.h, p[2] *= x.i, p[3] *= x.nd, p[4] *= x.hd, p[5] *= x.id;
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
};

StepModel::StepModel(const Schedule& s, const std::vector<DimChain>& chains,
                     const HardwareSpec& hw)
    : p_(std::make_unique<Impl>(s, chains, hw)) {}
StepModel::~StepModel() = default;
int StepModel::loops() const { return p_->m; }
int StepModel::top_loops() const { return p_->top_loops; }
void StepModel::trips(const std::vector<int64_t>& index, std::vector<int64_t>& tr,
                      int from) const {
  p_->trips(index, tr, from);
}

bool StepModel::next(std::vector<int64_t>& index, std::vector<int64_t>& tr) const {
  int k = p_->m - 1;
  while (k >= 0 && index[k] + 1 >= tr[k]) --k;
  if (k < 0) return false;
  ++index[k];
  for (int j = k + 1; j < p_->m; ++j) index[j] = 0;
  p_->trips(index, tr, k + 1);
  return true;
}

bool StepModel::prev(std::vector<int64_t>& index, std::vector<int64_t>& tr) const {
  int k = p_->m - 1;
  while (k >= 0 && index[k] == 0) --k;
  if (k < 0) return false;
  --index[k];
  for (int j = k + 1; j < p_->m; ++j) {  // inner loops at their last index, outer to inner
    p_->trips(index, tr, j);
    index[j] = tr[j] - 1;
  }
  p_->trips(index, tr, k + 1);
  return true;
}

StepVals StepModel::eval(const std::vector<int64_t>& index) const { return p_->eval(index); }

int64_t StepModel::compute(const std::vector<int64_t>& index) const {
  std::array<int64_t, kNumDims> cur_id{};
  std::vector<int32_t> tv;
  for (Dim d : kAllDims) cur_id[idx(d)] = p_->id_of(d, index, tv);
  return p_->compute(cur_id);
}

bool StepModel::raw(const StepVals& t, const StepVals& nx) const {
  return t.adv >= 0 && nx.readback &&
         raw_slot(p_->L, p_->chains, p_->entry_index, t.tuples, t.adv, nx.tuples);
}

int64_t StepModel::final_writeback() const {
  const auto& fin2 = p_->fin[2];
  if (fin2.empty()) return 0;
  double pn = 1, pnd = 1;
  for (const auto& tab : fin2) {
    double n = 0, nd = 0;
    for (const auto& [key, x] : tab) n += x.n, nd += x.nd;
    pn *= n, pnd *= nd;
  }
  return static_cast<int64_t>((p_->hw.noc.reduction ? pnd : pn) + 0.5);
}

StepPassResult exact_step_pass(const Schedule& s, const std::vector<DimChain>& chains,
                               const HardwareSpec& hw, int64_t first_dram_fill,
                               const RuntimeAccumulator::DramFn& dram,
                               int64_t final_dram_writes) {
  StepPassResult res;
  const StepModel model(s, chains, hw);
  const int m = model.loops();
  std::vector<int64_t> index(m, 0), tr(m, 1);
  model.trips(index, tr, 0);
  RuntimeAccumulator acc(hw, first_dram_fill, dram);
  StepVals prev_vals;
  bool has_prev = false;
  int64_t c_prev = 1;
  for (;;) {
    StepVals cur = model.eval(index);
    // max over t of max(V_t, W_t) / max(C_t, 1): W_{t−1} pairs with C_{t−1}.
    res.noc_bw_peak =
        std::max({res.noc_bw_peak, double(cur.v) / double(std::max<int64_t>(cur.c, 1)),
                  double(cur.w_prev) / double(std::max<int64_t>(c_prev, 1))});
    c_prev = cur.c;
    res.noc_volume += cur.v + cur.w_prev;
    const bool raw = has_prev && model.raw(prev_vals, cur);
    acc.push(cur.v, cur.c, cur.w_prev, raw, cur.adv >= 0 && cur.adv < model.top_loops());
    prev_vals = std::move(cur);
    has_prev = true;
    if (!model.next(index, tr)) break;
  }
  const int64_t w_last = model.final_writeback();
  res.noc_bw_peak =
      std::max(res.noc_bw_peak, double(w_last) / double(std::max<int64_t>(c_prev, 1)));
  res.noc_volume += w_last;
  res.runtime_cycles = acc.finish(w_last, final_dram_writes);
  return res;
}

}  // namespace baton::detail
