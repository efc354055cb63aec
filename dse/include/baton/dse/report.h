// baton::dse — output files of an exploration (schema: docs/DSE.md "Outputs").
#pragma once

#include <string>
#include <vector>

#include "baton/dse/dse.h"

namespace baton::dse {

// One row per design: index, the hardware parameters (with units in the names), runtime_cycles,
// energy_pj, area_mm2, power_mw, edp_pj_cycles.
std::string designs_csv(const DesignSpace& s, const std::vector<Design>& designs);
// Counts, invalid by reason, the best design per objective (with per-layer choices), both fronts
// and timing.
std::string summary_json(Explorer& ex, const DseResult& r, const Fronts& fronts,
                         Objective objective, int threads, int ranks);
// Scatter of runtime × energy (log–log) of all valid designs (at most 20,000 drawn, evenly
// sampled by index), the runtime × energy front highlighted.
std::string scatter_svg(const std::vector<Design>& designs, const std::vector<Design>& front,
                        const std::string& title);
// A human summary for stdout.
std::string summary_text(Explorer& ex, const DseResult& r, const Fronts& fronts,
                         Objective objective);

}  // namespace baton::dse
