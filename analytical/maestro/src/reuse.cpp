// MAESTRO's ReuseAnalysis, reproduced case by case (see reuse.h). Branches mirror the original
// on purpose, including its asymmetries (e.g. the edge-fold output factor keyed by Y, not Y').
#include "reuse.h"

#include <algorithm>

namespace baton::maestro::detail {

void build_tiles(Level& lv, const LayerInfo& info) {
  Tiles& t = lv.tiles;
  // AnalyzeInputMappingSizes
  for (const Dir& d : lv.df) {
    const int k = d.dim;
    const int64_t dim = lv.dims.get(k), s = d.size, o = d.ofs;
    const int64_t steady = std::max<int64_t>((dim - s) / o, 0);
    const bool has_edge = steady * o + s < dim || s > dim;
    t.m[k] = s;
    t.m_keys |= bit(k);
    t.u[k] = std::min(s, o);
    if (!d.spatial && dim <= s) t.u[k] = 0;
    int64_t edge = dim - (steady + 1) * o;
    if (edge < 0) edge = dim;
    t.me[k] = has_edge ? edge : s;
    t.ue[k] = std::max<int64_t>(o - (s - edge), 0);
  }
  // AnalyzeOutputMappingSizes: Y' / X' tiles from Y / X and R / S.
  for (const Dir& d : lv.df) {
    const int win = info.sliding_of(d.dim);
    if (win < 0) continue;
    const int out = info.output_key(d.dim);
    t.m[out] = t.m[d.dim] - t.m[win] + 1;
    t.m_keys |= bit(out) | bit(win);  // MAESTRO's operator[] creates the window's entry
    t.u[out] = std::min(d.ofs, d.size);
    t.me[out] = t.me[d.dim] - t.me[win] + 1;
    t.ue[out] = std::min(d.ofs, t.me[out]);
  }
}

Reuse::Reuse(const Level& lv, const LayerInfo& info, const State* states)
    : lv_(lv), tb_(lv.tiles), info_(info), st_(states) {
  for (int i = static_cast<int>(lv.df.size()); i-- > 0;)
    if (state_at(i).pos != Pos::kInit) {
      ch_ = i;
      break;
    }
}

int64_t Reuse::pe_mapped(TensorId t, bool first, bool ee) const {
  int64_t ret = 1;
  for (int i = 0, n = static_cast<int>(lv_.df.size()); i < n; ++i) {
    const Dir& d = lv_.df[i];
    if (!coupled(t, d.dim)) continue;
    const State& s = state_at(i);
    if (!d.spatial || !s.is_edge()) {
      ret *= s.is_edge() ? tb_.me[d.dim] : tb_.m[d.dim];
    } else if (lv_.edge_units == 1) {
      if (first || ee) ret *= tb_.me[d.dim];
    } else {
      ret *= ee ? tb_.me[d.dim] : tb_.m[d.dim];
    }
  }
  return ret;
}

int64_t Reuse::pe_ingress(TensorId t, bool first, bool ee) const {
  const auto& df = lv_.df;
  const int n = static_cast<int>(df.size()), ch = ch_;
  if (ch == -1) return pe_mapped(t, first, ee);
  bool inited = false;  // a coupled, not unrolled directive inner to the changing one is at Init
  for (int i = ch + 1; i < n && !inited; ++i) {
    const State& s = state_at(i);
    inited = s.pos == Pos::kInit && coupled(t, df[i].dim) && !s.unrolled;
  }
  int64_t ret = 1;
  bool changing = false;
  for (int i = 0; i < n; ++i) {
    const Dir& d = df[i];
    if (!coupled(t, d.dim)) continue;
    const State& s = state_at(i);
    const bool is_ch = i == ch, is_reset = i > ch;
    changing = changing || is_ch;
    const int k = d.dim;
    const int64_t full = ee ? tb_.me[k] : tb_.m[k];
    const int64_t uniq = ee ? tb_.ue[k] : tb_.u[k];
    if (!d.spatial) {
      if (s.pos == Pos::kInit) ret *= s.is_edge() ? tb_.me[k] : tb_.m[k];
      else ret *= (is_ch && !inited) ? std::max<int64_t>(tb_.u[k], 1) : tb_.m[k];
    } else if (first) {
      ret *= full;
    } else if (s.pos == Pos::kInit) {
      ret *= is_reset ? uniq : full;
    } else {
      ret *= (!inited && is_ch) ? uniq : full;
    }
  }
  return changing ? ret : 0;
}

Reuse::SpInfo Reuse::sp_info(TensorId t, bool all_spatial) const {
  SpInfo r;
  const auto note = [&](int i) {
    r.mapped = true;
    r.st = &state_at(i);
    if (r.st->is_edge()) r.edge = true;
  };
  for (int v : info_.vars[static_cast<int>(t)]) {
    const int i = lv_.first_of[v];  // FindDirective: the first directive on v
    if (i >= 0 && lv_.df[i].spatial) note(i);
  }
  if (all_spatial)
    for (int i = 0, n = static_cast<int>(lv_.df.size()); i < n; ++i)
      if (lv_.df[i].spatial) note(i);
  return r;
}

int64_t Reuse::spatial_ingress(TensorId t) const {
  const SpInfo sp = sp_info(t, false);
  if (!sp.mapped) return pe_ingress(t, true, false);
  if (!sp.edge) return pe_ingress(t, true, false) + (lv_.units - 1) * pe_ingress(t, false, false);
  const int64_t nec = lv_.edge_units;
  const bool hee = sp.st->sp_edge_edge;
  int64_t ret = (nec == 1 && hee) ? pe_ingress(t, true, true) : pe_ingress(t, true, false);
  if (nec > 1) {
    const int64_t nee = hee ? 1 : 0, nfull = std::max<int64_t>(nec - nee - 1, 0);
    ret += nfull * pe_ingress(t, false, false) + nee * pe_ingress(t, false, true);
  }
  return ret;
}

int64_t Reuse::pe_egress(bool psums, bool first, bool ee, bool reuse_at_edge) const {
  const int64_t nac = lv_.edge_units;
  int64_t ret = 1;
  // Factor of a spatial dimension for a non-edge-edge unit (mapped for the first, else unique).
  const auto plain = [&](int k) {
    if (first) ret *= tb_.m[k];
    else if (tb_.u[k] != 0) ret *= tb_.u[k];
  };
  if (psums) {
    for (int i = 0, n = static_cast<int>(lv_.df.size()); i < n; ++i) {
      const Dir& d = lv_.df[i];
      if (coupled(TensorId::kOutput, d.dim)) continue;
      const State& s = state_at(i);
      const int k = d.dim;
      if (!d.spatial) {
        ret *= s.is_edge() ? tb_.me[k] : tb_.m[k];
      } else if (s.pos == Pos::kInit) {
        if (s.is_edge() && ee) {
          ret *= tb_.me[k];  // both of MAESTRO's branches (one / several units) agree
        } else {
          plain(k);
        }
      } else if (s.pos == Pos::kSteady) {
        plain(k);
      } else if (nac == 1 && (first || ee)) {
        ret *= tb_.me[k];
      } else if (nac > 1) {
        if (ee) ret *= tb_.ue[k];
        else plain(k);
      }
    }
  }
  for (int dim : info_.vars[static_cast<int>(TensorId::kOutput)]) {
    const int idx = lv_.first_of[dim];  // GetDirectiveIdx: the first directive on dim
    if (idx < 0) continue;
    const Dir& d = lv_.df[idx];
    const State& s = state_at(idx);
    const int a = info_.output_key(dim);
    if (!d.spatial) {
      if (s.pos == Pos::kInit) ret *= s.is_edge() ? tb_.me[a] : tb_.m[a];
      else ret *= s.pos == Pos::kSteady ? tb_.m[a] : tb_.me[a];
    } else if (s.pos == Pos::kInit) {
      if (s.is_edge() && ee) {
        if (nac == 1) ret *= tb_.me[a];
        else if (nac > 1) ret *= reuse_at_edge ? tb_.ue[a] : tb_.me[a];
      } else {
        plain(a);
      }
    } else if (s.pos == Pos::kSteady) {
      plain(a);
    } else if (nac == 1 && (first || ee)) {
      ret *= tb_.me[dim];  // MAESTRO uses the input-coordinate key here
    } else if (nac > 1) {
      if (ee) ret *= tb_.ue[a];
      else plain(a);
    }
  }
  return ret;
}

int64_t Reuse::spatial_egress() const {
  const SpInfo sp = sp_info(TensorId::kOutput, false);
  if (!sp.mapped) return pe_egress(false, true, false);
  if (!sp.edge) return pe_egress(false, true, false) + (lv_.units - 1) * pe_egress(false, false, false);
  const int64_t nec = lv_.edge_units;
  const bool hee = sp.st->sp_edge_edge;
  int64_t ret = (nec == 1 && hee) ? pe_egress(false, true, true) : pe_egress(false, true, false);
  if (nec > 1) {
    const int64_t nee = hee ? 1 : 0, nfull = std::max<int64_t>(nec - nee - 1, 0);
    ret += nfull * pe_egress(false, false, false) + nee * pe_egress(false, false, true);
  }
  return ret;
}

int64_t Reuse::critical_psums() const {
  const SpInfo sp = sp_info(TensorId::kOutput, false);
  if (!sp.mapped || !sp.edge) return pe_egress(true, true, false);
  return pe_egress(true, true, lv_.edge_units == 1 && sp.st->sp_edge_edge);
}

int64_t Reuse::output_spatial_size(bool for_psum) const {
  const SpInfo sp = sp_info(TensorId::kOutput, for_psum);
  if (!sp.mapped || !sp.edge) return lv_.units * pe_egress(for_psum, true, false);
  const int64_t nec = lv_.edge_units;
  const bool hee = sp.st->sp_edge_edge;
  int64_t ret = pe_egress(for_psum, true, nec == 1 && hee);
  if (nec > 1) {
    const int64_t nee = hee ? 1 : 0, nfull = std::max<int64_t>(nec - nee - 1, 0);
    ret += nfull * pe_egress(for_psum, true, false) + nee * pe_egress(for_psum, false, true, false);
  }
  return ret;
}

int64_t Reuse::mapped_volume(TensorId t) const {
  int64_t ret = 1;
  for (int v : info_.vars[static_cast<int>(t)])
    if (tb_.m_keys & bit(v)) ret *= tb_.m[v];
  return ret;
}

DimTable Reuse::sub_dims(bool sp_edge_edge) const {
  DimTable r;
  for (int i = 0, n = static_cast<int>(lv_.df.size()); i < n; ++i) {
    const Dir& d = lv_.df[i];
    const State& s = state_at(i);
    bool edge = s.is_edge();
    if (d.spatial) edge = s.is_edge() && (lv_.edge_units == 1 || sp_edge_edge);
    r.add(d.dim, edge ? tb_.me[d.dim] : tb_.m[d.dim]);
  }
  return r;
}

}  // namespace baton::maestro::detail
