// baton::dataflow — the immutable hardware description both engines read (DESIGN.md §3).
//
// Loaded from a native YAML file (units required: `l1: 512 B`, `bandwidth: 64 elem/cycle`) or
// from a MAESTRO hardware file (`num_pes: 256` ...). Unknown keys, missing units, negative sizes
// are located InputErrors. std::nullopt means "unlimited / not limiting".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/diagnostic.h"

namespace baton {

// Per-action energies in pJ (DIRECTIVES.md rule 14). Defaults and their sources are documented in
// configs/default/accelerator.yaml and docs/HARDWARE.md.
struct EnergyTable {
  double mac_pj = 0.2;
  double l1_read_pj = 0.2;
  double l1_write_pj = 0.2;
  double l2_read_pj = 1.2;
  double l2_write_pj = 1.2;
  double noc_hop_pj = 0.4;
  double dram_read_pj = 40.0;
  double dram_write_pj = 40.0;
};

// Area and power coefficients for design-space exploration (dse/; defaults and their sources in
// configs/default/accelerator.yaml and docs/HARDWARE.md "Area and power").
struct AreaPowerTable {
  double mac_um2 = 318;               // one SIMD lane (8-bit multiplier + adder, 45 nm)
  double pe_overhead_um2 = 500;       // per PE: control, operand registers
  double l1_um2_per_byte = 10;        // per-PE scratchpad
  double l2_um2_per_byte = 4.6;       // shared SRAM
  double noc_um2_per_link_lane = 200; // per link per elem/cycle of bandwidth
  double leakage_mw_per_mm2 = 20;     // static power
  double clock_mhz = 1000;            // converts cycles to time for power
};

struct NocSpec {
  std::string topology = "bus";  // bus | crossbar | tree | mesh | systolic (validated by noc/)
  std::optional<int64_t> bandwidth_elems_per_cycle;  // per link; nullopt = unlimited
  int64_t hop_latency_cycles = 1;
  int64_t buffer_depth_flits = 8;
  bool multicast = true;
  bool reduction = true;  // in-network reduction on the collection NoC
  int64_t tree_arity = 4;  // children per switch of the `tree` topology (>= 2; docs/NOC.md)
};

struct HardwareSpec {
  std::string name = "accelerator";
  std::string source_file;  // where it was read from ("" = built-in)
  std::string format;       // "yaml" | "maestro" | "builtin"
  int64_t pes = 256;
  int64_t simd_lanes = 1;
  int64_t word_bytes = 1;
  std::optional<int64_t> l1_bytes;  // per PE; nullopt = unlimited
  std::optional<int64_t> l2_bytes;  // shared; nullopt = unlimited
  std::optional<int64_t> l2_read_elems_per_cycle;   // L2 read ports; nullopt = not limiting
  std::optional<int64_t> l2_write_elems_per_cycle;  // L2 write ports; nullopt = not limiting
  NocSpec noc;
  std::optional<int64_t> offchip_bw_elems_per_cycle;  // nullopt = unlimited
  int64_t dram_latency_cycles = 0;
  EnergyTable energy;
  AreaPowerTable area_power;
};

// Reads a native YAML (.yaml/.yml) or MAESTRO (.m or anything else) hardware file; the format is
// chosen by extension, then by content: a .yaml/.yml file that is a mapping whose keys are all
// MAESTRO keys is also read as MAESTRO. Throws InputError with every problem found
// (file:line:col); an unreadable file is an InputError naming the path and the OS reason.
HardwareSpec load_hardware(const std::string& path);

// The NoC topology names a hardware description may give (sorted; noc/ implements each one,
// tests/sim/topology_test.cpp keeps the two lists equal).
const std::vector<std::string>& noc_topology_names();

// Parses YAML text (path is used for messages only).
HardwareSpec parse_hardware_yaml(const std::string& text, const std::string& path);

// Parses MAESTRO hardware-file text (keys num_pes, l1_size_cstr, l2_size_cstr, noc_bw_cstr,
// offchip_bw_cstr, NoC_NumHops) with DESIGN.md §3's defaults; a missing num_pes is an error.
// path is used for messages and source_file; name is its stem (MAESTRO files have no name).
HardwareSpec parse_hardware_maestro(const std::string& text, const std::string& path);

// A quantity written as text in a hardware file or an option: "<n> <unit>", or "unlimited" where
// the kind allows it. Units: kBytes B, KB = KiB = 1024 B, MB = MiB = 1024² B; kElemsPerCycle
// elem/cycle (elems/cycle); kCycles cycle(s); kFlits flit(s); kPicojoules pJ; kCount none;
// kArea um2, mm2 (base um2); kPower mW, W (base mW); kFrequency MHz, GHz (base MHz).
// Bounds: kCycles, kPicojoules, kArea and kPower >= 0, everything else > 0; kPicojoules, kArea,
// kPower and kFrequency are reals, the rest integers; only kBytes and kElemsPerCycle accept
// "unlimited".
enum class QuantityKind {
  kBytes, kElemsPerCycle, kCycles, kFlits, kPicojoules, kCount, kArea, kPower, kFrequency
};

struct Quantity {
  bool unlimited = false;
  int64_t whole = 0;  // in the base unit (bytes, elements/cycle, cycles, flits, count); 0 for pJ
  double real = 0;    // the same value as a real (the value itself for kPicojoules)
};

// Parses `text` as a quantity of `kind`. On a problem returns nullopt and sets *error to what is
// wrong (e.g. "missing unit; write `512 B`") and *hint to the fix or "". Never throws.
std::optional<Quantity> parse_quantity(const std::string& text, QuantityKind kind,
                                       std::string* error, std::string* hint);

// The built-in default accelerator (identical to configs/default/accelerator.yaml).
HardwareSpec default_hardware();

// Human-readable one-line-per-field description (for `baton schedule` / reports).
std::string describe(const HardwareSpec& hw);

}  // namespace baton
