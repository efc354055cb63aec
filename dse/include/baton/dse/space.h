// baton::dse — a design space: the product of named hardware axes (docs/DSE.md "Space file").
//
// Axes (each a sorted list of distinct values; a missing axis keeps the base hardware's value):
// PEs, SIMD lanes, L1 bytes per PE, L2 bytes, NoC bandwidth (elem/cycle per link), NoC topology,
// off-chip bandwidth (elem/cycle). Points are numbered 0…size()−1 in a fixed mixed-radix order
// (PEs outermost, then SIMD lanes, NoC bandwidth, off-chip bandwidth, topology, L1, L2
// innermost) so that results, shards and fronts are deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"

namespace baton::dse {

struct Constraints {
  std::optional<double> max_area_mm2;
  std::optional<double> max_power_mw;
};

struct DesignSpace {
  std::vector<int64_t> pes, simd_lanes, noc_bw, offchip_bw, l1_bytes, l2_bytes;
  std::vector<std::string> topologies;
  Constraints constraints;
  std::string source;  // the space file ("" = built-in)

  uint64_t size() const;
};

// One hardware point: indices into each axis, in the space's order.
struct PointIndex {
  size_t pes = 0, simd = 0, noc = 0, offchip = 0, topo = 0, l1 = 0, l2 = 0;
};

PointIndex decode(const DesignSpace& s, uint64_t index);
uint64_t encode(const DesignSpace& s, const PointIndex& p);
// The base hardware with this point's values (name "dse-<index>").
HardwareSpec hardware_at(const DesignSpace& s, const PointIndex& p, const HardwareSpec& base);

// Reads a space file (YAML, docs/DSE.md); axes missing from the file take the base hardware's
// value (unlimited L1/L2/bandwidths stay unlimited only if the base has them so). Throws
// InputError listing every problem (file:line:col).
DesignSpace load_space(const std::string& path, const HardwareSpec& base);
DesignSpace parse_space_yaml(const std::string& text, const std::string& path,
                             const HardwareSpec& base);

// `baton bench dse`'s built-in space (issue #8): PEs 64…4096, SIMD lanes 1…8, L1 256 B…64 KiB,
// L2 64 KiB…16 MiB, NoC bandwidth 8…1024, off-chip bandwidth 8…256 elem/cycle, powers of two;
// the base hardware's topology; no area/power constraint.
DesignSpace default_space(const HardwareSpec& base);

}  // namespace baton::dse
