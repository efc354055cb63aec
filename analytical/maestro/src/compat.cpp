// Public entry points of baton::maestro: hardware conversion and per-layer analysis.
#include <climits>

#include "baton/maestro/compat.h"
#include "model.h"

namespace baton::maestro {

MaestroHw maestro_hw_from_spec(const HardwareSpec& hw) {
  MaestroHw m;
  m.num_pes = hw.pes;
  m.num_simd_lanes = hw.simd_lanes;
  m.noc_bw = hw.noc.bandwidth_elems_per_cycle.value_or(INT_MAX);
  m.noc_hop_latency = hw.noc.hop_latency_cycles;
  m.offchip_bw = hw.offchip_bw_elems_per_cycle.value_or(INT_MAX);
  m.l1_size = hw.l1_bytes ? *hw.l1_bytes / hw.word_bytes : INT_MAX;
  m.l2_size = hw.l2_bytes ? *hw.l2_bytes / hw.word_bytes : INT_MAX;
  return m;
}

double TensorCounters::reuse_factor() const {
  return l1_write == 0 ? 0.0 : static_cast<double>(l1_read) / static_cast<double>(l1_write);
}

LayerResult maestro_analyze(const LayerDecl& layer, const DataflowDecl& dataflow,
                            const MaestroHw& hw) {
  using namespace detail;
  const LayerModel m = build_model(layer, dataflow, hw);
  Evaluation ev(m, hw);
  const LevelResult top = ev.analyze(0, m.top_dims);
  const LevelResult& inner = ev.first_completed();  // MAESTRO's L1 report: its first result

  LayerResult r;
  r.layer_name = layer.name;
  r.num_pes = hw.num_pes;
  r.num_simd_lanes = hw.num_simd_lanes;
  r.noc_bw = hw.noc_bw;
  r.inner_level_analysed = ev.sub_analysed();
  r.valid_case_occurrences = top.occurrences;
  r.runtime = top.runtime;
  r.num_macs = top.macs;
  TensorCounters* in[2] = {&r.input, &r.filter};
  for (int t = 0; t < 2; ++t) {
    in[t]->l2_read = top.l2_read[t];
    in[t]->l2_write = top.tensor_size[t];
    in[t]->l1_write = top.l2_read[t];
    in[t]->l1_read = top.macs;
  }
  r.output.l2_write = top.out_write;
  r.output.l2_read = top.tensor_size[2];
  r.output.l1_read = r.output.l1_write = top.macs;
  r.l2_size_req = top.size_req_up[0] + top.size_req_up[1] + top.size_req_up[2];
  r.l1_size_req = inner.size_req_down[0] + inner.size_req_down[1] + inner.size_req_down[2];
  r.peak_bw_req = top.peak_bw;
  r.avg_bw_req = top.avg_bw;
  r.offchip_bw_req = top.offchip_bw;
  r.avg_utilized_pes = top.avg_active;
  r.arithmetic_intensity = top.arithmetic_intensity;
  r.ingress_delay = top.delay[0];
  r.egress_delay = top.delay[1];
  r.compute_delay = top.delay[2];
  const auto pixels = [&](const DimList& vars) {
    int64_t p = 1;
    for (int v : vars)
      if (m.declared & bit(v)) p *= m.top_dims.get(v);
    return p;
  };
  r.input_pixels = pixels(m.info.vars[0]);
  r.weight_pixels = pixels(m.info.vars[1]);
  return r;
}

}  // namespace baton::maestro
