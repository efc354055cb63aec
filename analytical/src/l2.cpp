#include "l2.h"

#include <algorithm>
#include <map>

namespace baton::detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

using Sorted = std::vector<int64_t>;  // sorted distinct coordinate values of one tensor coordinate

Sorted values_of(const TensorCoord& c, const Range& a, const Range& b) {
  Sorted v;
  if (!c.b) {
    for (int64_t x = a.lo; x < a.hi; ++x) v.push_back(x);
    return v;
  }
  for (int64_t p = a.lo; p < a.hi; ++p)
    for (int64_t r = b.lo; r < b.hi; ++r) v.push_back(p * c.stride + r);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}
Sorted unite(const Sorted& a, const Sorted& b) {
  Sorted o;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
  return o;
}
int64_t common(const Sorted& a, const Sorted& b) {
  Sorted o;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
  return static_cast<int64_t>(o.size());
}
bool has(const Sorted& a, int64_t x) { return std::binary_search(a.begin(), a.end(), x); }

// Entries of one (dim, combo) whose top-level prefix equals the current one: [first, last].
struct Span {
  int64_t first = -1, last = -1;
  bool active() const { return first >= 0; }
};

// A tensor's L2 tile: product part (per coordinate) plus explicit extra element ids.
struct Tile {
  bool any = false;                // product part non-empty
  std::vector<Sorted> coord;       // per tensor coordinate
  std::vector<int64_t> extra;      // sorted element ids outside the product part
  int64_t product_size() const {
    if (!any) return 0;
    int64_t n = 1;
    for (const auto& c : coord) n *= static_cast<int64_t>(c.size());
    return n;
  }
  int64_t size() const { return product_size() + static_cast<int64_t>(extra.size()); }
};

struct Codec {
  std::vector<int64_t> sizes;  // per coordinate
  int64_t encode(const std::vector<int64_t>& v) const {
    int64_t id = 0;
    for (size_t i = 0; i < v.size(); ++i) id = id * sizes[i] + v[i];
    return id;
  }
  std::vector<int64_t> decode(int64_t id) const {
    std::vector<int64_t> v(sizes.size());
    for (size_t i = sizes.size(); i-- > 0;) v[i] = id % sizes[i], id /= sizes[i];
    return v;
  }
};

bool in_product(const Tile& t, const Codec& codec, int64_t id) {
  if (!t.any) return false;
  const auto v = codec.decode(id);
  for (size_t i = 0; i < v.size(); ++i)
    if (!has(t.coord[i], v[i])) return false;
  return true;
}

int64_t intersection(const Tile& a, const Tile& b, const Codec& codec) {
  int64_t n = 0;
  if (a.any && b.any) {
    n = 1;
    for (size_t i = 0; i < a.coord.size(); ++i) n *= common(a.coord[i], b.coord[i]);
  }
  for (int64_t id : a.extra) n += in_product(b, codec, id) ? 1 : 0;
  for (int64_t id : b.extra) n += in_product(a, codec, id) ? 1 : 0;
  Sorted both;
  std::set_intersection(a.extra.begin(), a.extra.end(), b.extra.begin(), b.extra.end(),
                        std::back_inserter(both));
  return n + static_cast<int64_t>(both.size());
}

}  // namespace

L2Result exact_l2_pass(const Schedule& s, const Chains& chains) {
  L2Result res;
  const LayerSpec& L = s.layer();
  // Top-level loops and each dim's number of top-level chain loops.
  std::vector<int> top_pos_dim;
  std::vector<const Loop*> top_loops;
  for (const Loop& lp : s.levels().front().loops) top_loops.push_back(&lp);
  std::array<int, kNumDims> ntop{};
  for (const Loop* lp : top_loops) ++ntop[idx(lp->dim)];
  const int64_t top_units = s.levels().front().units;
  // PEs as combos per dim (mixed radix over dims with combos > 1).
  std::vector<Dim> multi;
  for (Dim d : kAllDims)
    if (chains[idx(d)].combos > 1) multi.push_back(d);
  const int64_t pes = s.pes_used();
  std::array<Codec, 3> codec;
  for (int t = 0; t < 3; ++t)
    for (const TensorCoord& c : L.coords(static_cast<Tensor>(t)))
      codec[t].sizes.push_back(c.b ? (L.dim(c.a) - 1) * c.stride + L.dim(*c.b) : L.dim(c.a));
  // Kept tiles of PEs (per tensor, explicit ids), valid once the PE was active.
  std::vector<std::array<std::vector<int64_t>, 3>> kept(pes);
  std::vector<char> ever(pes, 0);

  std::vector<std::array<int64_t, kNumDims>> pe_combo(pes);
  for (int64_t p = 0; p < pes; ++p) {
    int64_t rest = p;
    pe_combo[p].fill(0);
    for (size_t i = multi.size(); i-- > 0;) {
      const int64_t n = chains[idx(multi[i])].combos;
      pe_combo[p][idx(multi[i])] = rest % n;
      rest /= n;
    }
  }
  std::vector<int64_t> index(top_loops.size(), 0), trips(top_loops.size(), 1);
  auto compute_trips = [&]() {
    std::array<int64_t, kNumDims> ext = L.extent;
    for (size_t k = 0; k < top_loops.size(); ++k) {
      const Loop& lp = *top_loops[k];
      int64_t& e = ext[idx(lp.dim)];
      const int64_t tiles = ceil_div(e, lp.tile);
      trips[k] = lp.kind == LoopKind::kTemporal ? tiles : ceil_div(tiles, top_units);
      const int64_t first = lp.kind == LoopKind::kTemporal ? index[k] : index[k] * top_units;
      e = std::max<int64_t>(0, std::min(lp.tile, e - first * lp.tile));
    }
  };
  compute_trips();
  // Per dim: top-level prefix -> entry span of every combo (entries are in step order, so the
  // entries sharing a prefix are contiguous). A combo whose activity differs between prefixes
  // can leave a PE idle for a whole top-level step (then its kept tile joins the L2 tile).
  using Prefix = std::vector<int32_t>;
  std::array<std::map<Prefix, std::vector<Span>>, kNumDims> spans;
  bool idle_possible = false;
  for (Dim d : kAllDims) {
    const DimChain& c = chains[idx(d)];
    auto& m = spans[idx(d)];
    for (int64_t u = 0; u < c.combos; ++u) {
      const EntryList list = c.list(u);
      for (size_t i = 0; i < list.size(); ++i) {
        const Prefix pre(list[i].idx.begin(), list[i].idx.begin() + ntop[idx(d)]);
        auto& v = m[pre];
        v.resize(c.combos);
        if (v[u].first < 0) v[u].first = static_cast<int64_t>(i);
        v[u].last = static_cast<int64_t>(i);
      }
    }
    std::vector<int64_t> active_count(c.combos, 0);
    for (const auto& [pre, v] : m)
      for (int64_t u = 0; u < c.combos; ++u) active_count[u] += v[u].active() ? 1 : 0;
    for (int64_t u = 0; u < c.combos; ++u)
      idle_possible = idle_possible ||
                      (active_count[u] > 0 && active_count[u] < static_cast<int64_t>(m.size()));
  }
  // Per-coordinate unions over the active units and inner steps, memoised by prefixes.
  std::map<std::pair<int, std::pair<Prefix, Prefix>>, Sorted> union_memo;
  std::array<Tile, 3> prev{};
  bool first_step = true;
  const std::vector<Span> no_span;
  for (;;) {
    std::array<const std::vector<Span>*, kNumDims> span_ptr{};
    std::array<Prefix, kNumDims> prefix;
    for (size_t k = 0; k < top_loops.size(); ++k)
      prefix[idx(top_loops[k]->dim)].push_back(static_cast<int32_t>(index[k]));
    for (Dim d : kAllDims) {
      auto it = spans[idx(d)].find(prefix[idx(d)]);
      span_ptr[idx(d)] = it == spans[idx(d)].end() ? &no_span : &it->second;
    }
    auto span_of = [&](Dim d, int64_t u) {
      const auto& v = *span_ptr[idx(d)];
      return v.empty() ? Span{} : v[u];
    };
    bool any_pe = true;
    for (Dim d : kAllDims) {
      bool a = false;
      for (const Span& sp : *span_ptr[idx(d)]) a = a || sp.active();
      any_pe = any_pe && a;
    }
    // PE activity and kept tiles.
    std::array<Tile, 3> cur{};
    for (int t = 0; t < 3; ++t) {
      const Tensor T = static_cast<Tensor>(t);
      if (!L.has_tensor(T)) continue;
      Tile& tile = cur[t];
      tile.any = any_pe;
      for (size_t ci = 0; ci < L.coords(T).size(); ++ci) {
        const TensorCoord& c = L.coords(T)[ci];
        Sorted u;
        const auto key = std::make_pair(t * 16 + static_cast<int>(ci),
                                        std::make_pair(prefix[idx(c.a)],
                                                       c.b ? prefix[idx(*c.b)] : Prefix{}));
        auto memo = union_memo.find(key);
        if (any_pe && memo != union_memo.end()) {
          tile.coord.push_back(memo->second);
          continue;
        }
        if (any_pe) {
          const DimChain& ca = chains[idx(c.a)];
          for (int64_t ua = 0; ua < ca.combos; ++ua) {
            const Span sa = span_of(c.a, ua);
            if (!sa.active()) continue;
            for (int64_t i = sa.first; i <= sa.last; ++i) {
              if (!c.b) {
                u = unite(u, values_of(c, ca.list(ua)[i].r, Range{}));
                continue;
              }
              const DimChain& cb = chains[idx(*c.b)];
              for (int64_t ub = 0; ub < cb.combos; ++ub) {
                const Span sb = span_of(*c.b, ub);
                if (!sb.active()) continue;
                for (int64_t k = sb.first; k <= sb.last; ++k)
                  u = unite(u, values_of(c, ca.list(ua)[i].r, cb.list(ub)[k].r));
              }
            }
          }
        }
        if (any_pe) union_memo[key] = u;
        tile.coord.push_back(u);
      }
    }
    for (int64_t p = 0; p < pes && idle_possible; ++p) {
      bool active = true;
      for (Dim d : kAllDims) active = active && span_of(d, pe_combo[p][idx(d)]).active();
      for (int t = 0; t < 3; ++t) {
        const Tensor T = static_cast<Tensor>(t);
        if (!L.has_tensor(T)) continue;
        if (active) {
          // Held at the end of j: each dim's last entry with this prefix.
          std::vector<Sorted> vals;
          for (const TensorCoord& c : L.coords(T)) {
            const auto& a = chains[idx(c.a)];
            const int64_t ua = pe_combo[p][idx(c.a)];
            const Range ra = a.list(ua)[span_of(c.a, ua).last].r;
            Range rb{};
            if (c.b) {
              const auto& b = chains[idx(*c.b)];
              const int64_t ub = pe_combo[p][idx(*c.b)];
              rb = b.list(ub)[span_of(*c.b, ub).last].r;
            }
            vals.push_back(values_of(c, ra, rb));
          }
          std::vector<int64_t> ids = {0};
          for (size_t i = 0; i < vals.size(); ++i) {
            std::vector<int64_t> next;
            for (int64_t id : ids)
              for (int64_t v : vals[i]) next.push_back(id * codec[t].sizes[i] + v);
            ids.swap(next);
          }
          kept[p][t] = ids;
        } else if (ever[p]) {
          for (int64_t id : kept[p][t])
            if (!in_product(cur[t], codec[t], id)) cur[t].extra.push_back(id);
        }
      }
      if (active) ever[p] = 1;
    }
    for (int t = 0; t < 3; ++t) {
      auto& e = cur[t].extra;
      std::sort(e.begin(), e.end());
      e.erase(std::unique(e.begin(), e.end()), e.end());
    }
    // DRAM (rule 12) against the previous top-level step.
    bool revisit = false;  // a non-output top-level index is non-zero: returning outputs
    for (size_t k = 0; k < top_loops.size(); ++k)
      revisit = revisit || (index[k] != 0 && !L.couples(Tensor::kOutput, top_loops[k]->dim));
    int64_t reads = 0, writes = 0;
    for (int t = 0; t < 3; ++t) {
      const int64_t both = first_step ? 0 : intersection(cur[t], prev[t], codec[t]);
      const int64_t gained = cur[t].size() - both, lost = prev[t].size() - both;
      if (t < 2) {
        res.dram_reads[t] += gained;
        reads += gained;
      } else {
        const int64_t back = revisit ? gained : 0;
        res.dram_reads[2] += back;
        res.dram_writes[2] += lost;
        reads += back;
        writes += lost;
      }
    }
    res.reads.push_back(reads);
    res.writes.push_back(writes);
    res.l2_elems_needed = std::max(res.l2_elems_needed,
                                   2 * (cur[0].size() + cur[1].size()) + 3 * cur[2].size());
    prev = cur;
    first_step = false;
    int k = static_cast<int>(top_loops.size()) - 1;
    for (; k >= 0; --k) {
      if (++index[k] < trips[k]) break;
      index[k] = 0;
    }
    if (k < 0) break;
    compute_trips();
  }
  res.final_writes = prev[2].size();
  res.dram_writes[2] += res.final_writes;
  return res;
}

}  // namespace baton::detail
