// baton::dse — design-space exploration: hardware points × candidate mappings per layer for a
// whole network, with area/power constraints, Pareto fronts and per-objective winners
// (DESIGN.md §8, docs/DSE.md).
//
// Speed by design: schedule-dependent quantities (traffic, energy, L1/L2 need, and the runtime for
// every SIMD × NoC bandwidth × off-chip bandwidth of the space) are computed once per (unique
// layer, mapping, PE count) in a parallel cache phase; a hardware point then costs a table lookup
// per layer and candidate. Area grows monotonically with L1 and L2, so points beyond the area
// limit are pruned without evaluation. Results are identical for any thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/layer.h"
#include "baton/dataflow/mfile.h"
#include "baton/dse/space.h"

namespace baton::dse {

enum class Objective { kRuntime, kEnergy, kEdp, kPerfPerArea };
// "runtime" | "energy" | "edp" | "perf-per-area"; nullopt otherwise.
std::optional<Objective> parse_objective(const std::string& text);
const char* objective_name(Objective o);

// The network: its layers and, per layer, the candidate dataflows ("own" = the mapping file's
// Dataflow block, else a template's file stem). Identical layers (same shape and candidates) are
// evaluated once and counted `count` times.
struct Workload {
  struct Unique {
    LayerSpec layer;
    std::vector<std::optional<DataflowDecl>> dataflows;  // per candidate; empty = unavailable
    std::vector<int> layers;                             // indices of the layers it stands for
  };
  std::string network;
  std::vector<std::string> candidates;
  std::vector<std::string> layer_names;
  std::vector<Unique> unique;
};

// Reads the mapping (or model) file and the templates. Candidates: the file's own dataflows when
// every layer has one, then each template. Throws InputError on file errors, when a layer is
// invalid, or when some layer has no candidate.
Workload load_workload(const std::string& mapping_path,
                       const std::vector<std::string>& dataflow_paths);

// Area (mm²) of a hardware point: PEs × (lanes × mac + overhead + L1 × l1/B) + L2 × l2/B + NoC
// links × bandwidth × per-lane (docs/DSE.md); and the NoC link count of a topology.
double area_mm2(const HardwareSpec& hw);
int64_t noc_links(const std::string& topology, int64_t pes);
// Dynamic (energy / time at the clock) + leakage power, mW.
double power_mw(double energy_pj, int64_t runtime_cycles, double area, const AreaPowerTable& t);

// The reasons a point is invalid, as DseResult::invalid names them: "area" (over max_area,
// pruned), "pes" (no candidate fits the PE count for some layer), "l1", "l2", "power".
const std::vector<std::string>& invalid_reasons();

struct Design {
  uint64_t index = 0;  // point number in the space
  int64_t runtime_cycles = 0;
  double energy_pj = 0, area_mm2 = 0, power_mw = 0;
};

struct DseResult {
  uint64_t points = 0;     // in the evaluated range
  uint64_t evaluated = 0;  // every layer's runtime, energy, area and fit computed
  uint64_t valid = 0;
  uint64_t pruned = 0;     // beyond the area limit, skipped (monotone in L1 and L2)
  std::map<std::string, uint64_t> invalid;  // reason -> points (area = pruned)
  std::vector<Design> designs;              // the valid ones, by index
  double cache_seconds = 0, eval_seconds = 0;
  uint64_t cache_entries = 0;        // (layer, mapping, PE count) entries built
  uint64_t analyses = 0;             // full analytical evaluations (usable entries)
  uint64_t runtime_evaluations = 0;  // rule-13 re-evaluations from runtime profiles
};

struct Progress {
  uint64_t done = 0, total = 0, valid = 0;  // valid: designs found so far (points phase)
  double seconds = 0;
  const char* phase = "";  // "cache" | "points"
};

struct DseOptions {
  Objective objective = Objective::kEdp;
  int threads = 1;
  std::function<void(const Progress&)> progress;  // called from one thread, at most ~4×/s
  const std::atomic<bool>* stop = nullptr;        // checked between work items
};

// Per layer of one design: the chosen candidate and its cost.
struct LayerChoice {
  std::string layer, candidate;
  int unique = 0, candidate_index = 0;  // Workload::unique / candidates indices
  int64_t runtime_cycles = 0;
  double energy_pj = 0;
  int64_t l1_bytes_needed = 0, l2_bytes_needed = 0;
};

class Explorer {
 public:
  Explorer(Workload workload, DesignSpace space, HardwareSpec base, DseOptions options);
  ~Explorer();
  Explorer(const Explorer&) = delete;
  Explorer& operator=(const Explorer&) = delete;

  // Evaluates points [begin, end) (a shard; the cache phase runs on first use). Interrupted
  // runs (options.stop) return what was evaluated, with `points` counting only those.
  DseResult run(uint64_t begin, uint64_t end);
  DseResult run() { return run(0, space().size()); }
  // Re-evaluates one point and explains it per layer (empty if the point is invalid).
  std::vector<LayerChoice> explain(uint64_t index);
  // Why a point is invalid ("" when valid).
  std::string invalid_reason(uint64_t index);

  const DesignSpace& space() const;
  const Workload& workload() const;
  const HardwareSpec& base() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Pareto front (both minimised) of designs over two keys; among designs with equal keys the one
// with the smaller tie-break key (then smaller index) represents them. Sorted by the first key.
enum class Key { kRuntime, kEnergy, kArea };
std::vector<Design> pareto_front(const std::vector<Design>& designs, Key x, Key y);
// Both fronts the outputs report (computed once, shared by the files and the summaries).
struct Fronts {
  std::vector<Design> runtime_energy, runtime_area;
};
Fronts pareto_fronts(const std::vector<Design>& designs);
// The best design for an objective (ties: smaller index); nullopt when there is none.
std::optional<Design> best_design(const std::vector<Design>& designs, Objective o);
double objective_value(const Design& d, Objective o);  // smaller is better

}  // namespace baton::dse
