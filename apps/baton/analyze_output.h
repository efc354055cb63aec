// apps/baton — `baton analyze` output: CSV (contract column names, docs/OUTPUTS.md), JSON and the
// human summary. Numbers are formatted deterministically (fixed decimals, no locale).
#pragma once

#include <string>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/dataflow/hardware.h"
#include "baton/dataflow/network.h"

namespace baton::cli {

struct LayerRow {
  const CompiledLayer* layer;
  LayerCost cost;
  std::vector<std::pair<std::string, std::string>> extra;  // further columns (name, number)
};

// Applies the hardware fit checks (L1/L2 capacity, zero bandwidth) on top of the schedule's.
void apply_fit(LayerCost& c, const HardwareSpec& hw);

std::string analyze_csv(const std::vector<LayerRow>& rows);
std::string analyze_json(const std::vector<LayerRow>& rows, const CompiledNetwork& net,
                         const HardwareSpec& hw);
std::string analyze_summary(const std::vector<LayerRow>& rows, const CompiledNetwork& net,
                            const HardwareSpec& hw);
std::string fixed(double v, int decimals);

}  // namespace baton::cli
