// MAESTRO's ReuseAnalysis, reproduced case by case (see reuse.h). Branches mirror the original
// on purpose, including its asymmetries (e.g. the edge-fold output factor keyed by Y, not Y').
#include "reuse.h"

#include <algorithm>

namespace baton::maestro::detail {

Reuse::Reuse(const Level& lv, const LayerInfo& info) : lv_(lv), info_(info) {
  // AnalyzeInputMappingSizes
  for (size_t i = 0; i < lv.df.size(); ++i) {
    const Dir& d = lv.df[i];
    last_[d.dim] = static_cast<int>(i);
    const int64_t dim = lv.dims.get(d.dim), s = d.size, o = d.ofs;
    const int64_t steady = std::max<int64_t>((dim - s) / o, 0);
    const bool has_edge = steady * o + s < dim || s > dim;
    m_[d.dim] = s;
    u_[d.dim] = std::min(s, o);
    if (!d.spatial && dim <= s) u_[d.dim] = 0;
    int64_t edge = dim - (steady + 1) * o;
    if (edge < 0) edge = dim;
    me_[d.dim] = has_edge ? edge : s;
    ue_[d.dim] = std::max<int64_t>(o - (s - edge), 0);
  }
  // AnalyzeOutputMappingSizes: Y' / X' tiles from Y / X and R / S.
  for (const Dir& d : lv.df) {
    const std::string win = info.sliding_of(d.dim);
    if (win.empty()) continue;
    const std::string out = d.dim + "'";
    m_[out] = m_[d.dim] - m_[win] + 1;
    u_[out] = std::min(d.ofs, d.size);
    me_[out] = me_[d.dim] - me_[win] + 1;
    ue_[out] = std::min(d.ofs, me_[out]);
  }
}

void Reuse::set_case(const std::vector<State>& states) { st_ = &states; }

int64_t Reuse::tab(const std::map<std::string, int64_t>& m, const std::string& k) const {
  const auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

const State& Reuse::state(const std::string& dim) const { return (*st_)[last_.at(dim)]; }

bool Reuse::all_init() const {
  for (const auto& [dim, i] : last_)
    if ((*st_)[i].pos != Pos::kInit) return false;
  return true;
}

const std::vector<std::string>& Reuse::vars(TensorId t) const {
  return t == TensorId::kInput ? info_.in_vars : t == TensorId::kWeight ? info_.w_vars : info_.out_vars;
}

bool Reuse::coupled(TensorId t, const std::string& dim) const {
  const auto& v = vars(t);
  return std::find(v.begin(), v.end(), dim) != v.end();
}

int64_t Reuse::pe_mapped(TensorId t, bool first, bool ee) const {
  int64_t ret = 1;
  for (const Dir& d : lv_.df) {
    if (!coupled(t, d.dim)) continue;
    const State& s = state(d.dim);
    if (!d.spatial || !s.is_edge()) {
      ret *= s.is_edge() ? tab(me_, d.dim) : tab(m_, d.dim);
    } else if (lv_.edge_units == 1) {
      if (first || ee) ret *= tab(me_, d.dim);
    } else {
      ret *= ee ? tab(me_, d.dim) : tab(m_, d.dim);
    }
  }
  return ret;
}

int64_t Reuse::pe_ingress(TensorId t, bool first, bool ee) const {
  const auto& df = lv_.df;
  int ch = -1;  // innermost directive whose dimension is not at Init
  for (size_t i = 0; i < df.size(); ++i)
    if (state(df[i].dim).pos != Pos::kInit) ch = static_cast<int>(i);
  if (ch == -1) return pe_mapped(t, first, ee);
  bool inited = false;  // a coupled, not unrolled directive inner to the changing one is at Init
  for (size_t i = ch + 1; i < df.size() && !inited; ++i) {
    const State& s = state(df[i].dim);
    inited = s.pos == Pos::kInit && coupled(t, df[i].dim) && !s.unrolled;
  }
  int64_t ret = 1;
  bool changing = false;
  for (size_t i = 0; i < df.size(); ++i) {
    const Dir& d = df[i];
    if (!coupled(t, d.dim)) continue;
    const State& s = state(d.dim);
    const bool is_ch = static_cast<int>(i) == ch, is_reset = static_cast<int>(i) > ch;
    changing = changing || is_ch;
    const int64_t full = ee ? tab(me_, d.dim) : tab(m_, d.dim);
    const int64_t uniq = ee ? tab(ue_, d.dim) : tab(u_, d.dim);
    if (!d.spatial) {
      if (s.pos == Pos::kInit) ret *= s.is_edge() ? tab(me_, d.dim) : tab(m_, d.dim);
      else ret *= (is_ch && !inited) ? std::max<int64_t>(tab(u_, d.dim), 1) : tab(m_, d.dim);
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
  const auto note = [&](const std::string& dim) {
    r.mapped = true;
    r.st = &state(dim);
    if (r.st->is_edge()) r.edge = true;
  };
  for (const std::string& v : vars(t)) {
    for (const Dir& d : lv_.df) {
      if (d.dim != v) continue;
      if (d.spatial) note(v);
      break;  // FindDirective: the first directive on v
    }
  }
  if (all_spatial)
    for (const Dir& d : lv_.df)
      if (d.spatial) note(d.dim);
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
  const auto plain = [&](const std::string& k) {
    if (first) ret *= tab(m_, k);
    else if (tab(u_, k) != 0) ret *= tab(u_, k);
  };
  if (psums) {
    for (const Dir& d : lv_.df) {
      if (coupled(TensorId::kOutput, d.dim)) continue;
      const State& s = state(d.dim);
      if (!d.spatial) {
        ret *= s.is_edge() ? tab(me_, d.dim) : tab(m_, d.dim);
      } else if (s.pos == Pos::kInit) {
        if (s.is_edge() && ee) {
          ret *= tab(me_, d.dim);  // both of MAESTRO's branches (one / several units) agree
        } else {
          plain(d.dim);
        }
      } else if (s.pos == Pos::kSteady) {
        plain(d.dim);
      } else if (nac == 1 && (first || ee)) {
        ret *= tab(me_, d.dim);
      } else if (nac > 1) {
        if (ee) ret *= tab(ue_, d.dim);
        else plain(d.dim);
      }
    }
  }
  for (const std::string& dim : info_.out_vars) {
    const auto it = last_.find(dim);
    if (it == last_.end()) continue;
    int idx = -1;  // GetDirectiveIdx: the first directive on dim
    for (size_t i = 0; i < lv_.df.size() && idx < 0; ++i)
      if (lv_.df[i].dim == dim) idx = static_cast<int>(i);
    const Dir& d = lv_.df[idx];
    const State& s = state(dim);
    const std::string a = info_.sliding_of(dim).empty() ? dim : dim + "'";
    if (!d.spatial) {
      if (s.pos == Pos::kInit) ret *= s.is_edge() ? tab(me_, a) : tab(m_, a);
      else ret *= s.pos == Pos::kSteady ? tab(m_, a) : tab(me_, a);
    } else if (s.pos == Pos::kInit) {
      if (s.is_edge() && ee) {
        if (nac == 1) ret *= tab(me_, a);
        else if (nac > 1) ret *= reuse_at_edge ? tab(ue_, a) : tab(me_, a);
      } else {
        plain(a);
      }
    } else if (s.pos == Pos::kSteady) {
      plain(a);
    } else if (nac == 1 && (first || ee)) {
      ret *= tab(me_, dim);  // MAESTRO uses the input-coordinate key here
    } else if (nac > 1) {
      if (ee) ret *= tab(ue_, a);
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
  for (const std::string& v : vars(t)) {
    const auto it = m_.find(v);
    if (it != m_.end()) ret *= it->second;
  }
  return ret;
}

DimTable Reuse::sub_dims(bool sp_edge_edge) const {
  DimTable r;
  r.outer_stride = lv_.dims.outer_stride;
  for (const Dir& d : lv_.df) {
    const State& s = state(d.dim);
    bool edge = s.is_edge();
    if (d.spatial) edge = s.is_edge() && (lv_.edge_units == 1 || sp_edge_edge);
    r.add(d.dim, edge ? tab(me_, d.dim) : tab(m_, d.dim));
  }
  return r;
}

}  // namespace baton::maestro::detail
