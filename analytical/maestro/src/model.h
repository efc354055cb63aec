// Internal data model of the MAESTRO-compatible engine: per-level dataflows and dimension tables
// as MAESTRO builds them (DFA_cluster-analysis), and the per-level analysis entry point.
//
// Dimension names are small integer ids (one layer at a time): MAESTRO's names have fixed ids,
// any other declared name gets the next free one. Tables indexed by id replace MAESTRO's
// name-keyed maps; "missing name reads 0" holds because absent entries stay 0.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "baton/maestro/compat.h"

namespace baton::maestro::detail {

constexpr int kMaxDims = 32;
using DimMask = uint32_t;
// Fixed ids; kYo / kXo are Y' / X'.
enum : int { kN, kG, kK, kC, kM, kR, kS, kY, kX, kYo, kXo, kFirstOtherDim };
inline DimMask bit(int id) { return DimMask{1} << id; }

// The id of one of MAESTRO's dimension names (N G K C M R S Y X Y' X'), or -1.
int fixed_dim_id(const std::string& name);

// Names of the ids ≥ kFirstOtherDim of one layer.
struct OtherDims {
  std::vector<std::string> names;
  int find(const std::string& name) const;  // any name → id, -1 if unknown
  int intern(const std::string& name);      // -1 if kMaxDims ids are in use
};

// A dimension table: id → size; the first entry of a name wins (MAESTRO keeps the first
// duplicate). Missing names read as 0.
struct DimTable {
  std::array<int64_t, kMaxDims> val{};
  DimMask present = 0;
  int64_t get(int id) const { return val[id]; }
  bool has(int id) const { return (present & bit(id)) != 0; }
  void add(int id, int64_t size) {
    if (has(id)) return;
    present |= bit(id);
    val[id] = size;
  }
  bool operator==(const DimTable& o) const { return present == o.present && val == o.val; }
};

// A tensor's coupled dimensions, in MAESTRO's order.
struct DimList {
  std::array<int8_t, 8> id{};
  int n = 0;
  void push(int d) { id[n++] = static_cast<int8_t>(d); }
  const int8_t* begin() const { return id.data(); }
  const int8_t* end() const { return id.data() + n; }
};

// Layer-wide facts: tensor couplings and the (Y,R), (X,S) sliding-window pairs.
struct LayerInfo {
  DimList vars[3];          // input, weight ("filter"), output (Y/X stand for Y'/X')
  DimMask mask[3] = {0, 0, 0};
  bool conv_like = true;    // has the (Y,R), (X,S) overlap pairs
  // The sliding partner of a reference dim (Y→R, X→S), -1 otherwise.
  int sliding_of(int dim) const {
    return !conv_like ? -1 : dim == kY ? kR : dim == kX ? kS : -1;
  }
  // The output-coordinate key of a dim (Y→Y', X→X' for conv layers, itself otherwise).
  int output_key(int dim) const {
    return sliding_of(dim) < 0 ? dim : dim == kY ? kYo : kXo;
  }
};

// One Temporal/SpatialMap directive after Sz()/constant resolution.
struct Dir {
  bool spatial = false;
  int64_t size = 1;
  int64_t ofs = 1;
  int dim = 0;
  int first = 0;  // index of the first directive on dim (MAESTRO's FindDirective)
  int last = 0;   // index of the last one (MAESTRO's per-name state map keeps the last)
};

// MAESTRO's per-level tile tables (§3.2): mapped, unique, mapped edge, unique edge, by id.
struct Tiles {
  std::array<int64_t, kMaxDims> m{}, u{}, me{}, ue{};
  DimMask m_keys = 0;  // names MAESTRO's mapped-size map holds (mapped_volume skips the others)
};

// One cluster level (0 = top) with its completed dataflow, unit count and nominal dims.
struct Level {
  std::vector<Dir> df;
  int64_t units = 1;       // sub-clusters (or PEs at the innermost level)
  DimTable dims;           // nominal dimension table (tile tables and edge-cluster counts)
  int64_t edge_units = 1;  // MAESTRO's num_spatial_edge_clusters_
  int first_spatial = -1;  // index of the first SpatialMap in df
  std::array<int, kMaxDims> first_of{};  // id → first directive index, -1 if none
  Tiles tiles;
};

struct LayerModel {
  LayerInfo info;
  DimTable top_dims;
  std::vector<Level> levels;
  DimMask declared = 0;  // dims declared in the file (pixel counts)
  OtherDims others;
};

// Builds the layer and its levels as MAESTRO's ClusterAnalysis does. Throws InputError.
LayerModel build_model(const LayerDecl& layer, const DataflowDecl& dataflow, const MaestroHw& hw);
// Fills lv.tiles from lv.df and lv.dims (AnalyzeInputMappingSizes / AnalyzeOutputMappingSizes).
void build_tiles(Level& lv, const LayerInfo& info);

// Result of analysing one level for one dimension table (AnalyzeClusterLevel_V2).
struct LevelResult {
  int64_t runtime = 0;
  int64_t macs = 0;
  int64_t l2_read[2] = {0, 0};     // input, weight: Σ occ × ingress
  int64_t out_write = 0;           // Σ occ × egress
  int64_t size_req_up[3] = {0, 0, 0};    // input, weight, output (2 × case-0 traffic)
  int64_t size_req_down[3] = {0, 0, 0};  // 2 × mapped tile volume
  int64_t tensor_size[3] = {0, 0, 0};    // I, W sizes; O size with Y−R+1
  int64_t peak_bw = 0;
  double avg_bw = 0;
  int64_t offchip_bw = 0;
  double avg_active = 0;
  double arithmetic_intensity = 0;
  DelayStats delay[3];  // ingress, egress, compute
  int64_t occurrences = 0;  // Σ occ over the valid cases
};

// One layer's analysis: the top level and, recursively, the sub-cluster levels. A sub-level's
// result depends only on its dimension table, so each distinct (level, table) is analysed once
// per evaluation (nothing is kept between evaluations).
class Evaluation {
 public:
  Evaluation(const LayerModel& m, const MaestroHw& hw) : m_(m), hw_(hw) {}
  LevelResult analyze(size_t idx, const DimTable& dims);
  // The first analysis completed (MAESTRO's first result vector entry: its L1 report).
  const LevelResult& first_completed() const { return first_; }
  // Whether any sub-cluster level was analysed.
  bool sub_analysed() const { return sub_calls_ > 0; }

 private:
  LevelResult compute(size_t idx, const DimTable& dims);
  struct Memo {
    size_t idx;
    DimTable dims;
    LevelResult result;
  };
  const LayerModel& m_;
  const MaestroHw& hw_;
  std::vector<Memo> memo_;
  LevelResult first_;
  bool have_first_ = false;
  int64_t sub_calls_ = 0;
};

}  // namespace baton::maestro::detail
