// `baton schedule`: prints each layer's compiled Schedule (levels, loops, steps, MACs, PEs).
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "commands.h"

namespace baton::cli {
namespace {

using json = nlohmann::ordered_json;

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

json dims_json(const LayerSpec& L) {
  json d = json::object();
  for (Dim dim : kAllDims)
    if (L.used[idx(dim)]) d[dim_name(dim)] = L.dim(dim);
  if (L.type != LayerType::kGemm) {
    d["Y"] = L.input_rows;
    d["X"] = L.input_cols;
    d["stride_y"] = L.stride_y;
    d["stride_x"] = L.stride_x;
  }
  return d;
}

json schedule_json(const CompiledLayer& cl, const HardwareSpec& hw) {
  const Schedule& s = *cl.schedule;
  const LayerSpec& L = s.layer();
  json j;
  j["layer"] = cl.name;
  j["layer_index"] = cl.index;
  j["type"] = layer_type_name(L.type);
  j["dims"] = dims_json(L);
  j["fits"] = s.fit().fits;
  j["fit_reason"] = s.fit().reason;
  j["macs"] = s.macs();
  j["layer_macs"] = L.macs();
  j["zero_macs"] = L.zero_macs();
  j["steps"] = s.steps();
  j["top_steps"] = s.top_steps();
  j["compute_cycles"] = s.compute_cycles(hw.simd_lanes);
  j["avg_active_pes"] = std::stod(fmt_double(s.avg_active_pes()));
  j["peak_active_pes"] = s.peak_active_pes();
  j["pes_used"] = s.pes_used();
  j["pes_available"] = s.pes_available();
  json levels = json::array();
  for (size_t i = 0; i < s.levels().size(); ++i) {
    const Level& lvl = s.levels()[i];
    json lj;
    lj["level"] = i;
    lj["units"] = lvl.units;
    json loops = json::array();
    for (const Loop& lp : lvl.loops) {
      json l;
      l["dim"] = dim_name(lp.dim);
      l["kind"] = lp.kind == LoopKind::kSpatial ? "spatial" : "temporal";
      l["tile"] = lp.tile;
      l["extent"] = lp.extent;
      l["tiles"] = lp.tiles;
      l["trips"] = lp.trips;
      l["edge_tile"] = lp.edge_tile;
      l["zipped"] = lp.zipped;
      l["directive"] = std::string(s.text(lp));
      loops.push_back(l);
    }
    lj["loops"] = loops;
    levels.push_back(lj);
  }
  j["levels"] = levels;
  return j;
}

void print_text(std::ostream& os, const CompiledLayer& cl, const HardwareSpec& hw) {
  const Schedule& s = *cl.schedule;
  const LayerSpec& L = s.layer();
  os << "layer #" << cl.index << " " << cl.name << " (" << layer_type_name(L.type) << ")";
  for (Dim d : kAllDims)
    if (L.used[idx(d)]) os << ' ' << dim_name(d) << '=' << L.dim(d);
  if (L.type != LayerType::kGemm)
    os << " (input Y=" << L.input_rows << " X=" << L.input_cols << ", stride " << L.stride_y
       << 'x' << L.stride_x << ')';
  os << '\n';
  if (!s.fit().fits) os << "  DOES NOT FIT: " << s.fit().reason << '\n';
  for (size_t i = 0; i < s.levels().size(); ++i) {
    const Level& lvl = s.levels()[i];
    os << "  level " << i << ": " << lvl.units << (i + 1 == s.levels().size() ? " PEs" : " units")
       << '\n';
    os << "    " << std::left << std::setw(5) << "dim" << std::setw(10) << "kind" << std::right
       << std::setw(8) << "extent" << std::setw(8) << "tile" << std::setw(8) << "trips"
       << std::setw(8) << "edge" << "  directive\n";
    for (const Loop& lp : lvl.loops) {
      os << "    " << std::left << std::setw(5) << dim_name(lp.dim) << std::setw(10)
         << (lp.kind == LoopKind::kSpatial ? (lp.zipped ? "spatial*" : "spatial") : "temporal")
         << std::right << std::setw(8) << lp.extent << std::setw(8) << lp.tile << std::setw(8)
         << lp.trips << std::setw(8) << lp.edge_tile << "  " << s.text(lp) << '\n';
    }
  }
  os << "  steps " << s.steps() << " (top-level " << s.top_steps() << "), MACs " << s.macs();
  if (L.zero_macs() > 0) os << " (" << L.zero_macs() << " on inserted zeros)";
  os << ", compute cycles " << s.compute_cycles(hw.simd_lanes) << '\n';
  os << "  active PEs: average " << fmt_double(s.avg_active_pes()) << ", peak "
     << s.peak_active_pes() << " of " << s.pes_available() << "\n\n";
}

}  // namespace

int cmd_schedule(int argc, const char* const* argv) {
  CommonOptions o;
  po::options_description desc("baton schedule options");
  add_common_options(desc, o);
  if (!parse(argc, argv, desc,
             "usage: baton schedule [--mapping F.m] [--dataflow T.m] [--hw H] [--layer NAME] "
             "[--json[=FILE]]\nPrints each layer's compiled schedule: levels, loops (tile, trip "
             "count, edge tile), global steps, MACs, active PEs."))
    return kOk;
  const HardwareSpec hw = load_hw(o);
  const CompiledNetwork net = load_network(o, hw);
  const bool stop = report_layer_errors(net, o.keep_going);
  if (stop) return kBadInput;
  json arr = json::array();
  std::ostringstream text;
  text << "network " << net.name << " on " << hw.name << " (" << hw.pes << " PEs)\n\n";
  for (const CompiledLayer* cl : net.select(o.layer)) {
    if (!cl->schedule) continue;
    arr.push_back(schedule_json(*cl, hw));
    print_text(text, *cl, hw);
  }
  if (o.json) {
    emit_json(o.json, arr.dump(2));
    if (*o.json != "-") std::cout << text.str();
  } else {
    std::cout << text.str();
  }
  return net.has_errors() ? kBadInput : kOk;
}

}  // namespace baton::cli
