#include "maestro_mode.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analyze_output.h"
#include "baton/maestro/compat.h"

namespace baton::cli {

void add_maestro_hw_options(po::options_description& desc, MaestroHwOptions& m) {
  desc.add_options()("num_pes", po::value(&m.num_pes), "MAESTRO option: PEs")(
      "num_simd_lanes", po::value(&m.num_simd_lanes), "MAESTRO option: MAC lanes per PE")(
      "noc_bw_cstr", po::value(&m.noc_bw_cstr), "MAESTRO option: NoC bandwidth (elements/cycle)")(
      "noc_hops", po::value(&m.noc_hops), "MAESTRO option: NoC hops")(
      "noc_hop_latency", po::value(&m.noc_hop_latency), "MAESTRO option: cycles per hop")(
      "offchip_bw_cstr", po::value(&m.offchip_bw_cstr), "MAESTRO option: off-chip bandwidth")(
      "l1_size_cstr", po::value(&m.l1_size_cstr), "MAESTRO option: L1 size (elements)")(
      "l2_size_cstr", po::value(&m.l2_size_cstr), "MAESTRO option: L2 size (elements)");
}

void apply_maestro_hw_options(const MaestroHwOptions& m, HardwareSpec& hw) {
  auto positive = [](int64_t v, const char* name) {
    if (v < 0)
      throw InputError(make_error(SourceLoc{std::string("--") + name, 0, 0},
                                  std::string("--") + name + " must be positive"));
    return v;
  };
  if (m.num_pes) hw.pes = positive(m.num_pes, "num_pes");
  if (m.num_simd_lanes) hw.simd_lanes = positive(m.num_simd_lanes, "num_simd_lanes");
  if (m.noc_bw_cstr) hw.noc.bandwidth_elems_per_cycle = positive(m.noc_bw_cstr, "noc_bw_cstr");
  if (m.noc_hops || m.noc_hop_latency >= 0)
    hw.noc.hop_latency_cycles = (m.noc_hops ? m.noc_hops : 1) *
                                (m.noc_hop_latency >= 0 ? m.noc_hop_latency : 0);
  if (m.offchip_bw_cstr)
    hw.offchip_bw_elems_per_cycle = positive(m.offchip_bw_cstr, "offchip_bw_cstr");
  if (m.l1_size_cstr) hw.l1_bytes = positive(m.l1_size_cstr, "l1_size_cstr") * hw.word_bytes;
  if (m.l2_size_cstr) hw.l2_bytes = positive(m.l2_size_cstr, "l2_size_cstr") * hw.word_bytes;
}

int analyze_maestro(const CommonOptions& o, const HardwareSpec& hw, const std::string& csv) {
  // Native validation gives located warnings: MAESTRO computes what baton's rules reject.
  const CompiledNetwork net = load_network(o, hw);
  for (const auto& e : net.errors())
    std::cerr << make_warning(e.loc, e.message + " — computed anyway (MAESTRO-compatible mode)",
                              e.hint).format()
              << '\n';
  const maestro::MaestroHw mhw = maestro::maestro_hw_from_spec(hw);
  std::vector<maestro::LayerResult> rows;
  std::vector<int> index;
  int failed = 0;
  const auto selected = net.select(o.layer);
  for (const CompiledLayer* cl : selected) {
    const LayerDecl& d = cl->decl;
    try {
      if (!cl->dataflow)
        throw InputError(make_error(d.loc, "layer '" + d.name + "' has no Dataflow",
                                    "MAESTRO crashes on this; give --dataflow T.m"));
      rows.push_back(maestro::maestro_analyze(d, *cl->dataflow, mhw));
      index.push_back(cl->index);
    } catch (const InputError& e) {
      ++failed;
      for (const auto& diag : e.diagnostics())
        std::cerr << diag.format() << " [MAESTRO fails on this layer]\n";
    }
  }
  if (failed && !o.keep_going) {
    std::cerr << "baton: " << failed << " layer(s) MAESTRO cannot evaluate; nothing written "
              << "(use --keep-going for the others)\n";
    return kBadInput;
  }
  if (!csv.empty()) {
    std::ostringstream os;
    maestro::write_maestro_csv(os, net.name, rows);
    write_file_atomic(csv, os.str());
  }
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  std::ostringstream text;
  text << "network " << net.name << " on " << hw.name << " (MAESTRO-compatible model)\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    nlohmann::ordered_json j;
    j["layer"] = net.layers[index[i]].name;
    j["layer_index"] = index[i];
    j["runtime_cycles"] = r.runtime;
    j["macs"] = r.num_macs;
    j["input_l2_reads"] = r.input.l2_read;
    j["weight_l2_reads"] = r.filter.l2_read;
    j["output_l2_writes"] = r.output.l2_write;
    j["l1_size_req_elems"] = r.l1_size_req;
    j["l2_size_req_elems"] = r.l2_size_req;
    j["peak_bw_req_elems_per_cycle"] = r.peak_bw_req;
    j["avg_utilized_pes"] = std::stod(fixed(r.avg_utilized_pes, 4));
    j["energy_nj_recomputed"] = std::stod(fixed(maestro::recomputed_energy_nj(r), 6));
    arr.push_back(j);
    text << "  #" << index[i] << ' ' << net.layers[index[i]].name << ": " << r.runtime
         << " cycles, " << r.num_macs << " MACs\n";
  }
  nlohmann::ordered_json top{{"network", net.name}, {"cost_model", "maestro"},
                             {"layers", arr}};
  if (o.json && *o.json == "-") {
    std::cout << top.dump(2) << '\n';
  } else {
    if (o.json) emit_json(o.json, top.dump(2));
    std::cout << text.str();
  }
  return failed ? kBadInput : kOk;
}

}  // namespace baton::cli
