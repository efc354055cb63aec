// `baton validate --against maestro.csv`: MAESTRO's CSV against baton's MAESTRO-compatible and
// native results, per layer (rows joined by position) and column, with a summary table.
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "analyze_output.h"
#include "baton/analytical/model.h"
#include "baton/maestro/compat.h"
#include "cli.h"
#include "commands.h"

namespace baton::cli {
namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  for (auto& s : out) s = trim(s);
  return out;
}

// (MAESTRO column, compat value, native value or NaN when not comparable).
using Getter = std::pair<double (*)(const maestro::LayerResult&), double (*)(const LayerCost&)>;
const std::vector<std::pair<std::string, Getter>>& compared() {
  static const std::vector<std::pair<std::string, Getter>> k = {
      {"Runtime (Cycles)", {[](const auto& r) { return double(r.runtime); },
                            [](const LayerCost& c) { return double(c.runtime_cycles); }}},
      {"Num MACs", {[](const auto& r) { return double(r.num_macs); },
                    [](const LayerCost& c) { return double(c.macs); }}},
      {"input l2 read", {[](const auto& r) { return double(r.input.l2_read); },
                         [](const LayerCost& c) { return double(c.tensor[0].l2_reads); }}},
      {"filter l2 read", {[](const auto& r) { return double(r.filter.l2_read); },
                          [](const LayerCost& c) { return double(c.tensor[1].l2_reads); }}},
      {"output l2 write", {[](const auto& r) { return double(r.output.l2_write); },
                           [](const LayerCost& c) { return double(c.tensor[2].l2_writes); }}},
      {"input l2 write", {[](const auto& r) { return double(r.input.l2_write); }, nullptr}},
      {"filter l2 write", {[](const auto& r) { return double(r.filter.l2_write); }, nullptr}},
      {"output l2 read", {[](const auto& r) { return double(r.output.l2_read); }, nullptr}},
      {"L2 SRAM Size Req (Bytes)", {[](const auto& r) { return double(r.l2_size_req); }, nullptr}},
      {"L1 SRAM Size Req (Bytes)", {[](const auto& r) { return double(r.l1_size_req); }, nullptr}},
      {"Peak BW Req", {[](const auto& r) { return double(r.peak_bw_req); }, nullptr}},
      {"Avg number of utilized PEs",
       {[](const auto& r) { return r.avg_utilized_pes; },
        [](const LayerCost& c) { return c.avg_active_pes; }}},
  };
  return k;
}

}  // namespace

int cmd_validate(int argc, const char* const* argv) {
  CommonOptions o;
  std::string against;
  po::options_description desc("baton validate options");
  add_common_options(desc, o);
  desc.add_options()("against", po::value(&against)->required(), "a MAESTRO CSV file");
  if (!parse(argc, argv, desc,
             "usage: baton validate --against maestro.csv --mapping F.m --hw H\nCompares "
             "MAESTRO's CSV with baton's MAESTRO-compatible and native results per layer and "
             "column."))
    return kOk;
  std::ifstream in(against);
  if (!in)
    throw InputError(make_error(SourceLoc{against, 0, 0}, "cannot open '" + against + "'"));
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col.emplace(header[i], i);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line))
    if (!trim(line).empty()) rows.push_back(split(line));
  const HardwareSpec hw = load_hw(o);
  const CompiledNetwork net = load_network(o, hw);
  const auto mhw = maestro::maestro_hw_from_spec(hw);
  struct Tally { int equal = 0, total = 0; double native_max_pct = 0; int native_n = 0; };
  std::vector<Tally> tally(compared().size());
  const size_t n = std::min(rows.size(), net.layers.size());
  if (rows.size() != net.layers.size())
    std::cerr << "baton: warning: " << rows.size() << " CSV rows but " << net.layers.size()
              << " layers; comparing the first " << n << '\n';
  for (size_t i = 0; i < n; ++i) {
    const CompiledLayer& cl = net.layers[i];
    std::optional<maestro::LayerResult> compat;
    try {
      if (cl.dataflow) compat = maestro::maestro_analyze(cl.decl, *cl.dataflow, mhw);
    } catch (const InputError&) {
    }
    std::optional<LayerCost> native;
    if (cl.schedule) native = analyze(*cl.schedule, hw);
    for (size_t k = 0; k < compared().size(); ++k) {
      const auto& [name, get] = compared()[k];
      auto it = col.find(name);
      if (it == col.end() || it->second >= rows[i].size()) continue;
      const double ref = std::atof(rows[i][it->second].c_str());
      ++tally[k].total;
      if (compat && std::abs(get.first(*compat) - ref) <= 1e-6 * std::max(1.0, std::abs(ref)))
        ++tally[k].equal;
      if (native && get.second && ref != 0) {
        tally[k].native_max_pct = std::max(tally[k].native_max_pct,
                                           std::abs(get.second(*native) - ref) / ref * 100);
        ++tally[k].native_n;
      }
    }
  }
  std::cout << "MAESTRO CSV " << against << " vs baton (" << n << " layers)\n"
            << "column                          compat equal      native max |diff| %\n";
  bool all = true;
  for (size_t k = 0; k < compared().size(); ++k) {
    const Tally& t = tally[k];
    all = all && t.equal == t.total;
    std::string c = compared()[k].first;
    c.resize(32, ' ');
    std::cout << c << ' ' << t.equal << '/' << t.total << "            "
              << (t.native_n ? fixed(t.native_max_pct, 2) : std::string("-")) << '\n';
  }
  std::cout << (all ? "MAESTRO-compatible mode reproduces every compared value.\n"
                    : "Some values differ (see docs/MAESTRO-COMPAT.md).\n");
  return kOk;
}

}  // namespace baton::cli
