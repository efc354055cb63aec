// baton::dse — the workload (layers × candidate dataflows, deduplicated), the area/power model
// and objective names (docs/DSE.md).
#include <filesystem>
#include <map>
#include <sstream>

#include "internal.h"

namespace baton::dse {
namespace {

// Everything that determines a layer's schedule and cost: type, extents, strides, tensor sizes.
std::string layer_key(const LayerSpec& l) {
  std::ostringstream os;
  os << static_cast<int>(l.type) << ':';
  for (int64_t e : l.extent) os << e << ',';
  for (bool u : l.used) os << u;
  os << ':' << l.stride_y << ',' << l.stride_x << ',' << l.input_rows << ',' << l.input_cols
     << ',' << l.orig_y << ',' << l.orig_x << ',' << l.up_y << ',' << l.up_x;
  return os.str();
}

std::string dataflow_key(const std::optional<DataflowDecl>& d) {
  if (!d) return "-";
  std::string out;
  for (const DirectiveDecl& x : d->directives) out += x.text + ';';
  return out;
}

}  // namespace

std::optional<Objective> parse_objective(const std::string& text) {
  if (text == "runtime") return Objective::kRuntime;
  if (text == "energy") return Objective::kEnergy;
  if (text == "edp") return Objective::kEdp;
  if (text == "perf-per-area") return Objective::kPerfPerArea;
  return std::nullopt;
}

const char* objective_name(Objective o) {
  switch (o) {
    case Objective::kRuntime: return "runtime";
    case Objective::kEnergy: return "energy";
    case Objective::kEdp: return "edp";
    case Objective::kPerfPerArea: return "perf-per-area";
  }
  return "?";
}

Workload load_workload(const std::string& mapping_path,
                       const std::vector<std::string>& dataflow_paths) {
  Workload w;
  const MFile f = read_mfile(mapping_path);
  w.network = f.network_name;
  if (f.layers.empty())
    throw InputError(make_error(SourceLoc{mapping_path, 1, 1},
                                "no `Layer` in '" + mapping_path + "'",
                                "a mapping or model file holds Network { Layer ... }"));
  bool own = true;
  for (const LayerDecl& d : f.layers) own = own && d.dataflow.has_value();
  std::vector<DataflowDecl> templates;
  for (const std::string& p : dataflow_paths) {
    MFile t = read_mfile(p);
    if (!t.dataflow)
      throw InputError(make_error(SourceLoc{p, 1, 1}, "'" + p + "' has no top-level `Dataflow { }` block",
                                  "a dataflow template is a file holding one Dataflow block"));
    templates.push_back(*t.dataflow);
    w.candidates.push_back(std::filesystem::path(p).stem().string());
  }
  if (own) w.candidates.insert(w.candidates.begin(), "own");
  if (w.candidates.empty())
    throw InputError(make_error(SourceLoc{mapping_path, 1, 1},
                                "the layers of '" + mapping_path + "' have no Dataflow blocks "
                                "and no --dataflow template was given",
                                "give one or more --dataflow T.m (e.g. kcp_ws.m)"));
  std::vector<Diagnostic> errors;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < f.layers.size(); ++i) {
    const LayerDecl& decl = f.layers[i];
    w.layer_names.push_back(decl.name);
    auto layer = make_layer(decl, static_cast<int>(i), errors);
    if (!layer) continue;
    Workload::Unique u{*layer, {}, {static_cast<int>(i)}};
    if (own) u.dataflows.push_back(decl.dataflow);
    for (const DataflowDecl& t : templates) u.dataflows.emplace_back(t);
    std::string key = layer_key(*layer);
    for (const auto& d : u.dataflows) key += '|' + dataflow_key(d);
    const auto [it, fresh] = seen.emplace(key, w.unique.size());
    if (fresh) w.unique.push_back(std::move(u));
    else w.unique[it->second].layers.push_back(static_cast<int>(i));
  }
  if (!errors.empty()) throw InputError(std::move(errors));
  return w;
}

int64_t noc_links(const std::string& topology, int64_t pes) {
  if (topology == "bus" || topology == "crossbar") return pes;  // one tap / output port per PE
  return 2 * pes;  // mesh, systolic: two links per node; tree: 2(P−1) edges + root, rounded up
}

double area_of(const AreaPowerTable& a, int64_t pes, int64_t lanes, int64_t l1, int64_t l2,
               int64_t noc_bw, int64_t links) {
  const double pe = double(lanes) * a.mac_um2 + a.pe_overhead_um2 + double(l1) * a.l1_um2_per_byte;
  const double um2 = double(pes) * pe + double(l2) * a.l2_um2_per_byte +
                     double(links) * double(noc_bw) * a.noc_um2_per_link_lane;
  return um2 * 1e-6;
}

double area_mm2(const HardwareSpec& hw) {
  return area_of(hw.area_power, hw.pes, hw.simd_lanes, hw.l1_bytes.value_or(0),
                 hw.l2_bytes.value_or(0), hw.noc.bandwidth_elems_per_cycle.value_or(0),
                 noc_links(hw.noc.topology, hw.pes));
}

double power_mw(double energy_pj, int64_t runtime_cycles, double area, const AreaPowerTable& t) {
  const double dynamic =
      runtime_cycles > 0 ? energy_pj * t.clock_mhz * 1e-3 / double(runtime_cycles) : 0.0;
  return dynamic + t.leakage_mw_per_mm2 * area;
}

}  // namespace baton::dse
