// baton::dse — CSV, JSON, SVG and text outputs of an exploration (docs/DSE.md "Outputs").
#include "baton/dse/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace baton::dse {
namespace {

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

nlohmann::ordered_json design_json(const DesignSpace& s, const Design& d) {
  const PointIndex p = decode(s, d.index);
  return {{"index", d.index},
          {"pes", s.pes[p.pes]},
          {"simd_lanes", s.simd_lanes[p.simd]},
          {"l1_bytes", s.l1_bytes[p.l1]},
          {"l2_bytes", s.l2_bytes[p.l2]},
          {"noc_bw_elems_per_cycle", s.noc_bw[p.noc]},
          {"offchip_bw_elems_per_cycle", s.offchip_bw[p.offchip]},
          {"noc_topology", s.topologies[p.topo]},
          {"runtime_cycles", d.runtime_cycles},
          {"energy_pj", d.energy_pj},
          {"area_mm2", d.area_mm2},
          {"power_mw", d.power_mw}};
}

}  // namespace

std::string designs_csv(const DesignSpace& s, const std::vector<Design>& designs) {
  std::ostringstream os;
  os << "index,pes,simd_lanes,l1_bytes,l2_bytes,noc_bw_elems_per_cycle,"
        "offchip_bw_elems_per_cycle,noc_topology,runtime_cycles,energy_pj,area_mm2,power_mw,"
        "edp_pj_cycles\n";
  for (const Design& d : designs) {
    const PointIndex p = decode(s, d.index);
    os << d.index << ',' << s.pes[p.pes] << ',' << s.simd_lanes[p.simd] << ','
       << s.l1_bytes[p.l1] << ',' << s.l2_bytes[p.l2] << ',' << s.noc_bw[p.noc] << ','
       << s.offchip_bw[p.offchip] << ',' << s.topologies[p.topo] << ',' << d.runtime_cycles
       << ',' << num(d.energy_pj, 3) << ',' << num(d.area_mm2, 6) << ',' << num(d.power_mw, 3)
       << ',' << num(d.energy_pj * double(d.runtime_cycles), 1) << '\n';
  }
  return os.str();
}

std::string summary_json(Explorer& ex, const DseResult& r, const Fronts& fronts,
                         Objective objective, int threads, int ranks) {
  const DesignSpace& s = ex.space();
  nlohmann::ordered_json j;
  j["network"] = ex.workload().network;
  j["layers"] = ex.workload().layer_names.size();
  j["unique_layers"] = ex.workload().unique.size();
  j["candidates"] = ex.workload().candidates;
  j["objective"] = objective_name(objective);
  j["space_points"] = s.size();
  j["points"] = r.points;
  j["evaluated"] = r.evaluated;
  j["valid"] = r.valid;
  j["pruned"] = r.pruned;
  j["invalid_by_reason"] = r.invalid;
  nlohmann::ordered_json best;
  for (Objective o : {Objective::kRuntime, Objective::kEnergy, Objective::kEdp,
                      Objective::kPerfPerArea}) {
    const auto d = best_design(r.designs, o);
    if (!d) continue;
    auto b = design_json(s, *d);
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const LayerChoice& c : ex.explain(d->index))
      layers.push_back({{"layer", c.layer}, {"candidate", c.candidate},
                        {"runtime_cycles", c.runtime_cycles}, {"energy_pj", c.energy_pj},
                        {"l1_bytes_needed", c.l1_bytes_needed},
                        {"l2_bytes_needed", c.l2_bytes_needed}});
    b["layers"] = layers;
    best[objective_name(o)] = b;
  }
  j["best"] = best;
  for (const auto& [name, front] : {std::make_pair("front_runtime_energy", &fronts.runtime_energy),
                                     std::make_pair("front_runtime_area", &fronts.runtime_area)}) {
    nlohmann::ordered_json f = nlohmann::ordered_json::array();
    for (const Design& d : *front) f.push_back(design_json(s, d));
    j[name] = f;
  }
  j["threads"] = threads;
  j["ranks"] = ranks;
  return j.dump(2);
}

std::string scatter_svg(const std::vector<Design>& designs, const std::vector<Design>& front,
                        const std::string& title) {
  const double W = 640, H = 480, L = 70, R = 20, T = 40, B = 50;
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
        "fill=\"white\"/>\n<text x=\"" << L << "\" y=\"24\" font-size=\"14\">" << title
     << "</text>\n";
  if (designs.empty()) {
    os << "<text x=\"" << L << "\" y=\"" << H / 2 << "\">no valid design</text>\n</svg>\n";
    return os.str();
  }
  double x0 = 1e300, x1 = 0, y0 = 1e300, y1 = 0;
  for (const Design& d : designs) {
    const double x = std::log10(std::max<double>(1, double(d.runtime_cycles)));
    const double y = std::log10(std::max(1e-9, d.energy_pj));
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  if (x1 - x0 < 1e-9) x1 = x0 + 1;
  if (y1 - y0 < 1e-9) y1 = y0 + 1;
  auto px = [&](const Design& d) {
    return L + (std::log10(std::max<double>(1, double(d.runtime_cycles))) - x0) / (x1 - x0) * (W - L - R);
  };
  auto py = [&](const Design& d) {
    return H - B - (std::log10(std::max(1e-9, d.energy_pj)) - y0) / (y1 - y0) * (H - T - B);
  };
  os << "<g stroke=\"black\"><line x1=\"" << L << "\" y1=\"" << H - B << "\" x2=\"" << W - R
     << "\" y2=\"" << H - B << "\"/><line x1=\"" << L << "\" y1=\"" << T << "\" x2=\"" << L
     << "\" y2=\"" << H - B << "\"/></g>\n";
  os << "<text x=\"" << (W + L) / 2 - 80 << "\" y=\"" << H - 12
     << "\">runtime, cycles (log, " << num(std::pow(10, x0), 0) << " … "
     << num(std::pow(10, x1), 0) << ")</text>\n";
  os << "<text transform=\"rotate(-90)\" x=\"" << -(H / 2) - 80 << "\" y=\"18\">energy, pJ (log, "
     << num(std::pow(10, y0), 0) << " … " << num(std::pow(10, y1), 0) << ")</text>\n";
  const size_t stride = std::max<size_t>(1, designs.size() / 20000);
  os << "<g fill=\"#4a7ebb\" fill-opacity=\"0.35\">\n";
  for (size_t i = 0; i < designs.size(); i += stride)
    os << "<circle cx=\"" << num(px(designs[i]), 1) << "\" cy=\"" << num(py(designs[i]), 1)
       << "\" r=\"2\"/>\n";
  os << "</g>\n<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" points=\"";
  for (const Design& d : front) os << num(px(d), 1) << ',' << num(py(d), 1) << ' ';
  os << "\"/>\n<g fill=\"#d62728\">\n";
  for (const Design& d : front)
    os << "<circle cx=\"" << num(px(d), 1) << "\" cy=\"" << num(py(d), 1) << "\" r=\"3.5\"/>\n";
  os << "</g>\n</svg>\n";
  return os.str();
}

std::string summary_text(Explorer& ex, const DseResult& r, const Fronts& fronts,
                         Objective objective) {
  const DesignSpace& s = ex.space();
  std::ostringstream os;
  os << "network: " << ex.workload().network << " (" << ex.workload().layer_names.size()
     << " layers, " << ex.workload().unique.size() << " distinct), candidates:";
  for (const auto& c : ex.workload().candidates) os << ' ' << c;
  os << "\nspace: " << s.size() << " points; evaluated " << r.evaluated << ", valid " << r.valid
     << ", pruned (area) " << r.pruned << "\n";
  for (const auto& [why, n] : r.invalid) os << "  invalid (" << why << "): " << n << '\n';
  os << "time: cache " << num(r.cache_seconds, 3) << " s (" << r.analyses << " layer analyses, "
     << r.runtime_evaluations << " runtime re-evaluations), points " << num(r.eval_seconds, 3)
     << " s\n";
  for (Objective o : {Objective::kRuntime, Objective::kEnergy, Objective::kEdp,
                      Objective::kPerfPerArea}) {
    const auto d = best_design(r.designs, o);
    if (!d) continue;
    const PointIndex p = decode(s, d->index);
    os << (o == objective ? "* " : "  ") << "best " << objective_name(o) << ": #" << d->index
       << " pes " << s.pes[p.pes] << ", simd " << s.simd_lanes[p.simd] << ", L1 "
       << s.l1_bytes[p.l1] << " B, L2 " << s.l2_bytes[p.l2] << " B, NoC " << s.noc_bw[p.noc]
       << " elem/cycle " << s.topologies[p.topo] << ", off-chip " << s.offchip_bw[p.offchip]
       << " elem/cycle: " << d->runtime_cycles << " cycles, " << num(d->energy_pj, 1) << " pJ, "
       << num(d->area_mm2, 3) << " mm2, " << num(d->power_mw, 1) << " mW\n";
  }
  os << "Pareto fronts: runtime x energy " << fronts.runtime_energy.size()
     << " designs, runtime x area " << fronts.runtime_area.size() << " designs\n";
  return os.str();
}

}  // namespace baton::dse
