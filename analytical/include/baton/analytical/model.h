// baton::analytical — the closed-form analytical model (DESIGN.md §4, docs/ANALYTICAL.md).
//
// analyze() evaluates one compiled layer on one hardware without walking steps. Its counts are
// exact: property tests compare them with the brute-force reference counter.
#pragma once

#include "baton/analytical/cost.h"
#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"

namespace baton {

LayerCost analyze(const Schedule& schedule, const HardwareSpec& hw);

}  // namespace baton
