// baton::dataflow — the Schedule: the one exact compiled form of layer + dataflow + hardware that
// both engines consume (DESIGN.md §2, DIRECTIVES.md rules 1–11).
//
// Canonical form: every loop is a clean tiling of one internal dimension (output coordinates;
// a Y directive becomes a loop over Y' = P with ⌊(s−r)/σ⌋+1 rows per tile, a zipped Y–R pair
// becomes a spatial loop over R with P held whole). Levels are listed top (clusters) to bottom
// (PEs); within a level loops are outermost first; dims without a loop are held whole. Loop
// indices are global: a lower loop's trip count follows the largest tile its level received at
// that step, so trip counts below an edge tile are smaller (rule 2).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/layer.h"
#include "baton/dataflow/mfile.h"

namespace baton {

enum class LoopKind : uint8_t { kTemporal, kSpatial };

struct Loop {
  Dim dim = Dim::K;
  LoopKind kind = LoopKind::kTemporal;
  int64_t tile = 1;       // full tile, in units of `dim` (output rows for Y')
  bool zipped = false;    // spatial R (S) paired with Y (X): row stationary (rule 7)
  // The directive as written: Schedule::text(loop) (stored once per Schedule, not per loop).
  uint32_t text_at = 0, text_len = 0;
  // Nominal values, i.e. when every upper tile is full:
  int64_t extent = 1;     // extent of `dim` at this level
  int64_t trips = 1;      // temporal: tiles; spatial: folds = ⌈tiles / units⌉
  int64_t tiles = 1;      // ⌈extent / tile⌉
  int64_t edge_tile = 1;  // size of the last tile (== tile when it divides)
};

struct Level {
  int64_t units = 1;          // clusters at the top level, PEs at the bottom
  std::vector<Loop> loops;    // outermost first
  int spatial = -1;           // index of the spatial loop in `loops`, or -1
  std::array<int64_t, kNumDims> extent{};  // nominal extents of every dim at this level
};

struct FitResult {
  bool fits = true;
  std::string reason;  // empty when fits
};

// Per-dimension closed-form summary: the loops on one dim form a chain across levels; each class
// is a set of index tuples of that chain (weight = how many) in which every PE-unit combination
// has the same tile length along the dim.
struct LenCounts {  // a view into the Schedule's flat storage
  const std::pair<int64_t, int64_t>* b = nullptr;
  const std::pair<int64_t, int64_t>* e = nullptr;
  const std::pair<int64_t, int64_t>* begin() const { return b; }
  const std::pair<int64_t, int64_t>* end() const { return e; }
  size_t size() const { return static_cast<size_t>(e - b); }
};
struct DimClass {
  int64_t weight = 0;  // number of index tuples in this class
  // (tile length, number of unit combinations), by ascending length, lengths distinct.
  LenCounts len_count;
};

class Schedule {
 public:
  // `texts` holds the loops' directive texts (Loop::text_at / text_len index into it).
  // (The layer is copied straight into the Schedule: build_schedule keeps no copy of its own.)
  Schedule(const LayerSpec& layer, std::vector<Level> levels, FitResult fit, int64_t pes_available,
           std::string texts = {});

  const LayerSpec& layer() const { return layer_; }
  const std::vector<Level>& levels() const { return levels_; }
  const FitResult& fit() const { return fit_; }
  // The directive a loop of this Schedule came from, as written.
  std::string_view text(const Loop& lp) const {
    return std::string_view(texts_).substr(lp.text_at, lp.text_len);
  }
  int64_t pes_available() const { return pes_available_; }
  int64_t pes_used() const;  // Π units over levels
  // Unit index of PE `pe` at level `lvl` (PE id = mixed radix, top level most significant).
  int64_t unit_of(int64_t pe, int lvl) const;

  // Closed-form queries (no step walking).
  int64_t steps() const;                       // global steps (rule 2)
  int64_t top_steps() const;                   // steps of the top level's loops alone
  int64_t macs() const;                        // Σ over steps and PEs of tile MACs
  int64_t peak_active_pes() const;             // max over steps of PEs doing >= 1 MAC
  double avg_active_pes() const;               // mean over steps of PEs doing >= 1 MAC
  int64_t compute_cycles(int64_t simd_lanes) const;  // Σ_steps ⌈max_PE MACs / lanes⌉
  // Elements one PE holds at its largest step, per tensor (PE 0 at step 0 is the largest).
  int64_t max_tile_elements(Tensor t) const;
  // Views into this Schedule (valid while it lives).
  std::vector<DimClass> dim_classes(Dim d) const;

 private:
  friend struct ScheduleTestPeer;  // tests: compare the closed-form shortcuts with the general split
  // general: split every loop with the general class split (no one-class shortcuts).
  void compute_classes(bool general = false);
  // Every dim's classes in one flat array (dim by dim), their lengths in another.
  struct ClassRec {
    int64_t weight = 0;
    uint32_t lo = 0, hi = 0;  // range in lens_ (one_len_ when the classes are inline)
    int64_t max_len = 0;      // largest length of a unit that has one (> 0 units)
  };
  // When every dim is one class of one length (the usual case) they live in one_ / one_len_
  // (no heap storage); otherwise every dim's classes are in cls_ / lens_.
  const ClassRec* cls_data() const { return cls_.empty() ? one_.data() : cls_.data(); }
  const ClassRec* cls_begin(Dim d) const { return cls_data() + cls_at_[idx(d)]; }
  const ClassRec* cls_end(Dim d) const { return cls_data() + cls_at_[idx(d) + 1]; }
  const std::pair<int64_t, int64_t>* lens(const ClassRec& c) const {
    return (lens_.empty() ? one_len_.data() : lens_.data()) + c.lo;
  }
  // Appends one dim's finished classes (from the scratch `lens`, class ranges relative to it)
  // and folds them into the query summaries below.
  void add_dim_classes(Dim d, const ClassRec* cb, const ClassRec* ce,
                       const std::pair<int64_t, int64_t>* lens);

  LayerSpec layer_;
  std::vector<Level> levels_;
  FitResult fit_;
  int64_t pes_available_ = 0;
  std::string texts_;
  std::vector<ClassRec> cls_;
  std::vector<std::pair<int64_t, int64_t>> lens_;
  std::array<ClassRec, kNumDims> one_{};
  std::array<std::pair<int64_t, int64_t>, kNumDims> one_len_{};
  std::array<uint32_t, kNumDims + 1> cls_at_{};
  // Query summaries, filled by compute_classes (products over dims, in dim order, the same
  // arithmetic the queries did when they summed the classes themselves).
  int64_t steps_ = 1, macs_ = 1, peak_ = 1;
  double active_sum_ = 1.0;                  // Σ_steps active PEs, as avg_active_pes sums it
  int64_t one_max_ = 1;  // all dims one class (classes inline): Π max lengths, the busiest PE's MACs
  std::array<int64_t, kNumDims> min_tile_{};  // smallest tile of each dim (extent if no loop)
};

// Result of compiling one layer: a schedule, or the mapping errors that reject it.
struct ScheduleResult {
  std::optional<Schedule> schedule;
  std::vector<Diagnostic> diagnostics;  // errors (schedule empty) and warnings
};

// Validates the dataflow against DIRECTIVES.md "Errors" and compiles it. Mapping errors are
// diagnostics (all of them, located); a hardware that is too small is a FitResult, not an error.
ScheduleResult build_schedule(const LayerSpec& layer, const DataflowDecl& dataflow,
                              const HardwareSpec& hw);

}  // namespace baton
