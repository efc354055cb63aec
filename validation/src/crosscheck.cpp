#include "baton/validation/crosscheck.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace baton {
namespace {

using json = nlohmann::ordered_json;

std::string fixed(double v, int d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", d, v);
  return buf;
}

// The compared counters: name, analytical value, simulated value.
std::vector<std::tuple<std::string, int64_t, int64_t>> counters(const LayerCost& a,
                                                                const LayerCost& s) {
  std::vector<std::tuple<std::string, int64_t, int64_t>> out;
  const char* names[] = {"input", "weight", "output"};
  for (int t = 0; t < 3; ++t) {
    const std::string n = names[t];
    out.emplace_back(n + "_l2_reads", a.tensor[t].l2_reads, s.tensor[t].l2_reads);
    out.emplace_back(n + "_noc_deliveries", a.tensor[t].noc_deliveries,
                     s.tensor[t].noc_deliveries);
    out.emplace_back(n + "_dram_reads", a.tensor[t].dram_reads, s.tensor[t].dram_reads);
  }
  out.emplace_back("output_l2_writes", a.tensor[2].l2_writes, s.tensor[2].l2_writes);
  out.emplace_back("output_writebacks", a.tensor[2].writebacks, s.tensor[2].writebacks);
  out.emplace_back("output_dram_writes", a.tensor[2].dram_writes, s.tensor[2].dram_writes);
  out.emplace_back("macs", a.macs, s.macs);
  out.emplace_back("steps", a.steps, s.steps);
  out.emplace_back("compute_cycles", a.compute_cycles, s.compute_cycles);
  return out;
}

}  // namespace

void compare(LayerCheck& c) {
  const double a = double(c.analytical.runtime_cycles);
  const double s = double(c.simulated.counted.runtime_cycles);
  c.runtime_diff_pct = a > 0 ? (s - a) / a * 100.0 : (s > 0 ? 100.0 : 0.0);
  c.mismatches.clear();
  for (const auto& [name, x, y] : counters(c.analytical, c.simulated.counted))
    if (x != y) c.mismatches.push_back(name);
}

double CheckReport::max_abs_diff_pct() const {
  double m = 0;
  for (const auto& l : layers) m = std::max(m, std::abs(l.runtime_diff_pct));
  return m;
}

bool CheckReport::all_traffic_match() const {
  for (const auto& l : layers)
    if (!l.traffic_match()) return false;
  return true;
}

std::string discrepancy_csv(const CheckReport& r) {
  std::ostringstream os;
  os << "layer,layer_index,analytical_runtime_cycles,simulated_runtime_cycles,runtime_diff_pct,"
        "traffic_match,mismatched_counters,sim_compute_bound_cycles,sim_ingress_bound_cycles,"
        "sim_egress_bound_cycles,sim_raw_serialised_cycles,sim_dram_extension_cycles,"
        "sim_fill_drain_cycles,sim_l2_port_limited_cycles,dominant_cause,first_divergent_step\n";
  for (const auto& l : r.layers) {
    std::string mm;
    for (const auto& m : l.mismatches) mm += (mm.empty() ? "" : ";") + m;
    const SlotCauses& c = l.simulated.causes;
    os << l.layer << ',' << l.layer_index << ',' << l.analytical.runtime_cycles << ','
       << l.simulated.counted.runtime_cycles << ',' << fixed(l.runtime_diff_pct, 3) << ','
       << (l.traffic_match() ? "true" : "false") << ',' << mm << ',' << c.compute_bound << ','
       << c.ingress_bound << ',' << c.egress_bound << ',' << c.raw_serialised << ','
       << c.dram_extension << ',' << c.fill_and_drain << ','
       << l.simulated.distribution.port_limited_cycles + l.simulated.collection.port_limited_cycles
       << ',' << c.dominant() << ',' << c.first_divergent_step << '\n';
  }
  return os.str();
}

std::string discrepancy_json(const CheckReport& r) {
  json top;
  top["network"] = r.network;
  top["mapping"] = r.mapping;
  top["hardware"] = r.hardware;
  top["max_abs_runtime_diff_pct"] = std::stod(fixed(r.max_abs_diff_pct(), 3));
  top["all_traffic_match"] = r.all_traffic_match();
  json layers = json::array();
  for (const auto& l : r.layers) {
    json j;
    j["layer"] = l.layer;
    j["layer_index"] = l.layer_index;
    j["analytical_runtime_cycles"] = l.analytical.runtime_cycles;
    j["simulated_runtime_cycles"] = l.simulated.counted.runtime_cycles;
    j["runtime_diff_pct"] = std::stod(fixed(l.runtime_diff_pct, 3));
    j["traffic_match"] = l.traffic_match();
    j["dominant_cause"] = l.simulated.causes.dominant();
    j["first_divergent_step"] = l.simulated.causes.first_divergent_step;
    j["divergent_slot_cycles"] = l.simulated.causes.divergent_slot_cycles;
    json t = json::object();
    for (const auto& [name, a, s] : counters(l.analytical, l.simulated.counted))
      t[name] = {{"analytical", a}, {"simulated", s}};
    j["traffic"] = t;
    const SlotCauses& c = l.simulated.causes;
    j["simulated_time_by_cause"] = {{"compute_bound", c.compute_bound},
                                    {"ingress_bound", c.ingress_bound},
                                    {"egress_bound", c.egress_bound},
                                    {"raw_serialised", c.raw_serialised},
                                    {"dram_extension", c.dram_extension},
                                    {"fill_and_drain", c.fill_and_drain},
                                    {"l2_port_limited", l.simulated.distribution.port_limited_cycles +
                                                            l.simulated.collection.port_limited_cycles}};
    for (const auto& [key, links] :
         {std::make_pair("busiest_distribution_links", &l.simulated.distribution_links),
          std::make_pair("busiest_collection_links", &l.simulated.collection_links)}) {
      json a = json::array();
      for (const BusyLink& b : busiest_links(*links, l.simulated.counted.runtime_cycles))
        a.push_back({{"link", b.name}, {"flits", b.flits}, {"flits_per_cycle", b.flits_per_cycle}});
      j[key] = a;
    }
    const PeCycles& p = l.simulated.pe_cycles;
    j["pe_cycles"] = {{"compute", p.compute},           {"stall_input", p.stall_input},
                      {"stall_weight", p.stall_weight}, {"stall_output", p.stall_output},
                      {"stall_dram", p.stall_dram},     {"idle", p.idle}};
    layers.push_back(j);
  }
  top["layers"] = layers;
  return top.dump(2);
}

std::string discrepancy_markdown(const CheckReport& r) {
  std::ostringstream os;
  os << "# Discrepancy report: " << r.network << " on " << r.hardware << "\n\n"
     << "Mapping: `" << r.mapping << "`. Analytical model (DIRECTIVES.md rules 9–14) against the "
     << "SystemC simulation. Traffic must match exactly; runtimes differ only by effects the "
     << "simulator models and the analytical model does not.\n\n"
     << "| # | layer | analytical cycles | simulated cycles | diff % | traffic | time by cause "
        "(compute / ingress / egress / RAW / DRAM / fill+drain) | L2-port-limited cycles |\n"
     << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& l : r.layers) {
    const SlotCauses& c = l.simulated.causes;
    os << "| " << l.layer_index << " | " << l.layer << " | " << l.analytical.runtime_cycles
       << " | " << l.simulated.counted.runtime_cycles << " | " << fixed(l.runtime_diff_pct, 2)
       << " | " << (l.traffic_match() ? "equal" : "**differs**") << " | " << c.compute_bound
       << " / " << c.ingress_bound << " / " << c.egress_bound << " / " << c.raw_serialised
       << " / " << c.dram_extension << " / " << c.fill_and_drain << " | "
       << l.simulated.distribution.port_limited_cycles + l.simulated.collection.port_limited_cycles
       << " |\n";
  }
  for (const auto& l : r.layers) {
    const SlotCauses& c = l.simulated.causes;
    if (c.first_divergent_step >= 0)
      os << "\n- layer " << l.layer_index << " `" << l.layer << "`: dominant cause "
         << c.dominant() << "; simulated slots first depart from rule 13 at global step "
         << c.first_divergent_step << " (" << c.divergent_slot_cycles
         << " cycles of difference over all slots)";
  }
  os << "\n\nLargest runtime difference: " << fixed(r.max_abs_diff_pct(), 2) << " %. Traffic: "
     << (r.all_traffic_match() ? "every counter equal." : "**some counters differ** (see "
                                                         "discrepancy.json).")
     << '\n';
  for (const auto& l : r.layers)
    if (!l.traffic_match()) {
      os << "\n- layer " << l.layer_index << " `" << l.layer << "`: ";
      for (const auto& m : l.mismatches) os << m << ' ';
    }
  return os.str();
}

}  // namespace baton
