// Per-case traffic of one cluster level: MAESTRO's ReuseAnalysis (CA_reuse-analysis.hpp),
// i.e. ingress with temporal/spatial reuse, egress, MACs and sub-cluster tile sizes
// (MAESTRO-SEMANTICS.md §3.2–§3.5). Tile tables use the level's *nominal* dims (§5.2 item 9)
// and are built once per level (build_tiles); a Reuse only binds one case's states to them.
#pragma once
#include "model.h"

namespace baton::maestro::detail {

enum class Pos : uint8_t { kInit, kSteady, kEdge };

// The state of one directive in one case (DFA::IterationState).
struct State {
  Pos pos = Pos::kInit;
  int64_t occ = 1;
  bool unrolled = false;
  bool init_edge = false;
  bool sp_edge_edge = false;
  bool is_edge() const { return pos == Pos::kEdge || init_edge; }
};

enum class TensorId { kInput = 0, kWeight = 1, kOutput = 2 };

class Reuse {
 public:
  // Binds the case: states[i] is the state of lv.df[i].
  Reuse(const Level& lv, const LayerInfo& info, const State* states);

  int64_t spatial_ingress(TensorId t) const;           // L2 → units, one step
  int64_t spatial_egress() const;                      // units → L2, one step
  int64_t critical_psums() const;                      // MACs of the first unit
  int64_t output_spatial_size(bool for_psum) const;    // MACs over all units (for_psum)
  int64_t mapped_volume(TensorId t) const;             // one unit's tile
  DimTable sub_dims(bool sp_edge_edge) const;          // dims of the sub-cluster
  // The state of directive i's dimension (the last directive on it wins, as in MAESTRO's map).
  const State& state_at(int i) const { return st_[lv_.df[i].last]; }
  bool all_init() const { return ch_ < 0; }

 private:
  bool coupled(TensorId t, int dim) const {
    return (info_.mask[static_cast<int>(t)] & bit(dim)) != 0;
  }
  int64_t pe_mapped(TensorId t, bool first, bool ee) const;
  int64_t pe_ingress(TensorId t, bool first, bool ee) const;
  int64_t pe_egress(bool psums, bool first, bool ee, bool reuse_at_edge = true) const;
  struct SpInfo {
    bool mapped = false;
    bool edge = false;
    const State* st = nullptr;
  };
  SpInfo sp_info(TensorId t, bool all_spatial) const;

  const Level& lv_;
  const Tiles& tb_;
  const LayerInfo& info_;
  const State* st_;
  int ch_ = -1;  // innermost directive whose dimension is not at Init, -1 if none
};

}  // namespace baton::maestro::detail
