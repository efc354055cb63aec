// baton::analytical — the closed-form analytical model (DESIGN.md §4, docs/ANALYTICAL.md).
//
// analyze() evaluates one compiled layer on one hardware without walking steps. Its counts are
// exact: property tests compare them with the brute-force reference counter.
#pragma once

#include "baton/analytical/cost.h"
#include "baton/analytical/profile.h"
#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"

namespace baton {

LayerCost analyze(const Schedule& schedule, const HardwareSpec& hw);
// The same, also recording the runtime profile (profile.h) when profile is not null. Record with
// hw.simd_lanes = 1 to re-evaluate the runtime for any SIMD width.
LayerCost analyze(const Schedule& schedule, const HardwareSpec& hw, RuntimeProfile* profile);

}  // namespace baton
