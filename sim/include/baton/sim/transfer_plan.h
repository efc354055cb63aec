// baton::sim — the transfer plan: what the simulator's NoC and memories carry at each global step.
//
// For every global step the planner yields the packets of DIRECTIVES.md rules 9–11: operand fills
// and partial-sum read-backs for the step (distribution NoC, L2 → PEs) and the partial-sum
// write-backs leaving the PEs at the boundary into the step (collection NoC, PEs → L2). A packet
// is a set of tensor elements with the set of PEs it goes to (or comes from): with multicast one
// packet per distinct destination set, with in-network reduction one packet per distinct source
// set; otherwise one packet per PE. The simulator counts traffic from these packets, never from
// the analytical model; tests check that the totals equal the reference counter's.
// Element ids: row-major over the tensor's coordinates (window coordinates as input rows).
//
// Speed (docs/SIMULATOR.md "Transfer planner"): PE tiles are walked factored per dimension, and a
// step whose tiles and held tiles are a translate of an earlier step's reuses that step's plan
// (element ids shifted); only read-backs (which depend on what is in L2) are filtered per
// element. Element lists are materialised only with PlanOptions::elements (functional mode, tests).
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
  std::vector<int64_t> elements;  // sorted element ids (only with PlanOptions::elements)
  std::vector<int32_t> pes;       // destinations (fills, read-backs) or sources (write-backs)
  int64_t count = 0;              // number of elements (always set)
  int64_t first = -1;             // smallest element id (always set; −1 when empty)
};

// MACs per PE of a step; steps with the same per-PE MACs share one profile (same id).
struct ComputeProfile {
  int64_t id = 0;
  std::vector<int64_t> pe_macs;  // by PE id
  int64_t busiest = 0;           // max over PEs
  int64_t active = 0;            // PEs with at least one MAC
  int64_t macs = 0;              // Σ over PEs
};

struct StepPlan {
  int64_t step = 0;
  int64_t top_step = 0;
  bool final_drain = false;               // the write-back after the last step (no compute)
  std::vector<Packet> distribution;       // fills and read-backs for this step
  std::vector<Packet> collection;         // write-backs at the boundary into this step
  std::shared_ptr<const ComputeProfile> compute;  // null on the final drain
  int64_t max_pe_tile_elements = 0;       // largest Σ over tensors of a PE's tile (L1 need)
  int64_t collection_distinct = 0;        // distinct elements over the collection packets
  // A read-back of this step returns an element written back at the boundary into the previous
  // step (rule 13's read after write, seen from the previous slot).
  bool reads_previous_writes = false;
  std::vector<int64_t> pe_macs;           // MACs per PE (only with PlanOptions::elements)
  std::vector<PeTile> tiles;              // every PE's tile (only with PlanOptions::elements)
};

struct PlanOptions {
  bool elements = true;  // materialise element lists, per-PE MACs and tiles
  bool reuse = true;     // reuse the plan of an earlier step with translated tiles (tests: off)
};

class TransferPlanner {
 public:
  TransferPlanner(const Schedule& schedule, const HardwareSpec& hw, PlanOptions options = {});
  ~TransferPlanner();
  TransferPlanner(const TransferPlanner&) = delete;
  TransferPlanner& operator=(const TransferPlanner&) = delete;

  // Fills `out` with the next step (and finally the drain); returns false when done. Reusing
  // one StepPlan object across calls keeps its buffers.
  bool next(StepPlan& out);
  int64_t computed_steps() const;  // steps planned from element sets (the others were reused)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
