// apps/baton — `baton dse --recheck K`: the top K designs simulated layer by layer.
#pragma once

#include <string>

#include "baton/dse/dse.h"

namespace baton::cli {

// CSV (docs/DSE.md "recheck.csv"): the top k designs of the objective that differ in something
// the simulator's timing depends on (PEs, SIMD lanes, NoC bandwidth and topology, off-chip
// bandwidth — not the L1/L2 sizes), each with its analytical and simulated rank, runtime and
// energy. Simulates each chosen (layer, mapping) on the design's hardware.
std::string recheck_designs(dse::Explorer& ex, const dse::DseResult& r, dse::Objective objective,
                            int k, bool quiet);

}  // namespace baton::cli
