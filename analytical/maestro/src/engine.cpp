// One cluster level, all its cases, recursively into sub-clusters: MAESTRO's
// IterationAnalysis + CostAnalysisEngine::AnalyzeClusterLevel_V2 (MAESTRO-SEMANTICS.md §2.7,
// §3.1, §3.5–§3.11).
#include <algorithm>
#include <limits>

#include "baton/dataflow/diagnostic.h"
#include "reuse.h"

namespace baton::maestro::detail {

namespace {

// The Init / Steady / Edge states of one directive (at most three).
struct States {
  State s[3];
  int n = 0;
  void push(const State& st) { s[n++] = st; }
};

// IterationAnalysis::AnalyzeIterationStates for one directive with case dimension size dim.
States states_of(const Dir& d, int64_t dim, int64_t units) {
  States v;
  const int64_t s = d.size, o = d.ofs;
  if (!d.spatial) {
    v.push(State{Pos::kInit, 1, dim <= s, dim < s, false});
    const int64_t n = (dim - s) / o;
    if (s < dim && n > 0) v.push(State{Pos::kSteady, n, false, false, false});
    if (!(dim < s) && n * o + s < dim) v.push(State{Pos::kEdge, 1, false, false, false});
    return v;
  }
  const int64_t cov = s + o * (units - 1);
  const bool init_edge = dim < cov;
  v.push(State{Pos::kInit, 1, dim <= cov, init_edge, init_edge});
  const int64_t n = ((dim - s) / o + 1) / units - 1;
  const bool has_edge = !(dim <= cov) && ((n + 1) * (o * units) + cov > dim) &&
                        (n * (o * units) + cov != dim);
  if (cov < dim && n > 0) v.push(State{Pos::kSteady, n, false, false, false});
  const int64_t rem = dim - (n + 1) * o * units;
  int64_t active = rem < s ? 1 : (rem - s) / o + 1;
  const bool ee = (active - 1) * o + s < rem;
  if (!init_edge && has_edge) v.push(State{Pos::kEdge, 1, false, false, ee});
  return v;
}

// NoC delay of n elements (AHW_noc-model): latency + ⌈n/bw⌉ − 1.
int64_t noc_delay(int64_t n, const MaestroHw& hw) {
  return hw.noc_hop_latency + (n + hw.noc_bw - 1) / hw.noc_bw - 1;
}

struct DelayAcc {
  long double min = std::numeric_limits<long double>::max(), max = 0, sum = 0;
  void add(int64_t v, int64_t occ) {
    min = std::min<long double>(min, v);
    max = std::max<long double>(max, v);
    sum += static_cast<long double>(occ) * v;
  }
  DelayStats done(int64_t total) const {
    if (total == 0) return {};
    return {static_cast<int64_t>(min), static_cast<int64_t>(max), static_cast<int64_t>(sum / total)};
  }
};

}  // namespace

LevelResult Evaluation::analyze(size_t idx, const DimTable& dims) {
  if (idx > 0) {
    ++sub_calls_;
    for (const Memo& e : memo_)
      if (e.idx == idx && e.dims == dims) return e.result;
  }
  LevelResult r = compute(idx, dims);
  if (!have_first_) {
    first_ = r;
    have_first_ = true;
  }
  if (idx > 0) memo_.push_back(Memo{idx, dims, r});
  return r;
}

LevelResult Evaluation::compute(size_t idx, const DimTable& dims) {
  const LayerModel& m = m_;
  const MaestroHw& hw = hw_;
  const Level& lv = m.levels[idx];
  const bool top = idx == 0, innermost = idx + 1 == m.levels.size();
  const size_t nd = lv.df.size();
  LevelResult r;

  // MAESTRO's enumeration order: case 0 = all Init; case c ≥ 1 takes state
  // (⌊(c−1)/f⌋ + 1) mod n of each directive, f = product of the inner directives' state counts.
  std::vector<States> per_dir(nd);
  std::vector<int64_t> freq(nd, 1);
  std::vector<State> st(nd);
  int64_t num_cases = 1;
  for (size_t i = 0; i < nd; ++i) {
    per_dir[i] = states_of(lv.df[i], dims.get(lv.df[i].dim), lv.units);
    num_cases *= per_dir[i].n;
  }
  for (size_t i = nd; i-- > 1;) freq[i - 1] = freq[i] * per_dir[i].n;

  const TensorId ins[2] = {TensorId::kInput, TensorId::kWeight};
  DelayAcc dl[3];
  long double avg_bw = 0, active_sum = 0;
  int64_t total = 0, case_id = 0;
  for (int64_t c = 0; c < num_cases; ++c) {
    int64_t occ = 1;
    for (size_t i = 0; i < nd; ++i) {
      st[i] = per_dir[i].s[c == 0 ? 0 : ((c - 1) / freq[i] + 1) % per_dir[i].n];
      occ *= st[i].occ;
    }
    const Reuse reuse(lv, m.info, st.data());
    if (case_id == 0) {  // UpdateBufferSizeReq (inputs accumulate, as in MAESTRO)
      for (TensorId t : ins) {
        const int ti = static_cast<int>(t);
        int64_t size = 1;
        for (int v : m.info.vars[ti]) size *= dims.get(v);
        r.size_req_up[ti] += 2 * reuse.spatial_ingress(t);
        r.tensor_size[ti] = size;
        r.size_req_down[ti] += 2 * reuse.mapped_volume(t);
      }
      int64_t size = 1;
      for (int v : m.info.vars[2]) {
        const int win = m.info.sliding_of(v);
        size *= win < 0 ? dims.get(v) : dims.get(v) - dims.get(win) + 1;
      }
      r.size_req_up[2] = 2 * reuse.spatial_egress();
      r.tensor_size[2] = size;
      r.size_req_down[2] = 2 * reuse.mapped_volume(TensorId::kOutput);
    }
    const int64_t egress = reuse.spatial_egress();
    const int64_t psum_size = reuse.output_spatial_size(true);
    r.out_write += occ * egress;
    const int64_t psums = reuse.critical_psums();
    if (psums <= 0) continue;  // "Skipping Invalid case"

    int64_t ingress = 0;
    for (TensorId t : ins) {
      const int64_t v = reuse.spatial_ingress(t);
      ingress += v;
      r.l2_read[static_cast<int>(t)] += occ * v;
    }
    r.arithmetic_intensity = static_cast<double>(psum_size) / static_cast<double>(ingress);

    const State& sps = reuse.state_at(lv.first_spatial);
    const int64_t active = sps.is_edge() ? lv.edge_units : lv.units;
    int64_t compute = 0;
    long double sub_active = 0;
    if (!innermost) {
      const auto run = [&](bool ee, int64_t spatial_occ) {
        const LevelResult sub = analyze(idx + 1, reuse.sub_dims(ee));
        compute = std::max(compute, sub.runtime);
        sub_active += static_cast<long double>(sub.avg_active) * spatial_occ;
      };
      if (sps.is_edge() && sps.sp_edge_edge) {
        run(true, 1);
        if (lv.edge_units - 1 > 0) run(false, lv.edge_units - 1);
      } else {
        run(false, sps.is_edge() ? lv.edge_units : lv.units);
      }
      if (compute == 0)
        throw InputError(Diagnostic{Severity::kError, {}, "a sub-cluster has no valid case "
                                    "(MAESTRO divides by zero: SIGFPE)", ""});
    } else {
      compute = (psums + hw.num_simd_lanes - 1) / hw.num_simd_lanes;
    }
    const int64_t in_d = noc_delay(ingress, hw), eg_d = noc_delay(egress, hw);
    int64_t d = reuse.all_init() ? compute + in_d : std::max({eg_d, compute, in_d});
    if (top) {  // off-chip: the whole double-buffered L2 footprint per step, halved (§3.7)
      const int64_t in_off = ((r.size_req_up[0] + r.size_req_up[1]) / hw.offchip_bw) / 2;
      const int64_t out_off = (r.size_req_up[2] / hw.offchip_bw) / 2;
      d = std::max({in_off, d, out_off});
    }
    r.runtime += occ * d;
    r.macs += occ * psum_size;
    active_sum += (sub_active == 0 ? static_cast<long double>(active) : sub_active) * occ;
    const int64_t cd = compute == 0 ? 1 : compute;
    const int64_t traffic = std::max(ingress, egress);
    r.peak_bw = std::max(r.peak_bw, traffic / cd);
    avg_bw += (occ * traffic) / cd;
    if (top) {
      r.offchip_bw = std::max({r.offchip_bw, r.size_req_up[2] / cd,
                               (r.size_req_up[0] + r.size_req_up[1]) / cd}) / 2;
    }
    dl[0].add(in_d, occ);
    dl[1].add(eg_d, occ);
    dl[2].add(cd, occ);
    total += occ;
    ++case_id;
  }
  if (total != 0) {
    r.avg_bw = static_cast<double>(avg_bw / total);
    r.avg_active = static_cast<double>(active_sum / total);
  }
  for (int k = 0; k < 3; ++k) r.delay[k] = dl[k].done(total);
  r.occurrences = total;
  return r;
}

}  // namespace baton::maestro::detail
