// baton::sim — functional mode: tensors hold deterministic pseudo-random integers, packets carry
// their values, PEs compute real MACs on what they hold in L1, partial sums are reduced / written
// back / read back exactly as the transfer plan moves them (a read-back seeds one PE of the
// receiving group, the others start at zero; write-backs overwrite L2 with the reduced value,
// or read-modify-write it when the collection NoC does not reduce). At the end the output tensor
// is compared with a direct computation of the layer; a mismatch names the first element.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "baton/sim/transfer_plan.h"

namespace baton {

// Value of element `id` of an input or weight tensor (deterministic, small, may be negative).
int64_t tensor_value(Tensor t, int64_t id);

// The layer's output computed directly (Σ over all MAC points; POOL sums its window).
std::vector<int64_t> reference_output(const LayerSpec& layer);

class FunctionalModel {
 public:
  explicit FunctionalModel(const Schedule& s);
  // Apply one step of the plan: write-backs, fills / read-backs, then the PEs' MACs.
  void apply(const StepPlan& step, bool reduction);
  // First mismatch against reference_output(), or nullopt when the output is exact.
  std::optional<std::string> check() const;
  // Fault injection for tests: add `delta` to the next fill value delivered.
  void corrupt_next_fill(int64_t delta) { corrupt_ = delta; }

 private:
  void write_back(const Packet& p, bool reduction, std::unordered_map<int64_t, int>& written);
  const Schedule& s_;
  std::vector<int64_t> l2_out_;
  std::vector<std::array<std::unordered_map<int64_t, int64_t>, 3>> l1_;  // per PE
  std::optional<int64_t> corrupt_;
};

}  // namespace baton
