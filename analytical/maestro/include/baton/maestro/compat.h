// baton::maestro — a cost model that reproduces the MAESTRO tool's per-layer numbers
// (maestro-project/maestro 4eb08d1, APIV2 path; /work/shared/docs/MAESTRO-SEMANTICS.md).
//
// This is deliberately *not* baton's own model: it re-implements MAESTRO's case enumeration,
// reuse approximations and quirks (reset-reuse, per-step output write-back, off-chip term, ...)
// so that `baton analyze --cost-model maestro` can be compared row by row with MAESTRO's CSV.
// All sizes are in elements (MAESTRO has no data width), times in cycles.
#pragma once
#include <climits>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/mfile.h"

namespace baton::maestro {

// The hardware parameters MAESTRO's cost model reads (§1.4). INT_MAX means "not given".
struct MaestroHw {
  int64_t num_pes = 1;
  int64_t num_simd_lanes = 1;
  int64_t noc_bw = INT_MAX;          // elements/cycle, every NoC level
  int64_t noc_hop_latency = 1;       // NoC head latency of every level (NoC_NumHops)
  int64_t offchip_bw = INT_MAX;      // elements/cycle, top level only
  int64_t l1_size = INT_MAX;         // per PE, elements (warnings only in MAESTRO)
  int64_t l2_size = INT_MAX;         // shared, elements (warnings only in MAESTRO)
};

// From a hardware spec read from a MAESTRO hardware file (nullopt limits become INT_MAX;
// l1/l2 bytes are elements because MAESTRO files have word_bytes 1).
MaestroHw maestro_hw_from_spec(const HardwareSpec& hw);

// Access counters of one tensor as MAESTRO reports them (§3.9).
struct TensorCounters {
  int64_t l1_read = 0;
  int64_t l1_write = 0;
  int64_t l2_read = 0;
  int64_t l2_write = 0;
  // l1 read / l1 write (MAESTRO's "reuse factor"); 0 if there are no l1 writes.
  double reuse_factor() const;
};

// Delay statistics over the top-level cases (cycles); avg is occurrence weighted, truncated.
struct DelayStats {
  int64_t min = 0;
  int64_t max = 0;
  int64_t avg = 0;
};

// One layer's MAESTRO-compatible results (the top cluster level unless noted).
struct LayerResult {
  std::string layer_name;
  int64_t num_pes = 0;               // configured PEs (CSV column 3)
  int64_t num_simd_lanes = 1;
  int64_t noc_bw = 0;                // configured NoC bandwidth (area/power terms)
  // A multi-level dataflow whose inner level was analysed (MAESTRO's CSV energy bug, §3.12).
  bool inner_level_analysed = false;
  int64_t valid_case_occurrences = 0;  // top-level steps analysed; 0 → MAESTRO prints nan / garbage
  int64_t runtime = 0;               // cycles
  int64_t num_macs = 0;              // the model's MAC count (§3.5)
  TensorCounters input, filter, output;
  int64_t l2_size_req = 0;           // elements, top level, double-buffered (§3.8)
  int64_t l1_size_req = 0;           // elements, innermost level, double-buffered (§3.8)
  int64_t peak_bw_req = 0;           // = NoC BW Req (§3.10)
  double avg_bw_req = 0;
  int64_t offchip_bw_req = 0;
  double avg_utilized_pes = 0;       // §3.11
  double arithmetic_intensity = 0;   // MACs / ingress of the last case analysed
  int64_t input_pixels = 0;          // product of the input tensor's declared dims
  int64_t weight_pixels = 0;
  DelayStats ingress_delay, egress_delay, compute_delay;
};

// Analyses one layer exactly as MAESTRO does with the given dataflow. Throws InputError for
// the mappings MAESTRO rejects or crashes on (no / too many SpatialMaps in a level, unknown
// dimension, Cluster product > num_pes, a sub-cluster with no valid case → MAESTRO SIGFPE).
LayerResult maestro_analyze(const LayerDecl& layer, const DataflowDecl& dataflow,
                            const MaestroHw& hw);

// The 52-column header line MAESTRO writes (verbatim, without a newline), plus our 53rd column
// ", Recomputed Energy (nJ)".
std::string maestro_csv_header();

// Energy in nJ recomputed from this row's own counters with the CSV column's formula
// (0.00023 × [18.61·(I rd+wr, W rd+wr, O wr) + 1.68·Σ L1]).
double recomputed_energy_nj(const LayerResult& r);

// Writes the header and one row per layer (file order) in MAESTRO's format. Column 5
// reproduces MAESTRO's energy bug (Cluster layers use the previous row's L1 sum, §3.12);
// column 53 is recomputed_energy_nj().
void write_maestro_csv(std::ostream& os, const std::string& network_name,
                       const std::vector<LayerResult>& layers);

}  // namespace baton::maestro
