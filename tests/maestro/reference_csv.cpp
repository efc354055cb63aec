#include "reference_csv.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/mfile.h"

namespace baton::maestro::testing {
namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream is(line);
  while (std::getline(is, cell, sep)) out.push_back(trim(cell));
  return out;
}

double d(int64_t v) { return static_cast<double>(v); }

}  // namespace

int Csv::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

Csv read_csv(const std::string& path) {
  Csv c;
  std::ifstream in(path);
  std::string line;
  if (std::getline(in, line)) c.header = split(line, ',');
  while (std::getline(in, line))
    if (!trim(line).empty()) c.rows.push_back(split(line, ','));
  return c;
}

const std::vector<Column>& compared_columns() {
  static const std::vector<Column> cols = {
      {"Runtime (Cycles)", [](const LayerResult& r) { return d(r.runtime); }},
      {"Num MACs", [](const LayerResult& r) { return d(r.num_macs); }},
      {"input l2 read", [](const LayerResult& r) { return d(r.input.l2_read); }},
      {"input l2 write", [](const LayerResult& r) { return d(r.input.l2_write); }},
      {"filter l2 read", [](const LayerResult& r) { return d(r.filter.l2_read); }},
      {"filter l2 write", [](const LayerResult& r) { return d(r.filter.l2_write); }},
      {"output l2 read", [](const LayerResult& r) { return d(r.output.l2_read); }},
      {"output l2 write", [](const LayerResult& r) { return d(r.output.l2_write); }},
      {"L1 SRAM Size Req (Bytes)", [](const LayerResult& r) { return d(r.l1_size_req); }},
      {"L2 SRAM Size Req (Bytes)", [](const LayerResult& r) { return d(r.l2_size_req); }},
      {"Peak BW Req", [](const LayerResult& r) { return d(r.peak_bw_req); }},
      {"Avg number of utilized PEs", [](const LayerResult& r) { return r.avg_utilized_pes; }},
  };
  return cols;
}

std::map<std::string, std::string> successful_runs(const std::string& reference_dir) {
  std::map<std::string, std::string> out;
  std::ifstream in(reference_dir + "/maestro/outputs/accel1/runs.tsv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 4 || f[3] != "0") continue;
    const std::string& mapping = f[1];
    const size_t slash = mapping.find_last_of('/');
    const std::string stem = mapping.substr(slash + 1, mapping.find_last_of('.') - slash - 1);
    out[stem] = reference_dir + "/maestro/" + mapping;
  }
  return out;
}

FileReport compare_file(const std::string& reference_dir, const std::string& stem,
                        const std::string& mapping) {
  FileReport rep;
  rep.file = stem;
  const Csv csv = read_csv(reference_dir + "/maestro/outputs/accel1/" + stem + ".csv");
  const MaestroHw hw = maestro_hw_from_spec(
      load_hardware(reference_dir + "/maestro/inputs/hw/accelerator_1.m"));
  const MFile mf = read_mfile(mapping);
  rep.layers = static_cast<int>(csv.rows.size());
  for (size_t i = 0; i < csv.rows.size() && i < mf.layers.size(); ++i) {
    const LayerDecl& layer = mf.layers[i];
    LayerResult r;
    try {
      r = maestro_analyze(layer, *layer.dataflow, hw);
    } catch (const std::exception& e) {
      rep.error += layer.name + ": " + e.what() + "; ";
      continue;
    }
    for (const Column& col : compared_columns()) {
      const int k = csv.column(col.name);
      const double theirs = std::stod(csv.rows[i][k]);
      const double ours = col.ours(r);
      const bool same = std::fabs(ours - theirs) <= 1e-5 * std::max(1.0, std::fabs(theirs));
      if (same) ++rep.exact[col.name];
      else rep.mismatches.push_back({stem, layer.name, col.name, ours, theirs});
    }
  }
  return rep;
}

}  // namespace baton::maestro::testing
