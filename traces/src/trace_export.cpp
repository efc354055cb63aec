// `baton trace export`: a trace layer's datasets as CSV files, or its PE activity as VCD.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "baton/dataflow/diagnostic.h"
#include "baton/traces/hdf5_writer.h"
#include "hdf5_util.h"

namespace baton {
namespace {
using detail::Hid;

struct Column {
  std::string name;
  size_t offset = 0, size = 0;
  H5T_class_t cls = H5T_NO_CLASS;
  bool is_signed = true;
  Hid type;
};

std::string cell(const Column& c, const unsigned char* rec) {
  const unsigned char* p = rec + c.offset;
  if (c.cls == H5T_ENUM) {
    char name[64] = "?";
    H5Tenum_nameof(c.type.get(), p, name, sizeof name);
    return name;
  }
  if (c.cls == H5T_FLOAT) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *reinterpret_cast<const double*>(p));
    return buf;
  }
  int64_t v = 0;
  if (c.size == 1) v = c.is_signed ? *reinterpret_cast<const int8_t*>(p) : *p;
  if (c.size == 4) v = *reinterpret_cast<const int32_t*>(p);
  if (c.size == 8) v = *reinterpret_cast<const int64_t*>(p);
  return std::to_string(v);
}

// Reads a compound dataset: column descriptions and the raw native records.
std::vector<unsigned char> read_table(hid_t group, const std::string& name,
                                      std::vector<Column>& cols, size_t& rec_size,
                                      hsize_t& rows) {
  Hid d(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  Hid ftype(H5Dget_type(d.get()), H5Tclose);
  Hid mtype(H5Tget_native_type(ftype.get(), H5T_DIR_ASCEND), H5Tclose);
  rec_size = H5Tget_size(mtype.get());
  for (int i = 0; i < H5Tget_nmembers(mtype.get()); ++i) {
    Column c;
    char* n = H5Tget_member_name(mtype.get(), i);
    c.name = n;
    H5free_memory(n);
    c.offset = H5Tget_member_offset(mtype.get(), i);
    c.type = Hid(H5Tget_member_type(mtype.get(), i), H5Tclose);
    c.size = H5Tget_size(c.type.get());
    c.cls = H5Tget_member_class(mtype.get(), i);
    if (c.cls == H5T_INTEGER) c.is_signed = H5Tget_sign(c.type.get()) == H5T_SGN_2;
    cols.push_back(std::move(c));
  }
  Hid space(H5Dget_space(d.get()), H5Sclose);
  H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
  std::vector<unsigned char> buf(rows * rec_size);
  if (rows) H5Dread(d.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
  return buf;
}

herr_t collect(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// SCALE-Sim v2 trace layout: <OPERAND>_SRAM_TRACE.csv / <OPERAND>_DRAM_TRACE.csv, one row per
// cycle with accesses: the cycle, then one address per port (kPorts columns, −1 when idle).
// Addresses are element ids offset per operand like SCALE-Sim's defaults (ifmap 0, filter
// 10000000, ofmap 20000000). A transfer of n elements at cycle c fills ⌈n/kPorts⌉ rows from c on.
std::vector<std::string> export_scalesim(hid_t group, const std::vector<std::string>& names,
                                         const std::string& layer, const std::string& out_dir) {
  constexpr int kPorts = 16;
  static const char* kOperand[] = {"IFMAP", "FILTER", "OFMAP"};
  static const int64_t kBase[] = {0, 10000000, 20000000};
  std::vector<std::string> written;
  for (const char* ds : {"l2_accesses", "dram_accesses"}) {
    if (std::find(names.begin(), names.end(), ds) == names.end())
      throw InputError(make_error(SourceLoc{layer, 0, 0}, "layer '" + layer + "' has no " + ds,
                                  "record it with --trace-level event"));
    std::vector<Column> cols;
    size_t rec = 0;
    hsize_t rows = 0;
    const auto buf = read_table(group, ds, cols, rec, rows);
    std::map<std::string, const Column*> by;
    for (const auto& c : cols) by[c.name] = &c;
    std::array<std::map<int64_t, std::vector<int64_t>>, 3> per_cycle;  // [tensor][cycle]
    for (hsize_t r = 0; r < rows; ++r) {
      const unsigned char* p = &buf[r * rec];
      const int t = std::stoi(cell(*by["tensor"], p));
      const int64_t cycle = std::stoll(cell(*by["cycle"], p));
      const int64_t first = std::stoll(cell(*by["first_element"], p));
      const int64_t count = std::stoll(cell(*by["count"], p));
      for (int64_t i = 0; i < count; ++i) {
        auto& row = per_cycle[t][cycle + i / kPorts];
        row.push_back(kBase[t] + std::max<int64_t>(first, 0) + i);
      }
    }
    const std::string kind = std::string(ds) == "l2_accesses" ? "SRAM" : "DRAM";
    for (int t = 0; t < 3; ++t) {
      const std::string out = out_dir + "/" + kOperand[t] + "_" + kind + "_TRACE.csv";
      std::ofstream os(out);
      // One row per cycle; accesses beyond the ports of a cycle spill into the next cycles.
      std::vector<int64_t> carry;
      auto it = per_cycle[t].begin();
      for (int64_t cycle = it == per_cycle[t].end() ? 0 : it->first;
           it != per_cycle[t].end() || !carry.empty(); ++cycle) {
        if (carry.empty() && it != per_cycle[t].end() && it->first > cycle) cycle = it->first;
        if (it != per_cycle[t].end() && it->first == cycle) {
          carry.insert(carry.end(), it->second.begin(), it->second.end());
          ++it;
        }
        os << cycle;
        for (size_t k = 0; k < kPorts; ++k) os << ", " << (k < carry.size() ? carry[k] : -1);
        os << '\n';
        carry.erase(carry.begin(), carry.begin() + std::min<size_t>(kPorts, carry.size()));
      }
      written.push_back(out);
    }
  }
  return written;
}

}  // namespace

std::vector<std::string> export_trace(const std::string& path, const std::string& layer,
                                      const std::string& format, const std::string& out_dir) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid())
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot open '" + path + "' as a trace"));
  const std::string gpath = "/layers/" + layer;
  if (H5Lexists(file.get(), "layers", H5P_DEFAULT) <= 0 ||
      H5Lexists(file.get(), gpath.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(make_error(SourceLoc{path, 0, 0}, "no layer '" + layer + "' in the trace",
                                "`baton trace info` lists the layers"));
  if (format != "csv" && format != "vcd" && format != "scalesim")
    throw InputError(make_error(SourceLoc{"--format", 0, 0}, "unknown format '" + format + "'",
                                "valid: csv, scalesim, vcd"));
  Hid group(H5Gopen2(file.get(), gpath.c_str(), H5P_DEFAULT), H5Gclose);
  std::vector<std::string> names;
  hsize_t idx = 0;
  H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names);
  std::filesystem::create_directories(out_dir);
  std::vector<std::string> written;
  if (format == "csv") {
    for (const std::string& ds : names) {
      std::vector<Column> cols;
      size_t rec = 0;
      hsize_t rows = 0;
      const auto buf = read_table(group.get(), ds, cols, rec, rows);
      const std::string out = out_dir + "/" + ds + ".csv";
      std::ofstream os(out);
      for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i].name;
      os << '\n';
      for (hsize_t r = 0; r < rows; ++r) {
        for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cell(cols[i], &buf[r * rec]);
        os << '\n';
      }
      written.push_back(out);
    }
    return written;
  }
  if (format == "scalesim") return export_scalesim(group.get(), names, layer, out_dir);
  // VCD: one 3-bit state signal per PE (0 idle, 1 compute, 2 stall_input, 3 stall_weight,
  // 4 stall_output, 5 stall_dram) from pe_events; timescale 1 ns = 1 cycle.
  if (std::find(names.begin(), names.end(), "pe_events") == names.end())
    throw InputError(make_error(SourceLoc{path, 0, 0}, "layer '" + layer + "' has no pe_events",
                                "record it with --trace-level event"));
  std::vector<Column> cols;
  size_t rec = 0;
  hsize_t rows = 0;
  const auto buf = read_table(group.get(), "pe_events", cols, rec, rows);
  std::map<std::string, const Column*> by;
  for (const auto& c : cols) by[c.name] = &c;
  std::map<int64_t, std::vector<std::pair<int, int>>> changes;  // cycle -> (pe, state)
  int max_pe = 0;
  static const std::map<std::string, int> kState = {
      {"idle", 0}, {"compute", 1}, {"stall_input", 2}, {"stall_weight", 3},
      {"stall_output", 4}, {"stall_dram", 5}};
  for (hsize_t r = 0; r < rows; ++r) {
    const unsigned char* p = &buf[r * rec];
    const int64_t cycle = std::stoll(cell(*by["cycle"], p));
    const int pe = std::stoi(cell(*by["pe"], p));
    const int64_t dur = std::stoll(cell(*by["duration"], p));
    changes[cycle].emplace_back(pe, kState.at(cell(*by["kind"], p)));
    changes[cycle + dur].emplace_back(pe, 0);
    max_pe = std::max(max_pe, pe);
  }
  const std::string out = out_dir + "/" + layer + ".vcd";
  std::ofstream os(out);
  os << "$timescale 1ns $end\n$scope module accelerator $end\n$scope module pe_array $end\n";
  auto code = [](int pe) { return "p" + std::to_string(pe); };
  for (int pe = 0; pe <= max_pe; ++pe)
    os << "$var wire 3 " << code(pe) << " pe" << pe << "_state $end\n";
  os << "$upscope $end\n";
  // Links (event-level link_util): per loaded link a `valid` wire (1 in bins that carried
  // flits) and its utilisation (flits per lane per cycle) as a real, per bin.
  std::map<std::pair<int, int>, std::string> link_code;  // (network, link) -> VCD id
  std::map<int64_t, std::vector<std::pair<std::string, double>>> link_changes;
  if (std::find(names.begin(), names.end(), "link_util") != names.end()) {
    std::vector<Column> lc;
    size_t lrec = 0;
    hsize_t lrows = 0;
    const auto lbuf = read_table(group.get(), "link_util", lc, lrec, lrows);
    std::map<std::string, const Column*> lby;
    for (const auto& c : lc) lby[c.name] = &c;
    for (hsize_t r = 0; r < lrows; ++r) {
      const unsigned char* p = &lbuf[r * lrec];
      const int net = std::stoi(cell(*lby["network"], p)), link = std::stoi(cell(*lby["link"], p));
      const int64_t start = std::stoll(cell(*lby["bin_start_cycle"], p));
      const int64_t len = std::stoll(cell(*lby["bin_cycles"], p));
      const double u = *reinterpret_cast<const double*>(p + lby["utilisation"]->offset);
      auto [it, fresh] = link_code.emplace(std::make_pair(net, link), "");
      if (fresh) it->second = "l" + std::to_string(link_code.size());
      link_changes[start + len].emplace_back(it->second, 0.0);
      link_changes[start].emplace_back(it->second, u);
    }
    for (int net = 0; net < 2; ++net) {
      std::vector<std::string> lnames;
      std::istringstream in(detail::read_string_attr(group.get(), net ? "links_collection" : "links_distribution"));
      for (std::string l; std::getline(in, l);) lnames.push_back(l.substr(0, l.find(' ')));
      os << "$scope module " << (net ? "collection" : "distribution") << " $end\n";
      for (const auto& [key, id] : link_code) {
        if (key.first != net) continue;
        std::string n = size_t(key.second) < lnames.size() ? lnames[size_t(key.second)]
                                                           : "link" + std::to_string(key.second);
        for (char& ch : n)
          if (ch == ' ' || ch == '>' || ch == '-') ch = '_';
        os << "$var wire 1 " << id << "v " << n << "_valid $end\n"
           << "$var real 64 " << id << "u " << n << "_utilisation $end\n";
      }
      os << "$upscope $end\n";
    }
  }
  os << "$upscope $end\n$enddefinitions $end\n";
  for (const auto& [cycle, list] : link_changes) changes[cycle];  // every change time
  for (const auto& [cycle, list] : changes) {
    std::map<int, int> last;  // a later change at the same cycle wins (start after an end)
    for (const auto& [pe, st] : list) last[pe] = st;
    os << '#' << cycle << '\n';
    for (const auto& [pe, st] : last) {
      std::string bits;
      for (int b = 2; b >= 0; --b) bits += ((st >> b) & 1) ? '1' : '0';
      os << 'b' << bits << ' ' << code(pe) << '\n';
    }
    const auto lit = link_changes.find(cycle);
    if (lit == link_changes.end()) continue;
    std::map<std::string, double> lastu;  // a bin's start wins over the previous bin's end
    for (const auto& [id, u] : lit->second) lastu[id] = u;
    for (const auto& [id, u] : lastu) os << (u > 0 ? '1' : '0') << id << "v\nr" << u << ' ' << id << "u\n";
  }
  written.push_back(out);
  return written;
}

}  // namespace baton
