// Tests for the hardware readers (dataflow/src/hardware_*.cpp): native YAML, MAESTRO .m, loading.
#include "baton/dataflow/hardware.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <tuple>
#include <vector>

namespace baton {
namespace {

// The diagnostics `parse` throws for `text`; a test failure when it does not throw.
template <class Parse>
std::vector<Diagnostic> errors_of(Parse parse, const std::string& text) {
  try {
    parse(text, "hw.in");
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected an InputError for:\n" << text;
  return {};
}
auto yaml_errors(const std::string& text) { return errors_of(parse_hardware_yaml, text); }
auto maestro_errors(const std::string& text) { return errors_of(parse_hardware_maestro, text); }

// A diagnostic at line:col whose message contains every needle.
void expect_diag(const Diagnostic& d, int line, int col, const std::vector<std::string>& needles) {
  EXPECT_EQ(d.loc.file, "hw.in");
  EXPECT_EQ(d.loc.line, line) << d.format();
  EXPECT_EQ(d.loc.column, col) << d.format();
  for (const auto& n : needles) EXPECT_NE(d.message.find(n), std::string::npos) << d.format();
}
// Exactly one diagnostic, as expect_diag.
void expect_one(const std::vector<Diagnostic>& d, int line, int col,
                const std::vector<std::string>& needles) {
  ASSERT_EQ(d.size(), 1u) << (d.empty() ? "" : d[0].format());
  expect_diag(d[0], line, col, needles);
}

auto area_fields(const AreaPowerTable& a) {
  return std::make_tuple(a.mac_um2, a.pe_overhead_um2, a.l1_um2_per_byte, a.l2_um2_per_byte,
                         a.noc_um2_per_link_lane, a.leakage_mw_per_mm2, a.clock_mhz);
}

// Every field of a HardwareSpec except source_file and format, for field-by-field comparison.
auto fields(const HardwareSpec& h) {
  const EnergyTable& e = h.energy;
  const NocSpec& n = h.noc;
  return std::make_tuple(h.name, h.pes, h.simd_lanes, h.word_bytes, h.l1_bytes, h.l2_bytes,
                         h.l2_read_elems_per_cycle, h.l2_write_elems_per_cycle, n.topology,
                         n.bandwidth_elems_per_cycle, n.hop_latency_cycles, n.buffer_depth_flits,
                         n.multicast, n.reduction, n.tree_arity, h.offchip_bw_elems_per_cycle,
                         h.dram_latency_cycles, e.mac_pj, e.l1_read_pj, e.l1_write_pj, e.l2_read_pj,
                         e.l2_write_pj, e.noc_hop_pj, e.dram_read_pj, e.dram_write_pj,
                         area_fields(h.area_power));
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "baton_hw_" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(HardwareYaml, ParsesEveryKey) {
  const HardwareSpec hw = parse_hardware_yaml(
      "name: tiny\npes: 16\nsimd_lanes: 4\nword_bytes: 2\nl1: 1 KB\nl2: 2 MB\n"
      "l2_ports: {read: 8 elem/cycle, write: 4 elems/cycle}\n"
      "noc: {topology: mesh, bandwidth: 16 elem/cycle, hop_latency: 0 cycles, buffer_depth: 1 flit,"
      " multicast: false, reduction: no, tree_arity: 2}\n"
      "offchip: {bandwidth: 2 elem/cycle, latency: 1 cycle}\n"
      "energy: {mac: 1 pJ, l1_read: 2 pJ, l1_write: 3 pJ, l2_read: 4 pJ, l2_write: 5 pJ,"
      " noc_hop: 0 pJ, dram_read: 7.5 pJ, dram_write: +8 pJ}\n",
      "hw.in");
  // name, source, format, pes, lanes, word, l1, l2, l2 read/write, noc, offchip bw, dram latency.
  // clang-format off
  const HardwareSpec want{"tiny", "", "", 16, 4, 2, 1024, 2 << 20, 8, 4,
                          NocSpec{"mesh", 16, 0, 1, false, false, 2}, 2, 1,
                          EnergyTable{1, 2, 3, 4, 5, 0, 7.5, 8}, AreaPowerTable{}};
  // clang-format on
  EXPECT_EQ(fields(hw), fields(want));
  EXPECT_EQ(hw.source_file, "hw.in");
  EXPECT_EQ(hw.format, "yaml");
}

TEST(HardwareYaml, ParsesAreaPowerWithUnits) {
  const HardwareSpec hw = parse_hardware_yaml(
      "area_power: {mac: 100 um2, pe_overhead: 0.001 mm2, l1_per_byte: 2 um2, l2_per_byte: 3 um2,"
      " noc_per_link_lane: 4 um2, leakage_per_mm2: 0.5 W, clock: 2 GHz}\n",
      "hw.in");
  const AreaPowerTable& a = hw.area_power;
  EXPECT_EQ(area_fields(a), std::make_tuple(100.0, 1000.0, 2.0, 3.0, 4.0, 500.0, 2000.0));
  for (const char* bad : {"area_power: {mac: 100}\n", "area_power: {clock: 1 mW}\n",
                          "area_power: {mac: -1 um2}\n", "area_power: {macs: 1 um2}\n",
                          "area_power: {clock: 0 GHz}\n"}) {
    EXPECT_THROW(parse_hardware_yaml(bad, "hw.in"), InputError) << bad;
  }
}

TEST(HardwareYaml, MissingKeysKeepStructDefaults) {
  const HardwareSpec hw = parse_hardware_yaml("pes: 4\n", "hw.in");
  HardwareSpec want;
  want.pes = 4;
  EXPECT_EQ(fields(hw), fields(want));
}

TEST(HardwareYaml, ParsesUnitsKiB) {
  const HardwareSpec hw = parse_hardware_yaml("l1: 2 KiB\nl2: 3 MiB\n", "hw.in");
  EXPECT_EQ(hw.l1_bytes, 2048);
  EXPECT_EQ(hw.l2_bytes, 3 * 1024 * 1024);
  EXPECT_EQ(parse_hardware_yaml("l1: 7 B\nl2: 5KB\n", "hw.in").l2_bytes, 5 * 1024);
}

TEST(HardwareYaml, UnlimitedBandwidth) {
  const HardwareSpec hw = parse_hardware_yaml(
      "l1: unlimited\nnoc: {bandwidth: unlimited}\noffchip: {bandwidth: unlimited}\n"
      "l2_ports: {read: unlimited}\n",
      "hw.in");
  EXPECT_FALSE(hw.l1_bytes || hw.noc.bandwidth_elems_per_cycle || hw.offchip_bw_elems_per_cycle ||
               hw.l2_read_elems_per_cycle);
  expect_one(yaml_errors("noc:\n  hop_latency: unlimited\n"), 2, 16, {"noc.hop_latency"});
}

TEST(HardwareYaml, RejectsUnknownKeyWithLocation) {
  const auto d = yaml_errors("pes: 4\nl3: 1 MiB\n");
  expect_one(d, 2, 1, {"'l3'", "valid keys", "l1, l2"});
  EXPECT_EQ(d[0].hint, "did you mean 'l1'?");
  const auto nested = yaml_errors("noc:\n  topology: bus\n  bandwdith: 8 elem/cycle\n");
  expect_one(nested, 3, 3, {"'bandwdith'", "'noc'", "hop_latency"});
  EXPECT_EQ(nested[0].hint, "did you mean 'bandwidth'?");
  const auto maestro = yaml_errors("num_pes: 4\npes: 4\n");
  expect_one(maestro, 1, 1, {"'num_pes'"});
  EXPECT_NE(maestro[0].hint.find("MAESTRO key"), std::string::npos);
}

TEST(HardwareYaml, RejectsMissingUnit) {
  const auto d = yaml_errors("l1: 512\n");
  expect_one(d, 1, 5, {"l1", "missing unit", "`512 B`"});
  EXPECT_NE(d[0].hint.find("KiB"), std::string::npos);
  expect_one(yaml_errors("noc: {bandwidth: 64}\n"), 1, 18, {"noc.bandwidth", "`64 elem/cycle`"});
  expect_one(yaml_errors("offchip:\n  latency: 100\n"), 2, 12, {"offchip.latency", "missing"});
  expect_one(yaml_errors("energy:\n  mac: 0.2\n"), 2, 8, {"energy.mac", "`0.2 pJ`"});
}

TEST(HardwareYaml, RejectsWrongUnit) {
  expect_one(yaml_errors("l1: 5 cycles\n"), 1, 5, {"l1", "'cycles'", "B, KB, KiB, MB, MiB"});
  expect_one(yaml_errors("pes: 256 PEs\n"), 1, 6, {"pes", "without unit"});
  expect_one(yaml_errors("energy: {mac: 1 nJ}\n"), 1, 15, {"energy.mac", "'nJ'", "pJ"});
}

TEST(HardwareYaml, RejectsNegativeSize) {
  expect_one(yaml_errors("l2: -5 KiB\n"), 1, 5, {"l2", "positive", "-5 KiB"});
  expect_one(yaml_errors("pes: 0\n"), 1, 6, {"pes", "positive"});
  expect_one(yaml_errors("noc: {bandwidth: 0 elem/cycle}\n"), 1, 18, {"noc.bandwidth"});
  expect_one(yaml_errors("energy: {dram_read: -1 pJ}\n"), 1, 21, {"dram_read", "non-negative"});
}

TEST(HardwareYaml, AcceptsZeroLatencyAndEnergy) {
  const auto hw = parse_hardware_yaml("offchip: {latency: 0 cycles}\nenergy: {mac: 0 pJ}", "hw.in");
  EXPECT_EQ(std::make_pair(hw.dram_latency_cycles, hw.energy.mac_pj),
            std::make_pair(int64_t{0}, 0.0));
}

TEST(HardwareYaml, RejectsNonInteger) {
  expect_one(yaml_errors("pes: 2.5\n"), 1, 6, {"pes", "not whole"});
  expect_one(yaml_errors("l1: 1.5 KiB\n"), 1, 5, {"l1", "not whole"});
  expect_one(yaml_errors("pes: 99999999999999999999\n"), 1, 6, {"pes", "too large"});
  expect_one(yaml_errors("l2: 9000000000000000 MiB\n"), 1, 5, {"l2", "too large"});
}

TEST(HardwareYaml, RejectsUnknownTopology) {
  const auto d = yaml_errors("noc:\n  topology: mseh\n");
  expect_one(d, 2, 13, {"'mseh'", "bus, crossbar, mesh, systolic, tree"});
  EXPECT_EQ(d[0].hint, "did you mean 'mesh'?");
}

TEST(HardwareYaml, RejectsATreeArityBelowTwo) {
  expect_one(yaml_errors("noc: {tree_arity: 1}\n"), 1, 19, {"noc.tree_arity", "at least 2"});
  expect_one(yaml_errors("noc: {tree_arity: 0}\n"), 1, 19, {"noc.tree_arity", "positive"});
  EXPECT_EQ(parse_hardware_yaml("noc: {tree_arity: 2}\n", "hw.in").noc.tree_arity, 2);
}

TEST(HardwareYaml, ReportsAllErrors) {
  const auto d = yaml_errors("pez: 4\nl1: 8 B\nnoc:\n  speed: 3\n");
  ASSERT_EQ(d.size(), 2u);
  expect_diag(d[0], 1, 1, {"unknown key 'pez'"});
  expect_diag(d[1], 4, 3, {"unknown key 'speed' in 'noc'"});
}

TEST(HardwareYaml, RejectsWrongNodeKinds) {
  const auto d = yaml_errors("pes: [1, 2]\nnoc: 5\nl1:\nenergy: {mac: {x: 1}}\nname: [a]\n");
  ASSERT_EQ(d.size(), 5u);
  expect_diag(d[0], 1, 6, {"pes: expected a positive integer, got a sequence"});
  expect_diag(d[1], 2, 6, {"'noc': expected a mapping"});
  expect_diag(d[2], 3, 1, {"l1: expected a size", "got nothing"});  // empty value: at its key
  expect_diag(d[3], 4, 15, {"energy.mac", "got a mapping"});
  expect_diag(d[4], 5, 7, {"name"});
  expect_one(yaml_errors("noc: {multicast: maybe}\n"), 1, 18, {"noc.multicast", "true or false"});
}

TEST(HardwareYaml, RejectsDuplicateKey) {
  expect_one(yaml_errors("pes: 4\nl1: 8 B\npes: 8\n"), 3, 1, {"duplicate", "'pes'", "line 1"});
}

TEST(HardwareYaml, RejectsNonMapping) {
  expect_one(yaml_errors("- pes\n- 4\n"), 1, 1, {"expected a mapping"});
  expect_one(yaml_errors(""), 1, 1, {"empty"});
  expect_one(yaml_errors("pes: 4\n---\npes: 5\n"), 2, 1, {"more than one"});
  expect_one(yaml_errors("# c\n  , x\n"), 2, 3, {"expected a YAML mapping"});  // LoadAll hangs
}

TEST(HardwareYaml, ReportsSyntaxErrorWithLocation) {
  expect_one(yaml_errors("pes: 4\nnoc: [1,\n"), 3, 1, {"YAML syntax error"});
}

TEST(HardwareYaml, NeverCrashesOnOddInputs) {
  // clang-format off
  std::vector<std::string> odd = {"~", "[", "}", "\t", "a", "? [a]\n: 1", "pes: !!binary x",
                                  "&a [*a]", "\x01\xff\xfe", "energy: {mac: inf pJ}", "l1: .5 B",
                                  "l1: - B", "pes: +", "noc: {multicast: [1]}"};
  // clang-format on
  odd.push_back(std::string(5000, '['));  // deeper than yaml-cpp's recursion guard
  for (const auto& text : odd) {
    try {
      parse_hardware_yaml(text, "hw.in");
    } catch (const InputError& e) {
      ASSERT_FALSE(e.diagnostics().empty()) << text;
      EXPECT_FALSE(e.diagnostics()[0].message.empty()) << text;
    }
  }
}

TEST(HardwareMaestro, ReadsAccelerator1) {
  const HardwareSpec hw =
      load_hardware(std::string(BATON_REFERENCE_DIR) + "/maestro/inputs/hw/accelerator_1.m");
  // DESIGN.md §3: word 1 B, 1 lane, bus with multicast + reduction, hop latency 1 (absent),
  // L2 ports unlimited, DRAM latency 0, default energies.
  // clang-format off
  const HardwareSpec want{"accelerator_1", "", "", 256, 1, 1, 100, 3000, std::nullopt,
                          std::nullopt, NocSpec{"bus", 1000, 1, 8, true, true}, 50, 0,
                          EnergyTable{}, AreaPowerTable{}};
  // clang-format on
  EXPECT_EQ(fields(hw), fields(want));
  EXPECT_EQ(hw.format, "maestro");
}

TEST(HardwareMaestro, AbsentKeysAreUnlimited) {
  const HardwareSpec hw = parse_hardware_maestro(
      "// comment line\nnum_pes, 16; // PEs\n\r\nNoC_NumHops(0)\n", "x/hw.m");
  EXPECT_EQ(hw.pes, 16);
  EXPECT_EQ(hw.noc.hop_latency_cycles, 0);
  EXPECT_FALSE(hw.l1_bytes || hw.l2_bytes || hw.noc.bandwidth_elems_per_cycle ||
               hw.offchip_bw_elems_per_cycle);
  EXPECT_EQ(hw.name, "hw");
}

TEST(HardwareMaestro, MissingNumPesIsError) {
  const auto d = maestro_errors("l1_size_cstr: 100\n");
  expect_one(d, 0, 0, {"num_pes"});
  EXPECT_NE(d[0].hint.find("1 PE"), std::string::npos);
}

TEST(HardwareMaestro, UnknownKeyIsError) {
  const auto d = maestro_errors("num_pes: 4\n  l3_size_cstr: 10\n");
  expect_one(d, 2, 3, {"'l3_size_cstr'", "num_pes, l1_size_cstr"});
  const auto cased = maestro_errors("num_pes: 4\nnoc_numhops: 2\n");
  expect_one(cased, 2, 1, {"'noc_numhops'"});
  EXPECT_NE(cased[0].hint.find("`NoC_NumHops`"), std::string::npos);
}

TEST(HardwareMaestro, BadValueIsError) {
  expect_one(maestro_errors("num_pes: 12abc\n"), 1, 10, {"num_pes", "'12abc'"});
  expect_one(maestro_errors("num_pes: 0\n"), 1, 10, {"num_pes", "positive"});
  expect_one(maestro_errors("num_pes: 4\nl1_size_cstr\n"), 2, 1, {"l1_size_cstr", "no value"});
  expect_one(maestro_errors("num_pes 4 num_pes 8\n"), 1, 11, {"duplicate", "num_pes"});
  EXPECT_EQ(maestro_errors("nm_pes: 4\nl2_size_cstr: -3\n").size(), 3u);  // + missing num_pes
}

TEST(Hardware, DefaultFileEqualsBuiltin) {
  const std::string path = std::string(BATON_SOURCE_DIR) + "/configs/default/accelerator.yaml";
  const HardwareSpec f = load_hardware(path);
  const HardwareSpec b = default_hardware();
  EXPECT_EQ(f.format, "yaml");
  EXPECT_EQ(f.source_file, path);
  EXPECT_EQ(b.format, "builtin");
  EXPECT_EQ(fields(f), fields(b));  // every field but source_file and format
  // The documented values (docs/HARDWARE.md), so the pair cannot drift together unnoticed.
  EXPECT_EQ(b.pes, 256);
  EXPECT_EQ(b.l2_bytes, 1 << 20);
}

TEST(Hardware, MissingFileIsError) {
  const std::string path = testing::TempDir() + "baton_hw_does_not_exist.yaml";
  try {
    load_hardware(path);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const Diagnostic& d = e.diagnostics()[0];
    EXPECT_EQ(d.loc.line, 0);
    EXPECT_EQ(d.message, "cannot open hardware file '" + path + "': No such file or directory");
    EXPECT_NE(d.hint.find("path"), std::string::npos);
  }
  EXPECT_THROW(load_hardware(testing::TempDir()), InputError);  // a directory
}

TEST(Hardware, ChoosesFormatByExtensionThenContent) {
  EXPECT_EQ(load_hardware(write_temp("a.yml", "pes: 3\n")).format, "yaml");
  EXPECT_EQ(load_hardware(write_temp("b.YAML", "num_pes: 3\n")).format, "maestro");
  EXPECT_EQ(load_hardware(write_temp("c.txt", "num_pes 3\n")).pes, 3);
  EXPECT_THROW(load_hardware(write_temp("d.m", "pes: 3\n")), InputError);
}

TEST(Hardware, DescribeHasUnitsAndUnlimited) {
  const std::string text = describe(default_hardware());
  for (const char* s : {"256 PEs", "L1: 512 B per PE", "L2: 1 MiB", "64 elem/cycle", "0 cycles",
                        "0.2 pJ", "40 pJ", "8 flits"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << " in\n" << text;
  }
  EXPECT_NE(describe(HardwareSpec{}).find("L1: unlimited"), std::string::npos);
}

}  // namespace
}  // namespace baton
