// baton::dataflow — native YAML hardware reader (DESIGN.md §3; users' guide: docs/HARDWARE.md).
//
// Schema (every key optional; a missing key keeps the HardwareSpec struct default, which is
// "unlimited" for sizes and bandwidths; configs/default/accelerator.yaml spells out every key):
//   name: <string>
//   pes: <int>    simd_lanes: <int>    word_bytes: <int>          integers > 0, no unit
//   l1: "<n> B|KB|KiB|MB|MiB" | unlimited                       per-PE bytes; KB = KiB = 1024 B
//   l2: "<n> B|KB|KiB|MB|MiB" | unlimited                       shared bytes; MB = MiB = 1024² B
//   l2_ports: {read: "<n> elem/cycle" | unlimited, write: "<n> elem/cycle" | unlimited}
//   noc: {topology: bus|crossbar|mesh|systolic|tree, bandwidth: "<n> elem/cycle" | unlimited,
//         hop_latency: "<n> cycle(s)", buffer_depth: "<n> flit(s)", multicast: <bool>,
//         reduction: <bool>, tree_arity: <int >= 2>}
//   offchip: {bandwidth: "<n> elem/cycle" | unlimited, latency: "<n> cycle(s)"}
//   energy: {mac, l1_read, l1_write, l2_read, l2_write, noc_hop, dram_read, dram_write: "<x> pJ"}
//   area_power: {mac, pe_overhead, l1_per_byte, l2_per_byte, noc_per_link_lane: "<x> um2|mm2",
//                leakage_per_mm2: "<x> mW|W", clock: "<x> MHz|GHz"}     (dse/ only)
// Contract: quantities carry their unit (`l1: 512` and `l1: 5 cycles` are errors); sizes, counts,
// bandwidths and buffer depths are integers > 0; latencies are integers >= 0; energies are finite
// reals >= 0; numbers are written [+-]digits[.digits] (parse_quantity in hardware.h). Unknown or
// duplicate keys, wrong node kinds, a document that is not one mapping and YAML syntax errors are
// errors. Every problem of the file is collected and thrown as one InputError (1-based line:col).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "baton/dataflow/hardware.h"

namespace baton {
namespace {

using Q = QuantityKind;

struct Field {
  std::string name;  // dotted path for messages ("noc.bandwidth"); "" = the document
  std::string key;   // the key at its own level ("bandwidth")
  YAML::Node key_node;
  YAML::Node value;
};

// Collects diagnostics; yaml-cpp marks are 0-based, ours 1-based (1:1 when a node has none).
struct Reader {
  std::string path;
  std::vector<Diagnostic> diags;

  SourceLoc loc(const YAML::Mark& m) const {
    return m.is_null() ? SourceLoc{path, 1, 1} : SourceLoc{path, m.line + 1, m.column + 1};
  }
  void error_at(const YAML::Node& n, std::string msg, std::string hint = {}) {
    diags.push_back(make_error(loc(n.Mark()), std::move(msg), std::move(hint)));
  }
  // At the value; at the key when the value is empty (yaml-cpp marks empty values oddly).
  void error(const Field& f, std::string msg, std::string hint = {}) {
    const bool at_key = f.value.IsNull() && f.key_node.IsDefined();
    error_at(at_key ? f.key_node : f.value, std::move(msg), std::move(hint));
  }
};

const std::vector<std::string> kTopKeys = {
    "name", "pes", "simd_lanes", "word_bytes", "l1", "l2", "l2_ports", "noc", "offchip", "energy",
    "area_power"};
const std::vector<std::string> kPortKeys = {"read", "write"};
const std::vector<std::string> kNocKeys = {"topology",  "bandwidth", "hop_latency", "buffer_depth",
                                           "multicast", "reduction", "tree_arity"};
const std::vector<std::string> kOffchipKeys = {"bandwidth", "latency"};
const std::vector<std::string> kEnergyKeys = {"mac",      "l1_read", "l1_write",  "l2_read",
                                              "l2_write", "noc_hop", "dram_read", "dram_write"};
const std::vector<std::string> kAreaPowerKeys = {"mac",         "pe_overhead",       "l1_per_byte",
                                                 "l2_per_byte", "noc_per_link_lane", "leakage_per_mm2",
                                                 "clock"};
const std::vector<std::string> kMaestroKeys = {"num_pes",     "l1_size_cstr",    "l2_size_cstr",
                                               "noc_bw_cstr", "offchip_bw_cstr", "NoC_NumHops"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// "did you mean 'v'?" for the first v within Levenshtein distance 2 of word, else "".
std::string suggest(const std::string& word, const std::vector<std::string>& valid) {
  for (const auto& v : valid) {
    std::vector<size_t> row(v.size() + 1);
    for (size_t j = 0; j <= v.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      size_t diag = row[0]++;
      for (size_t j = 1; j <= v.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min({up + 1, row[j - 1] + 1, diag + (word[i - 1] == v[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[v.size()] <= 2) return "did you mean '" + v + "'?";
  }
  return {};
}

std::string kind_of(const YAML::Node& n) {
  if (n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a sequence";
  if (n.IsMap()) return "a mapping";
  return "'" + n.Scalar() + "'";
}

// The scalar text of f.value, or nullopt (with a diagnostic) when it is not a scalar.
std::optional<std::string> scalar(Reader& r, const Field& f, const std::string& expected) {
  if (f.value.IsScalar()) return f.value.Scalar();
  r.error(f, f.name + ": expected " + expected + ", got " + kind_of(f.value));
  return std::nullopt;
}

// What a value of each QuantityKind looks like (in enum order), for "expected ..." messages.
const char* const kExpected[] = {"a size like `512 B` or `unlimited`",
                                 "a bandwidth like `64 elem/cycle` or `unlimited`",
                                 "a latency like `1 cycle`",
                                 "a buffer depth like `8 flits`",
                                 "an energy like `0.2 pJ`",
                                 "a positive integer",
                                 "an area like `318 um2`",
                                 "a power like `20 mW`",
                                 "a clock frequency like `1 GHz`"};

// Stores the quantity in f into *out (unchanged on error): optional (nullopt = unlimited),
// integer (base unit) or real (pJ).
template <class T>
void read_into(Reader& r, const Field& f, QuantityKind kind, T* out) {
  const auto text = scalar(r, f, kExpected[static_cast<int>(kind)]);
  std::string error, hint;
  const auto q = text ? parse_quantity(*text, kind, &error, &hint) : std::nullopt;
  if (text && !q) r.error(f, f.name + ": " + error, hint);
  if (!q) return;
  if constexpr (std::is_same_v<T, double>) {
    *out = q->real;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    *out = q->whole;
  } else {
    *out = q->unlimited ? std::nullopt : std::optional<int64_t>(q->whole);
  }
}

void read_bool(Reader& r, const Field& f, bool* out) {
  if (!f.value.IsScalar() || !YAML::convert<bool>::decode(f.value, *out)) {
    r.error(f, f.name + ": expected true or false, got " + kind_of(f.value));
  }
}

// Visits every entry of the mapping section.value whose key is one of `keys`; reports a value that
// is not a mapping and unknown, duplicate or non-scalar keys.
void for_each_field(Reader& r, const Field& section, const std::vector<std::string>& keys,
                    const std::function<void(const Field&)>& visit) {
  const std::string where = section.name.empty() ? "the hardware file" : "'" + section.name + "'";
  if (!section.value.IsMap()) {
    r.error(section, where + ": expected a mapping with keys " + join(keys) + ", got " +
                         kind_of(section.value));
    return;
  }
  std::map<std::string, int> first_line;
  for (const auto& kv : section.value) {
    if (!kv.first.IsScalar()) {
      r.error_at(kv.first,
                 "in " + where + ": a key must be a plain name, got " + kind_of(kv.first));
      continue;
    }
    Field f{"", kv.first.Scalar(), kv.first, kv.second};
    f.name = section.name.empty() ? f.key : section.name + "." + f.key;
    if (!contains(keys, f.key)) {
      const std::string hint = section.name.empty() && contains(kMaestroKeys, f.key)
                                   ? "'" + f.key +
                                         "' is a MAESTRO key; write the native key "
                                         "(docs/HARDWARE.md) or use a MAESTRO .m file"
                                   : suggest(f.key, keys);
      r.error_at(kv.first,
                 "unknown key '" + f.key + "' in " + where + "; valid keys: " + join(keys), hint);
    } else if (!first_line.emplace(f.key, r.loc(kv.first.Mark()).line).second) {
      r.error_at(kv.first,
                 "duplicate key '" + f.name + "' (first given at line " +
                     std::to_string(first_line[f.key]) + ")",
                 "keep one of them");
    } else {
      visit(f);
    }
  }
}

void read_topology(Reader& r, const Field& f, std::string* out) {
  const std::vector<std::string>& known = noc_topology_names();
  const auto text = scalar(r, f, "a topology (" + join(known) + ")");
  if (text && !contains(known, *text)) {
    r.error(f, f.name + ": unknown topology '" + *text + "'; valid: " + join(known),
            suggest(*text, known));
  } else if (text) {
    *out = *text;
  }
}

void read_document(Reader& r, const YAML::Node& root, HardwareSpec* hw) {
  NocSpec& noc = hw->noc;
  EnergyTable& e = hw->energy;
  for_each_field(r, Field{"", "", YAML::Node(), root}, kTopKeys, [&](const Field& f) {
    const std::string& k = f.key;
    if (k == "name") {
      if (const auto text = scalar(r, f, "a name")) hw->name = *text;
    } else if (k == "pes" || k == "simd_lanes" || k == "word_bytes") {
      read_into(r, f, Q::kCount,
                k == "pes"          ? &hw->pes
                : k == "simd_lanes" ? &hw->simd_lanes
                                    : &hw->word_bytes);
    } else if (k == "l1" || k == "l2") {
      read_into(r, f, Q::kBytes, k == "l1" ? &hw->l1_bytes : &hw->l2_bytes);
    } else if (k == "l2_ports") {
      for_each_field(r, f, kPortKeys, [&](const Field& g) {
        read_into(r, g, Q::kElemsPerCycle,
                  g.key == "read" ? &hw->l2_read_elems_per_cycle : &hw->l2_write_elems_per_cycle);
      });
    } else if (k == "noc") {
      for_each_field(r, f, kNocKeys, [&](const Field& g) {
        if (g.key == "topology") read_topology(r, g, &noc.topology);
        if (g.key == "bandwidth")
          read_into(r, g, Q::kElemsPerCycle, &noc.bandwidth_elems_per_cycle);
        if (g.key == "hop_latency") read_into(r, g, Q::kCycles, &noc.hop_latency_cycles);
        if (g.key == "buffer_depth") read_into(r, g, Q::kFlits, &noc.buffer_depth_flits);
        if (g.key == "multicast") read_bool(r, g, &noc.multicast);
        if (g.key == "reduction") read_bool(r, g, &noc.reduction);
        if (g.key == "tree_arity") {
          const int64_t before = noc.tree_arity;
          read_into(r, g, Q::kCount, &noc.tree_arity);
          if (noc.tree_arity < 2) {
            r.error(g, g.name + ": a tree needs at least 2 children per switch",
                    "write 2 (binary) or more");
            noc.tree_arity = before;
          }
        }
      });
    } else if (k == "offchip") {
      for_each_field(r, f, kOffchipKeys, [&](const Field& g) {
        if (g.key == "bandwidth")
          read_into(r, g, Q::kElemsPerCycle, &hw->offchip_bw_elems_per_cycle);
        if (g.key == "latency") read_into(r, g, Q::kCycles, &hw->dram_latency_cycles);
      });
    } else if (k == "area_power") {  // dst and kinds follow kAreaPowerKeys
      AreaPowerTable& a = hw->area_power;
      double* const dst[] = {&a.mac_um2,         &a.pe_overhead_um2,       &a.l1_um2_per_byte,
                             &a.l2_um2_per_byte, &a.noc_um2_per_link_lane, &a.leakage_mw_per_mm2,
                             &a.clock_mhz};
      for_each_field(r, f, kAreaPowerKeys, [&](const Field& g) {
        const auto i = std::find(kAreaPowerKeys.begin(), kAreaPowerKeys.end(), g.key) -
                       kAreaPowerKeys.begin();
        read_into(r, g, i == 5 ? Q::kPower : i == 6 ? Q::kFrequency : Q::kArea, dst[i]);
      });
    } else {  // energy; dst follows kEnergyKeys
      double* const dst[] = {&e.mac_pj,      &e.l1_read_pj, &e.l1_write_pj,  &e.l2_read_pj,
                             &e.l2_write_pj, &e.noc_hop_pj, &e.dram_read_pj, &e.dram_write_pj};
      for_each_field(r, f, kEnergyKeys, [&](const Field& g) {
        read_into(
            r, g, Q::kPicojoules,
            dst[std::find(kEnergyKeys.begin(), kEnergyKeys.end(), g.key) - kEnergyKeys.begin()]);
      });
    }
  });
}

// Lines and columns (1-based, 0 = none) of the first content and of a second document: a `---`
// or `...` marker at column 1 after content, or content after `...`. Found textually because
// yaml-cpp 0.7's LoadAll loops without end on input such as ",".
struct Layout {
  int content_line = 0, content_col = 0, second_doc_line = 0;
};

Layout scan_layout(const std::string& text) {
  Layout out;
  bool ended = false;
  std::istringstream in(text);
  std::string l;
  for (int line = 1; std::getline(in, l); ++line) {
    const bool marker = (l.rfind("---", 0) == 0 || l.rfind("...", 0) == 0) &&
                        (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    const bool dashes = marker && l[0] == '-';
    if (dashes && out.content_line > 0 && out.second_doc_line == 0) out.second_doc_line = line;
    ended = ended || (marker && !dashes);
    const size_t i = l.find_first_not_of(" \t\r", marker ? 3 : 0);
    if (i == std::string::npos || l[i] == '#' || (l[0] == '%' && out.content_line == 0)) continue;
    if (out.content_line == 0) out = Layout{line, static_cast<int>(i) + 1, 0};
    if (ended && out.second_doc_line == 0) out.second_doc_line = line;
  }
  return out;
}

}  // namespace

HardwareSpec parse_hardware_yaml(const std::string& text, const std::string& path) {
  Reader r{path, {}};
  HardwareSpec hw;
  hw.source_file = path;
  hw.format = "yaml";
  const Layout layout = scan_layout(text);
  try {
    const YAML::Node root = YAML::Load(text);  // the first document
    if (root.IsNull() && layout.content_line == 0) {
      r.diags.push_back(make_error(SourceLoc{path, 1, 1}, "the hardware file is empty",
                                   "write a mapping of keys such as `pes: 256` and `l1: 512 B`"));
    } else if (root.IsNull()) {
      r.diags.push_back(make_error(SourceLoc{path, layout.content_line, layout.content_col},
                                   "expected a YAML mapping of hardware keys, found none",
                                   "write `key: value` lines such as `pes: 256`"));
    } else {
      read_document(r, root, &hw);
    }
    if (layout.second_doc_line > 0) {
      r.diags.push_back(make_error(SourceLoc{path, layout.second_doc_line, 1},
                                   "more than one YAML document; a hardware file holds one mapping",
                                   "remove the `---` or `...` marker and what follows it"));
    }
  } catch (const YAML::Exception& e) {  // syntax errors (ParserException) and anything else
    r.diags.push_back(make_error(r.loc(e.mark), "YAML syntax error: " + e.msg,
                                 "check indentation, colons and quotes near here"));
  }
  if (!r.diags.empty()) throw InputError(std::move(r.diags));
  return hw;
}

}  // namespace baton
