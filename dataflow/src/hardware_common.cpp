// baton::dataflow — hardware helpers shared by both readers: quantity text ("512 B"), file
// loading with format choice, the built-in default accelerator and a readable description.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "baton/dataflow/hardware.h"

namespace baton {
namespace {

// A unit a quantity may carry, and its factor to the base unit.
struct Unit {
  const char* name;
  int64_t factor;
};
// How a quantity kind is written (QuantityKind contract in hardware.h).
struct KindRule {
  const char* what;         // "a size", for messages
  std::vector<Unit> units;  // units[0] is suggested when the unit is missing; empty = bare number
  int64_t min;
  bool integer;
  bool unlimited_ok;
};

const KindRule& rule(QuantityKind kind) {
  static const KindRule kRules[] = {
      {"a size",
       {{"B", 1}, {"KB", 1024}, {"KiB", 1024}, {"MB", 1 << 20}, {"MiB", 1 << 20}},
       1,
       true,
       true},
      {"a bandwidth", {{"elem/cycle", 1}, {"elems/cycle", 1}}, 1, true, true},
      {"a latency", {{"cycles", 1}, {"cycle", 1}}, 0, true, false},
      {"a buffer depth", {{"flits", 1}, {"flit", 1}}, 1, true, false},
      {"an energy", {{"pJ", 1}}, 0, false, false},
      {"a positive integer", {}, 1, true, false},
      {"an area", {{"um2", 1}, {"mm2", 1000000}}, 0, false, false},
      {"a power", {{"mW", 1}, {"W", 1000}}, 0, false, false},
      {"a clock frequency", {{"MHz", 1}, {"GHz", 1000}}, 1, false, false},
  };
  return kRules[static_cast<int>(kind)];
}

std::string unit_list(const KindRule& k) {
  std::string out;
  for (const Unit& u : k.units) out += (out.empty() ? "" : ", ") + std::string(u.name);
  return out;
}

// Splits "<number> <unit>" (space optional) into number and unit text; false when the text does
// not start with a digit after an optional sign. A leading '+' is dropped from the number.
bool split_number(const std::string& s, std::string* num, std::string* unit) {
  const size_t begin = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (begin >= s.size() || !std::isdigit(static_cast<unsigned char>(s[begin]))) return false;
  const size_t end = std::min(s.find_first_not_of("0123456789.", begin), s.size());
  const size_t from = s[0] == '+' ? 1 : 0;
  *num = s.substr(from, end - from);
  const size_t u = s.find_first_not_of(" \t", end);
  *unit = u == std::string::npos ? "" : s.substr(u);
  return true;
}

// Whole-text conversion of s to T (int64_t or a finite double).
template <class T>
bool convert(const std::string& s, T* out) {
  const auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size() &&
         std::isfinite(static_cast<double>(*out));
}

// Byte counts as the largest exact binary unit ("1 MiB", "3 KiB", "100 B").
std::string bytes_text(int64_t b) {
  if (b != 0 && b % (1 << 20) == 0) return std::to_string(b >> 20) + " MiB";
  if (b != 0 && b % 1024 == 0) return std::to_string(b >> 10) + " KiB";
  return std::to_string(b) + " B";
}

// "1 cycle", "8 flits": n and the unit, plural unless n is 1.
std::string count_text(int64_t n, const std::string& unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string opt_text(const std::optional<int64_t>& v, const std::string& unit) {
  return v ? std::to_string(*v) + " " + unit : "unlimited";
}

// True when text is a YAML mapping whose keys are all MAESTRO hardware keys.
bool is_maestro_yaml(const std::string& text) {
  static const char* const kKeys[] = {"num_pes",     "l1_size_cstr",    "l2_size_cstr",
                                      "noc_bw_cstr", "offchip_bw_cstr", "NoC_NumHops"};
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || root.size() == 0) return false;
    for (const auto& kv : root) {
      if (!kv.first.IsScalar() ||
          std::find(std::begin(kKeys), std::end(kKeys), kv.first.Scalar()) == std::end(kKeys)) {
        return false;
      }
    }
    return true;
  } catch (const YAML::Exception&) {
    return false;  // not YAML: the YAML reader reports the syntax error
  }
}

}  // namespace

std::optional<Quantity> parse_quantity(const std::string& text, QuantityKind kind,
                                       std::string* error, std::string* hint) {
  const KindRule& k = rule(kind);
  error->clear();
  hint->clear();
  Quantity q;
  if (k.unlimited_ok && text == "unlimited") {
    q.unlimited = true;
    return q;
  }
  const std::string forms =
      std::string(k.what) +
      (k.units.empty() ? "" : std::string(" like `<n> ") + k.units[0].name + "`") +
      (k.unlimited_ok ? " or `unlimited`" : "");
  std::string num, unit;
  const bool is_number = split_number(text, &num, &unit);
  const Unit* u = nullptr;
  for (const Unit& c : k.units) u = (unit == c.name) ? &c : u;
  const bool whole_ok = convert(num, &q.whole);
  const bool real_ok = convert(num, &q.real);
  if (!is_number || (k.units.empty() && !unit.empty())) {
    *error =
        "expected " + forms + (k.units.empty() ? " without unit" : "") + ", got '" + text + "'";
  } else if (unit.empty() && !k.units.empty()) {
    *error = "missing unit; write `" + num + " " + k.units[0].name + "`";
    *hint = "units: " + unit_list(k);
  } else if (!k.units.empty() && u == nullptr) {
    *error = "unit '" + unit + "' is not valid for " + k.what + "; valid units: " + unit_list(k);
  } else if (!real_ok) {
    *error = "'" + text + "' is not a number";
  } else if (k.integer && !whole_ok) {
    *error = "'" + text + (std::floor(q.real) == q.real ? "' is too large" : "' is not whole");
    *hint = unit.empty() ? "write a whole number" : "write a whole number of " + unit;
  } else if ((k.integer ? static_cast<double>(q.whole) : q.real) < static_cast<double>(k.min)) {
    *error = std::string("must be ") + (k.min > 0 ? "positive" : "non-negative") + ", got '" +
             text + "'";
  } else if (k.integer && u && q.whole > std::numeric_limits<int64_t>::max() / u->factor) {
    *error = "'" + text + "' is too large";
  } else {
    const int64_t factor = u ? u->factor : 1;
    q.whole = k.integer ? q.whole * factor : 0;
    q.real *= static_cast<double>(factor);
    return q;
  }
  return std::nullopt;
}

const std::vector<std::string>& noc_topology_names() {
  static const std::vector<std::string> k = {"bus", "crossbar", "mesh", "systolic", "tree"};
  return k;
}

HardwareSpec load_hardware(const std::string& path) {
  const std::string hint = "check the path; relative paths are taken from the current directory";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(
        make_error(SourceLoc{path, 0, 0},
                   "cannot open hardware file '" + path + "': " + std::strerror(EISDIR), hint));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno != 0 ? errno : ENOENT;
    throw InputError(make_error(SourceLoc{path, 0, 0},
                                "cannot open hardware file '" + path + "': " + std::strerror(err),
                                hint));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw InputError(
        make_error(SourceLoc{path, 0, 0}, "cannot read hardware file '" + path + "'", hint));
  }
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if ((ext == ".yaml" || ext == ".yml") && !is_maestro_yaml(text.str())) {
    return parse_hardware_yaml(text.str(), path);
  }
  return parse_hardware_maestro(text.str(), path);
}

HardwareSpec default_hardware() {
  HardwareSpec hw;  // keep in sync with configs/default/accelerator.yaml (a test compares them)
  hw.name = "default";
  hw.format = "builtin";
  hw.pes = 256;
  hw.simd_lanes = 1;
  hw.word_bytes = 1;
  hw.l1_bytes = 512;
  hw.l2_bytes = int64_t{1} << 20;
  hw.l2_read_elems_per_cycle = 64;
  hw.l2_write_elems_per_cycle = 64;
  hw.noc.topology = "bus";
  hw.noc.bandwidth_elems_per_cycle = 64;
  hw.noc.hop_latency_cycles = 1;
  hw.noc.buffer_depth_flits = 8;
  hw.noc.multicast = true;
  hw.noc.reduction = true;
  hw.noc.tree_arity = 4;
  hw.offchip_bw_elems_per_cycle = 32;
  hw.dram_latency_cycles = 0;
  hw.energy = EnergyTable{};
  hw.area_power = AreaPowerTable{};
  return hw;
}

std::string describe(const HardwareSpec& hw) {
  const auto on = [](bool b) { return b ? "on" : "off"; };
  const EnergyTable& e = hw.energy;
  std::ostringstream os;
  os << "hardware: " << hw.name << " (" << (hw.format.empty() ? "builtin" : hw.format)
     << (hw.source_file.empty() ? "" : ", " + hw.source_file) << ")\n";
  os << "PEs: " << count_text(hw.pes, "PE") << " x " << count_text(hw.simd_lanes, "SIMD lane")
     << " (1 MAC/cycle each), word " << hw.word_bytes << " B\n";
  os << "L1: " << (hw.l1_bytes ? bytes_text(*hw.l1_bytes) : "unlimited") << " per PE\n";
  os << "L2: " << (hw.l2_bytes ? bytes_text(*hw.l2_bytes) : "unlimited") << " shared, read "
     << opt_text(hw.l2_read_elems_per_cycle, "elem/cycle") << ", write "
     << opt_text(hw.l2_write_elems_per_cycle, "elem/cycle") << "\n";
  os << "NoC: " << hw.noc.topology << ", "
     << opt_text(hw.noc.bandwidth_elems_per_cycle, "elem/cycle") << " per link, hop latency "
     << count_text(hw.noc.hop_latency_cycles, "cycle") << ", buffer "
     << count_text(hw.noc.buffer_depth_flits, "flit") << ", multicast " << on(hw.noc.multicast)
     << ", reduction " << on(hw.noc.reduction)
     << (hw.noc.topology == "tree" ? ", arity " + std::to_string(hw.noc.tree_arity) : "") << "\n";
  os << "off-chip: " << opt_text(hw.offchip_bw_elems_per_cycle, "elem/cycle") << ", latency "
     << count_text(hw.dram_latency_cycles, "cycle") << "\n";
  os << "energy: MAC " << e.mac_pj << " pJ, L1 read/write " << e.l1_read_pj << "/" << e.l1_write_pj
     << " pJ, L2 read/write " << e.l2_read_pj << "/" << e.l2_write_pj << " pJ, NoC hop "
     << e.noc_hop_pj << " pJ, DRAM read/write " << e.dram_read_pj << "/" << e.dram_write_pj
     << " pJ\n";
  return os.str();
}

}  // namespace baton
