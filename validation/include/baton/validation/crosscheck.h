// baton::validation — the cross-check of the analytical model against the simulator and the
// discrepancy report (DESIGN.md §6): per layer the two runtimes and their difference, every
// traffic count both ways (they must be equal), and where the simulated time went.
#pragma once

#include <string>
#include <vector>

#include "baton/analytical/cost.h"
#include "baton/sim/simulator.h"

namespace baton {

struct LayerCheck {
  std::string layer;
  int layer_index = 0;
  LayerCost analytical;
  SimLayerResult simulated;
  double runtime_diff_pct = 0;          // (simulated − analytical) / analytical × 100
  std::vector<std::string> mismatches;  // traffic counters that differ ("input_l2_reads", …)
  bool traffic_match() const { return mismatches.empty(); }
};

// Fills runtime_diff_pct and mismatches from the two results.
void compare(LayerCheck& check);

struct CheckReport {
  std::string network, mapping, hardware;
  std::vector<LayerCheck> layers;
  double max_abs_diff_pct() const;
  bool all_traffic_match() const;
};

std::string discrepancy_csv(const CheckReport& r);
std::string discrepancy_json(const CheckReport& r);
std::string discrepancy_markdown(const CheckReport& r);

}  // namespace baton
