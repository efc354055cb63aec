// baton::sim — the transfer plan: what the simulator's NoC and memories carry at each global step.
//
// For every global step the planner yields the packets of DIRECTIVES.md rules 9–11: operand fills
// and partial-sum read-backs for the step (distribution NoC, L2 → PEs) and the partial-sum
// write-backs leaving the PEs at the boundary into the step (collection NoC, PEs → L2). A packet
// is a list of tensor elements with the set of PEs it goes to (or comes from): with multicast one
// packet per distinct destination set, with in-network reduction one packet per distinct source
// set; otherwise one packet per PE. The simulator counts traffic from these packets, never from
// the analytical model; tests check that the totals equal the reference counter's.
// Element ids: row-major over the tensor's coordinates (window coordinates as input rows).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/schedule.h"
#include "baton/dataflow/step_walker.h"

namespace baton {

enum class PacketKind : uint8_t { kFill, kReadBack, kWriteBack };

struct Packet {
  PacketKind kind = PacketKind::kFill;
  Tensor tensor = Tensor::kInput;
  std::vector<int64_t> elements;  // sorted element ids
  std::vector<int32_t> pes;       // destinations (fills, read-backs) or sources (write-backs)
};

struct StepPlan {
  int64_t step = 0;
  int64_t top_step = 0;
  bool final_drain = false;               // the write-back after the last step (no compute)
  std::vector<Packet> distribution;       // fills and read-backs for this step
  std::vector<Packet> collection;         // write-backs at the boundary into this step
  std::vector<int64_t> pe_macs;           // MACs per PE in this step
  int64_t max_pe_tile_elements = 0;       // largest Σ over tensors of a PE's tile (L1 need)
  std::vector<PeTile> tiles;              // every PE's tile (idle PEs: empty ranges)
};

class TransferPlanner {
 public:
  TransferPlanner(const Schedule& schedule, const HardwareSpec& hw);
  ~TransferPlanner();
  TransferPlanner(const TransferPlanner&) = delete;
  TransferPlanner& operator=(const TransferPlanner&) = delete;

  // Fills `out` with the next step (and finally the drain); returns false when done.
  bool next(StepPlan& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
