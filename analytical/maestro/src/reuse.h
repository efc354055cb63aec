// Per-case traffic of one cluster level: MAESTRO's ReuseAnalysis (CA_reuse-analysis.hpp),
// i.e. ingress with temporal/spatial reuse, egress, MACs and sub-cluster tile sizes
// (MAESTRO-SEMANTICS.md §3.2–§3.5). Tile tables use the level's *nominal* dims (§5.2 item 9).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "model.h"

namespace baton::maestro::detail {

enum class Pos { kInit, kSteady, kEdge };

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
  Reuse(const Level& lv, const LayerInfo& info);

  // Binds the case: states[i] is the state of lv.df[i].
  void set_case(const std::vector<State>& states);

  int64_t spatial_ingress(TensorId t) const;           // L2 → units, one step
  int64_t spatial_egress() const;                      // units → L2, one step
  int64_t critical_psums() const;                      // MACs of the first unit
  int64_t output_spatial_size(bool for_psum) const;    // MACs over all units (for_psum)
  int64_t mapped_volume(TensorId t) const;             // one unit's tile
  DimTable sub_dims(bool sp_edge_edge) const;          // dims of the sub-cluster
  // The state of a dimension (the last directive on it wins, as in MAESTRO's map).
  const State& state(const std::string& dim) const;
  bool all_init() const;

 private:
  const std::vector<std::string>& vars(TensorId t) const;
  bool coupled(TensorId t, const std::string& dim) const;
  int64_t pe_mapped(TensorId t, bool first, bool ee) const;
  int64_t pe_ingress(TensorId t, bool first, bool ee) const;
  int64_t pe_egress(bool psums, bool first, bool ee, bool reuse_at_edge = true) const;
  struct SpInfo {
    bool mapped = false;
    bool edge = false;
    const State* st = nullptr;
  };
  SpInfo sp_info(TensorId t, bool all_spatial) const;
  int64_t tab(const std::map<std::string, int64_t>& m, const std::string& k) const;

  const Level& lv_;
  const LayerInfo& info_;
  std::map<std::string, int64_t> m_, u_, me_, ue_;  // mapped, unique, mapped edge, unique edge
  std::map<std::string, int> last_;                 // dim → last directive index
  const std::vector<State>* st_ = nullptr;
};

}  // namespace baton::maestro::detail
