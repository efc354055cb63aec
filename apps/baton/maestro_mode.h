// apps/baton — `--cost-model maestro`: MAESTRO-compatible analysis and its CSV (issue #7), and
// MAESTRO's command-line hardware options (`--num_pes=256` …) for every analysis.
#pragma once

#include <string>

#include "cli.h"

namespace baton::cli {

struct MaestroHwOptions {
  int64_t num_pes = 0, num_simd_lanes = 0, noc_bw_cstr = 0, noc_hops = 0,
          noc_hop_latency = -1, offchip_bw_cstr = 0, l1_size_cstr = 0, l2_size_cstr = 0;
};
void add_maestro_hw_options(po::options_description& desc, MaestroHwOptions& m);
// Overrides the hardware read with --hw by the options given (MAESTRO: latency = hops × hop
// latency when either is given).
void apply_maestro_hw_options(const MaestroHwOptions& m, HardwareSpec& hw);

// Runs the MAESTRO-compatible model over the mapping; writes MAESTRO's CSV to `csv` if given.
int analyze_maestro(const CommonOptions& o, const HardwareSpec& hw, const std::string& csv);

}  // namespace baton::cli
