#include "analyze_output.h"

#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

namespace baton::cli {
namespace {

using json = nlohmann::ordered_json;

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char ch : s) o += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return o + "\"";
}

// Column name, value as text; the first 22 names are the contract of issue #3.
std::vector<std::pair<std::string, std::string>> base_columns(const LayerRow& r);

std::vector<std::pair<std::string, std::string>> columns(const LayerRow& r) {
  auto cols = base_columns(r);
  cols.insert(cols.end(), r.extra.begin(), r.extra.end());
  return cols;
}

std::vector<std::pair<std::string, std::string>> base_columns(const LayerRow& r) {
  const LayerCost& c = r.cost;
  const auto& I = c.tensor[0];
  const auto& W = c.tensor[1];
  const auto& O = c.tensor[2];
  auto n = [](int64_t v) { return std::to_string(v); };
  return {
      {"layer", csv_quote(r.layer->name)},
      {"layer_index", n(r.layer->index)},
      {"fits", c.fits ? "true" : "false"},
      {"fit_reason", csv_quote(c.fit_reason)},
      {"macs", n(c.macs)},
      {"zero_macs", n(c.zero_macs)},
      {"steps", n(c.steps)},
      {"runtime_cycles", n(c.runtime_cycles)},
      {"compute_cycles", n(c.compute_cycles)},
      {"avg_active_pes", fixed(c.avg_active_pes, 4)},
      {"input_l2_reads", n(I.l2_reads)},
      {"weight_l2_reads", n(W.l2_reads)},
      {"output_l2_writes", n(O.l2_writes)},
      {"output_l2_reads", n(O.l2_reads)},
      {"input_noc_deliveries", n(I.noc_deliveries)},
      {"weight_noc_deliveries", n(W.noc_deliveries)},
      {"dram_reads", n(c.dram_reads())},
      {"dram_writes", n(c.dram_writes())},
      {"l1_bytes_needed", n(c.l1_bytes_needed)},
      {"l2_bytes_needed", n(c.l2_bytes_needed)},
      {"noc_bw_peak_elems_per_cycle", fixed(c.noc_bw_peak_elems_per_cycle, 4)},
      {"energy_pj", fixed(c.energy.total_pj(), 3)},
      {"top_steps", n(c.top_steps)},
      {"peak_active_pes", n(c.peak_active_pes)},
      {"output_writebacks", n(O.writebacks)},
      {"output_readbacks", n(O.readbacks)},
      {"output_rmw_reads", n(O.rmw_reads)},
      {"output_noc_deliveries", n(O.noc_deliveries)},
      {"input_dram_reads", n(I.dram_reads)},
      {"weight_dram_reads", n(W.dram_reads)},
      {"output_dram_reads", n(O.dram_reads)},
      {"output_dram_writes", n(O.dram_writes)},
      {"noc_element_hops", n(c.noc_element_hops)},
      {"noc_bw_avg_elems_per_cycle", fixed(c.noc_bw_avg_elems_per_cycle, 4)},
      {"offchip_bw_avg_elems_per_cycle", fixed(c.offchip_bw_avg_elems_per_cycle, 4)},
      {"energy_mac_pj", fixed(c.energy.mac_pj, 3)},
      {"energy_l1_pj", fixed(c.energy.l1_pj, 3)},
      {"energy_l2_pj", fixed(c.energy.l2_pj, 3)},
      {"energy_noc_pj", fixed(c.energy.noc_pj, 3)},
      {"energy_dram_pj", fixed(c.energy.dram_pj, 3)},
  };
}

}  // namespace

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void apply_fit(LayerCost& c, const HardwareSpec& hw) {
  std::vector<std::string> why;
  if (!c.fit_reason.empty()) why.push_back(c.fit_reason);
  if (hw.l1_bytes && c.l1_bytes_needed > *hw.l1_bytes)
    why.push_back("needs " + std::to_string(c.l1_bytes_needed) + " B of L1 per PE, has " +
                  std::to_string(*hw.l1_bytes) + " B");
  if (hw.l2_bytes && c.l2_bytes_needed > *hw.l2_bytes)
    why.push_back("needs " + std::to_string(c.l2_bytes_needed) + " B of L2, has " +
                  std::to_string(*hw.l2_bytes) + " B");
  if (why.empty()) return;
  c.fits = false;
  c.fit_reason.clear();
  for (const auto& w : why) c.fit_reason += (c.fit_reason.empty() ? "" : "; ") + w;
}

std::string analyze_csv(const std::vector<LayerRow>& rows) {
  std::ostringstream os;
  if (rows.empty()) return "";
  const auto head = columns(rows.front());
  for (size_t i = 0; i < head.size(); ++i) os << (i ? "," : "") << head[i].first;
  os << '\n';
  for (const auto& r : rows) {
    const auto cols = columns(r);
    for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i].second;
    os << '\n';
  }
  return os.str();
}

std::string analyze_json(const std::vector<LayerRow>& rows, const CompiledNetwork& net,
                         const HardwareSpec& hw) {
  json arr = json::array();
  for (const auto& r : rows) {
    json j;
    for (const auto& [name, value] : columns(r)) {
      if (name == "layer" || name == "fit_reason") continue;
      if (name == "fits") {
        j[name] = r.cost.fits;
      } else if (value.find('.') != std::string::npos) {
        j[name] = std::stod(value);
      } else {
        j[name] = std::stoll(value);
      }
    }
    json o;
    o["layer"] = r.layer->name;
    o["layer_index"] = r.layer->index;
    o["fit_reason"] = r.cost.fit_reason;
    o.update(j);
    arr.push_back(o);
  }
  json top;
  top["network"] = net.name;
  top["mapping"] = net.mapping_path;
  top["hardware"] = hw.name;
  top["cost_model"] = "native";
  top["layers"] = arr;
  return top.dump(2);
}

std::string analyze_summary(const std::vector<LayerRow>& rows, const CompiledNetwork& net,
                            const HardwareSpec& hw) {
  std::ostringstream os;
  os << "network " << net.name << " on " << hw.name << " (" << hw.pes << " PEs, "
     << hw.simd_lanes << " lane" << (hw.simd_lanes > 1 ? "s" : "") << ")\n";
  os << std::left << std::setw(4) << "#" << std::setw(24) << "layer" << std::right
     << std::setw(14) << "MACs" << std::setw(14) << "cycles" << std::setw(8) << "util%"
     << std::setw(16) << "energy_pj" << "  fits\n";
  int64_t macs = 0, cycles = 0, fail = 0;
  double energy = 0, util_weighted = 0;
  for (const auto& r : rows) {
    const LayerCost& c = r.cost;
    const double util = 100.0 * double(c.macs) /
                        double(std::max<int64_t>(1, c.runtime_cycles * hw.pes * hw.simd_lanes));
    os << std::left << std::setw(4) << r.layer->index << std::setw(24) << r.layer->name
       << std::right << std::setw(14) << c.macs << std::setw(14) << c.runtime_cycles
       << std::setw(8) << fixed(util, 1) << std::setw(16) << fixed(c.energy.total_pj(), 1)
       << "  " << (c.fits ? "yes" : "no: " + c.fit_reason) << '\n';
    macs += c.macs;
    cycles += c.runtime_cycles;
    energy += c.energy.total_pj();
    util_weighted += double(c.macs);
    fail += c.fits ? 0 : 1;
  }
  const double util = 100.0 * util_weighted /
                      double(std::max<int64_t>(1, cycles * hw.pes * hw.simd_lanes));
  os << "total: " << rows.size() << " layers, " << macs << " MACs, " << cycles << " cycles, "
     << fixed(util, 1) << "% MAC utilisation, " << fixed(energy / 1e6, 3) << " uJ";
  if (fail) os << ", " << fail << " layer(s) do not fit";
  os << '\n';
  return os.str();
}

}  // namespace baton::cli
