// Internal data model of the MAESTRO-compatible engine: per-level dataflows and dimension tables
// as MAESTRO builds them (DFA_cluster-analysis), and the per-level analysis entry point.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "baton/maestro/compat.h"

namespace baton::maestro::detail {

// One Temporal/SpatialMap directive after Sz()/constant resolution.
struct Dir {
  bool spatial = false;
  int64_t size = 1;
  int64_t ofs = 1;
  std::string dim;
};

// A dimension table: name → size; the first entry of a name wins on lookup (MAESTRO keeps the
// first duplicate). Missing names read as 0.
struct DimTable {
  std::vector<std::pair<std::string, int64_t>> entries;
  std::map<std::string, int64_t> outer_stride;  // Y / X only; 1 if absent
  int64_t get(const std::string& name) const;
  bool has(const std::string& name) const;
  void add(const std::string& name, int64_t size);
  int64_t stride(const std::string& name) const;
};

// Layer-wide facts: tensor couplings and the (Y,R), (X,S) sliding-window pairs.
struct LayerInfo {
  std::vector<std::string> in_vars;   // input tensor coupled dims
  std::vector<std::string> w_vars;    // weight ("filter")
  std::vector<std::string> out_vars;  // output (Y/X stand for Y'/X')
  bool conv_like = true;              // has the (Y,R), (X,S) overlap pairs
  // The sliding partner of a reference dim (Y→R, X→S), "" otherwise.
  std::string sliding_of(const std::string& dim) const;
};

// One cluster level (0 = top) with its completed dataflow, unit count and nominal dims.
struct Level {
  std::vector<Dir> df;
  int64_t units = 1;       // sub-clusters (or PEs at the innermost level)
  DimTable dims;           // nominal dimension table (tile tables and edge-cluster counts)
  int64_t edge_units = 1;  // MAESTRO's num_spatial_edge_clusters_
  int first_spatial = -1;  // index of the first SpatialMap in df
};

struct LayerModel {
  LayerInfo info;
  DimTable top_dims;
  std::vector<Level> levels;
  std::vector<std::string> declared;  // dims declared in the file (pixel counts)
};

// Builds the layer and its levels as MAESTRO's ClusterAnalysis does. Throws InputError.
LayerModel build_model(const LayerDecl& layer, const DataflowDecl& dataflow, const MaestroHw& hw);

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
  int64_t spatial_occurrences = 1;
  double arithmetic_intensity = 0;
  DelayStats delay[3];  // ingress, egress, compute
  int64_t occurrences = 0;  // Σ occ over the valid cases
};

// Analyses level `idx` of `m` with dimension table `dims`; appends every analysis (post-order,
// like MAESTRO's result vector) to `out` and returns the index of this level's entry.
size_t analyze_level(const LayerModel& m, size_t idx, const DimTable& dims, const MaestroHw& hw,
                     std::vector<LevelResult>& out);

}  // namespace baton::maestro::detail
