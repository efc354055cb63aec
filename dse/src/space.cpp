// baton::dse — design-space axes, point numbering and the space file reader (docs/DSE.md).
//
// Space file (YAML, one mapping; every key optional):
//   pes: [64, 256] | {from: 64, to: 4096, scale: 2} | {from: 64, to: 512, step: 64}
//   simd_lanes: same forms (counts, no unit)
//   l1, l2: same forms with sizes ("512 B", "64 KiB")
//   noc_bandwidth, offchip_bandwidth: same forms with bandwidths ("64 elem/cycle")
//   noc_topology: [bus, mesh]   (or one name)
//   constraints: {max_area: "<x> mm2|um2", max_power: "<x> mW|W"}
// Unknown keys, values without units, empty or non-increasing ranges, more than 100,000 values on
// one axis are located errors.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "baton/dse/space.h"

namespace baton::dse {
namespace {

const std::vector<std::string> kKeys = {"pes",           "simd_lanes",   "l1",
                                        "l2",            "noc_bandwidth", "noc_topology",
                                        "offchip_bandwidth", "constraints"};
constexpr size_t kMaxAxis = 100000;

struct Reader {
  std::string path;
  std::vector<Diagnostic> diags;
  void error(const YAML::Node& n, const std::string& msg, const std::string& hint = {}) {
    const YAML::Mark m = n.Mark();
    diags.push_back(make_error(
        m.is_null() ? SourceLoc{path, 1, 1} : SourceLoc{path, m.line + 1, m.column + 1}, msg,
        hint));
  }
};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// One quantity of `kind` from a scalar node; nullopt (with a diagnostic) on error.
std::optional<int64_t> whole(Reader& r, const YAML::Node& n, const std::string& key,
                             QuantityKind kind) {
  if (!n.IsScalar()) {
    r.error(n, key + ": expected a value, got a " + (n.IsMap() ? "mapping" : "sequence"));
    return std::nullopt;
  }
  std::string err, hint;
  const auto q = parse_quantity(n.Scalar(), kind, &err, &hint);
  if (q && q->unlimited) {
    r.error(n, key + ": 'unlimited' is not a design point", "give a number with its unit");
    return std::nullopt;
  }
  if (!q) r.error(n, key + ": " + err, hint);
  return q ? std::optional<int64_t>(q->whole) : std::nullopt;
}

// A list, one value, or a {from, to, scale|step} range of integer quantities.
std::vector<int64_t> axis(Reader& r, const YAML::Node& n, const std::string& key,
                          QuantityKind kind) {
  std::vector<int64_t> out;
  if (n.IsSequence()) {
    for (const auto& item : n)
      if (auto v = whole(r, item, key, kind)) out.push_back(*v);
  } else if (n.IsMap()) {
    std::optional<int64_t> from, to, scale, step;
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      if (k == "from") from = whole(r, kv.second, key + ".from", kind);
      else if (k == "to") to = whole(r, kv.second, key + ".to", kind);
      else if (k == "scale") scale = whole(r, kv.second, key + ".scale", QuantityKind::kCount);
      else if (k == "step") step = whole(r, kv.second, key + ".step", kind);
      else r.error(kv.first, "unknown key '" + k + "' in '" + key + "'; valid: from, to, scale, step");
    }
    if (!from || !to || (!scale == !step)) {
      r.error(n, key + ": a range needs from, to and one of scale (geometric) or step (arithmetic)",
              "e.g. {from: 64, to: 4096, scale: 2}");
      return {};
    }
    if (scale && *scale < 2) {
      r.error(n, key + ".scale must be at least 2");
      return {};
    }
    for (int64_t v = *from; v <= *to && out.size() <= kMaxAxis;) {
      out.push_back(v);
      if (scale ? v > *to / *scale : v > *to - *step) break;
      v = scale ? v * *scale : v + *step;
    }
  } else if (auto v = whole(r, n, key, kind)) {
    out.push_back(*v);
  }
  if (out.empty() && r.diags.empty()) r.error(n, key + ": no values", "give at least one value");
  if (out.size() > kMaxAxis)
    r.error(n, key + ": more than " + std::to_string(kMaxAxis) + " values", "use a coarser range");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<double> real(Reader& r, const YAML::Node& n, const std::string& key,
                           QuantityKind kind) {
  std::string err, hint;
  const auto q = n.IsScalar() ? parse_quantity(n.Scalar(), kind, &err, &hint) : std::nullopt;
  if (!n.IsScalar()) err = "expected a value";
  if (!q) r.error(n, key + ": " + err, hint);
  return q ? std::optional<double>(q->real) : std::nullopt;
}

std::vector<int64_t> single(const std::optional<int64_t>& v, const char* what, Reader& r) {
  if (v) return {*v};
  r.diags.push_back(make_error(SourceLoc{r.path, 1, 1},
                               std::string("the base hardware has unlimited ") + what +
                                   " and the space file gives no values for it",
                               "add the axis to the space file or give --hw with a finite value"));
  return {};
}

}  // namespace

uint64_t DesignSpace::size() const {
  return uint64_t(pes.size()) * simd_lanes.size() * noc_bw.size() * offchip_bw.size() *
         topologies.size() * l1_bytes.size() * l2_bytes.size();
}

PointIndex decode(const DesignSpace& s, uint64_t i) {
  PointIndex p;
  p.l2 = i % s.l2_bytes.size(), i /= s.l2_bytes.size();
  p.l1 = i % s.l1_bytes.size(), i /= s.l1_bytes.size();
  p.topo = i % s.topologies.size(), i /= s.topologies.size();
  p.offchip = i % s.offchip_bw.size(), i /= s.offchip_bw.size();
  p.noc = i % s.noc_bw.size(), i /= s.noc_bw.size();
  p.simd = i % s.simd_lanes.size(), i /= s.simd_lanes.size();
  p.pes = i;
  return p;
}

uint64_t encode(const DesignSpace& s, const PointIndex& p) {
  uint64_t i = p.pes;
  i = i * s.simd_lanes.size() + p.simd;
  i = i * s.noc_bw.size() + p.noc;
  i = i * s.offchip_bw.size() + p.offchip;
  i = i * s.topologies.size() + p.topo;
  i = i * s.l1_bytes.size() + p.l1;
  return i * s.l2_bytes.size() + p.l2;
}

HardwareSpec hardware_at(const DesignSpace& s, const PointIndex& p, const HardwareSpec& base) {
  HardwareSpec hw = base;
  hw.name = "dse-" + std::to_string(encode(s, p));
  hw.pes = s.pes[p.pes];
  hw.simd_lanes = s.simd_lanes[p.simd];
  hw.noc.bandwidth_elems_per_cycle = s.noc_bw[p.noc];
  hw.offchip_bw_elems_per_cycle = s.offchip_bw[p.offchip];
  hw.noc.topology = s.topologies[p.topo];
  hw.l1_bytes = s.l1_bytes[p.l1];
  hw.l2_bytes = s.l2_bytes[p.l2];
  return hw;
}

DesignSpace parse_space_yaml(const std::string& text, const std::string& path,
                             const HardwareSpec& base) {
  Reader r{path, {}};
  DesignSpace s;
  s.source = path;
  s.pes = {base.pes};
  s.simd_lanes = {base.simd_lanes};
  s.topologies = {base.noc.topology};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(make_error(SourceLoc{path, e.mark.line + 1, e.mark.column + 1},
                                "YAML syntax error: " + e.msg, "check indentation and colons"));
  }
  if (!root.IsMap()) {
    throw InputError(make_error(SourceLoc{path, 1, 1}, "a space file is a YAML mapping of axes",
                                "e.g. `pes: [64, 256]`; see docs/DSE.md"));
  }
  std::set<std::string> seen;
  for (const auto& kv : root) {
    const std::string k = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (!seen.insert(k).second) r.error(kv.first, "duplicate key '" + k + "'");
    if (k == "pes") s.pes = axis(r, v, k, QuantityKind::kCount);
    else if (k == "simd_lanes") s.simd_lanes = axis(r, v, k, QuantityKind::kCount);
    else if (k == "l1") s.l1_bytes = axis(r, v, k, QuantityKind::kBytes);
    else if (k == "l2") s.l2_bytes = axis(r, v, k, QuantityKind::kBytes);
    else if (k == "noc_bandwidth") s.noc_bw = axis(r, v, k, QuantityKind::kElemsPerCycle);
    else if (k == "offchip_bandwidth") s.offchip_bw = axis(r, v, k, QuantityKind::kElemsPerCycle);
    else if (k == "noc_topology") {
      s.topologies.clear();
      std::vector<YAML::Node> items;
      if (v.IsSequence()) for (const auto& item : v) items.push_back(item);
      else items.push_back(v);
      for (const auto& item : items) {
        const std::vector<std::string>& known = noc_topology_names();
        if (!item.IsScalar() ||
            std::find(known.begin(), known.end(), item.Scalar()) == known.end())
          r.error(item, "noc_topology: unknown topology" +
                            (item.IsScalar() ? " '" + item.Scalar() + "'" : std::string()),
                  "valid: " + join(known));
        else if (std::find(s.topologies.begin(), s.topologies.end(), item.Scalar()) ==
                 s.topologies.end())
          s.topologies.push_back(item.Scalar());
      }
    } else if (k == "constraints" && v.IsMap()) {
      for (const auto& c : v) {
        const std::string ck = c.first.Scalar();
        if (ck == "max_area") s.constraints.max_area_mm2 = real(r, c.second, ck, QuantityKind::kArea);
        else if (ck == "max_power") s.constraints.max_power_mw = real(r, c.second, ck, QuantityKind::kPower);
        else r.error(c.first, "unknown key '" + ck + "' in 'constraints'; valid: max_area, max_power");
      }
      if (s.constraints.max_area_mm2) *s.constraints.max_area_mm2 /= 1e6;  // um2 -> mm2
    } else if (k == "constraints") {
      r.error(v, "constraints: expected a mapping {max_area: ..., max_power: ...}");
    } else {
      r.error(kv.first, "unknown key '" + k + "'; valid keys: " + join(kKeys));
    }
  }
  if (s.l1_bytes.empty() && !seen.count("l1")) s.l1_bytes = single(base.l1_bytes, "L1", r);
  if (s.l2_bytes.empty() && !seen.count("l2")) s.l2_bytes = single(base.l2_bytes, "L2", r);
  if (s.noc_bw.empty() && !seen.count("noc_bandwidth"))
    s.noc_bw = single(base.noc.bandwidth_elems_per_cycle, "NoC bandwidth", r);
  if (s.offchip_bw.empty() && !seen.count("offchip_bandwidth"))
    s.offchip_bw = single(base.offchip_bw_elems_per_cycle, "off-chip bandwidth", r);
  if (!r.diags.empty()) throw InputError(std::move(r.diags));
  return s;
}

DesignSpace load_space(const std::string& path, const HardwareSpec& base) {
  std::ifstream in(path);
  if (!in)
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot open space file '" + path + "'",
                                "check the path; docs/DSE.md shows the format"));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_space_yaml(text.str(), path, base);
}

DesignSpace default_space(const HardwareSpec& base) {
  auto pow2 = [](int64_t from, int64_t to) {
    std::vector<int64_t> v;
    for (int64_t x = from; x <= to; x *= 2) v.push_back(x);
    return v;
  };
  DesignSpace s;
  s.pes = pow2(64, 4096);
  s.simd_lanes = pow2(1, 8);
  s.l1_bytes = pow2(256, 64 << 10);
  s.l2_bytes = pow2(64 << 10, 16 << 20);
  s.noc_bw = pow2(8, 1024);
  s.offchip_bw = pow2(8, 256);
  s.topologies = {base.noc.topology};
  return s;
}

}  // namespace baton::dse
