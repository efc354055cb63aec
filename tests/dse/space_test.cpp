// The design-space file reader, point numbering and the area/power model (docs/DSE.md).
#include <gtest/gtest.h>

#include "baton/dse/dse.h"
#include "baton/dse/space.h"

namespace baton::dse {
namespace {

DesignSpace parse(const std::string& text) {
  return parse_space_yaml(text, "space.yaml", default_hardware());
}

// The first diagnostic of a rejected space file.
Diagnostic error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.diagnostics().at(0);
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

TEST(DseSpace, ListsRangesAndDefaults) {
  const DesignSpace s = parse(
      "pes: {from: 64, to: 1000, scale: 2}\nsimd_lanes: [4, 1, 2, 2]\nl1: 512 B\n"
      "l2: {from: 64 KiB, to: 256 KiB, step: 64 KiB}\nnoc_topology: [mesh, bus]\n"
      "constraints: {max_area: 3 mm2, max_power: 1.5 W}\n");
  EXPECT_EQ(s.pes, (std::vector<int64_t>{64, 128, 256, 512}));
  EXPECT_EQ(s.simd_lanes, (std::vector<int64_t>{1, 2, 4}));  // sorted, unique
  EXPECT_EQ(s.l1_bytes, (std::vector<int64_t>{512}));
  EXPECT_EQ(s.l2_bytes, (std::vector<int64_t>{64 << 10, 128 << 10, 192 << 10, 256 << 10}));
  EXPECT_EQ(s.topologies, (std::vector<std::string>{"mesh", "bus"}));
  // Axes not given keep the base hardware's values (default: 64 and 32 elem/cycle).
  EXPECT_EQ(s.noc_bw, (std::vector<int64_t>{64}));
  EXPECT_EQ(s.offchip_bw, (std::vector<int64_t>{32}));
  EXPECT_DOUBLE_EQ(*s.constraints.max_area_mm2, 3.0);
  EXPECT_DOUBLE_EQ(*s.constraints.max_power_mw, 1500.0);
  EXPECT_EQ(s.size(), 4u * 3 * 1 * 4 * 2);
}

TEST(DseSpace, RejectsBadFilesWithLocation) {
  Diagnostic d = error_of("pes: [64]\nl1: 512\n");
  EXPECT_EQ(d.loc.line, 2);
  EXPECT_NE(d.message.find("missing unit"), std::string::npos) << d.message;
  d = error_of("pes: [64]\npe: [2]\n");
  EXPECT_EQ(d.loc.line, 2);
  EXPECT_NE(d.message.find("unknown key 'pe'"), std::string::npos) << d.message;
  d = error_of("noc_topology: [bus, ring]\n");
  EXPECT_NE(d.message.find("unknown topology 'ring'"), std::string::npos) << d.message;
  EXPECT_NE(d.hint.find("mesh"), std::string::npos);
  d = error_of("pes: {from: 64, to: 32, scale: 2}\n");
  EXPECT_NE(d.message.find("no values"), std::string::npos) << d.message;
  d = error_of("pes: {from: 64, to: 128}\n");
  EXPECT_NE(d.message.find("scale"), std::string::npos) << d.message;
  d = error_of("l2: unlimited\n");
  EXPECT_NE(d.message.find("unlimited"), std::string::npos) << d.message;
  d = error_of("constraints: {max_area: 3 W}\n");
  EXPECT_NE(d.message.find("max_area"), std::string::npos) << d.message;
  d = error_of("pes: [64\n");
  EXPECT_NE(d.message.find("YAML"), std::string::npos) << d.message;
  EXPECT_THROW(load_space("/nonexistent/space.yaml", default_hardware()), InputError);
  // An axis the base hardware leaves unlimited must be given.
  HardwareSpec unlimited;
  EXPECT_THROW(parse_space_yaml("pes: [4]\n", "s.yaml", unlimited), InputError);
}

TEST(DseSpace, DecodeEncodeRoundTripAndHardware) {
  const DesignSpace s = parse(
      "pes: [16, 64, 256]\nsimd_lanes: [1, 2]\nl1: [256 B, 1 KiB]\nl2: [64 KiB, 1 MiB]\n"
      "noc_bandwidth: [8 elem/cycle, 16 elem/cycle, 64 elem/cycle]\n"
      "offchip_bandwidth: [8 elem/cycle, 32 elem/cycle]\nnoc_topology: [bus, mesh]\n");
  ASSERT_EQ(s.size(), 3u * 2 * 2 * 2 * 3 * 2 * 2);
  for (uint64_t i = 0; i < s.size(); ++i) ASSERT_EQ(encode(s, decode(s, i)), i);
  // L2 is the innermost axis, PEs the outermost.
  EXPECT_EQ(decode(s, 1).l2, 1u);
  EXPECT_EQ(decode(s, s.size() - 1).pes, 2u);
  const PointIndex p = decode(s, 77);
  const HardwareSpec hw = hardware_at(s, p, default_hardware());
  EXPECT_EQ(hw.pes, s.pes[p.pes]);
  EXPECT_EQ(hw.simd_lanes, s.simd_lanes[p.simd]);
  EXPECT_EQ(*hw.l1_bytes, s.l1_bytes[p.l1]);
  EXPECT_EQ(*hw.l2_bytes, s.l2_bytes[p.l2]);
  EXPECT_EQ(*hw.noc.bandwidth_elems_per_cycle, s.noc_bw[p.noc]);
  EXPECT_EQ(*hw.offchip_bw_elems_per_cycle, s.offchip_bw[p.offchip]);
  EXPECT_EQ(hw.noc.topology, s.topologies[p.topo]);
  EXPECT_EQ(hw.name, "dse-77");
}

TEST(DseSpace, DefaultSpaceIsTheIssuesPowersOfTwo) {
  const DesignSpace s = default_space(default_hardware());
  EXPECT_EQ(s.pes.front(), 64);
  EXPECT_EQ(s.pes.back(), 4096);
  EXPECT_EQ(s.simd_lanes.size(), 4u);
  EXPECT_EQ(s.l1_bytes.front(), 256);
  EXPECT_EQ(s.l1_bytes.back(), 64 << 10);
  EXPECT_EQ(s.l2_bytes.back(), 16 << 20);
  EXPECT_EQ(s.noc_bw.back(), 1024);
  EXPECT_EQ(s.offchip_bw.back(), 256);
  EXPECT_EQ(s.size(), 7u * 4 * 9 * 9 * 8 * 6);
}

TEST(DseArea, FollowsTheDocumentedFormula) {
  HardwareSpec hw = default_hardware();  // 256 PEs, 1 lane, 512 B L1, 1 MiB L2, bus 64
  const AreaPowerTable& a = hw.area_power;
  const double want = (256 * (318 + 500 + 512 * 10.0) + (1 << 20) * 4.6 + 256 * 64 * 200.0) * 1e-6;
  EXPECT_DOUBLE_EQ(area_mm2(hw), want);
  const double before = area_mm2(hw);
  hw.l2_bytes = 2 << 20;
  EXPECT_GT(area_mm2(hw), before);  // monotone in L2 (the pruning relies on it)
  hw.noc.topology = "mesh";
  EXPECT_EQ(noc_links("mesh", 256), 512);
  EXPECT_EQ(noc_links("bus", 256), 256);
  // 1000 pJ over 1000 cycles at 1 GHz is 1 mW, plus leakage.
  EXPECT_DOUBLE_EQ(power_mw(1000, 1000, 2.0, a), 1.0 + 2.0 * a.leakage_mw_per_mm2);
  EXPECT_DOUBLE_EQ(power_mw(1000, 0, 0.0, a), 0.0);
}

}  // namespace
}  // namespace baton::dse
