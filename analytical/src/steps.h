// Internal: the per-step values V_t, C_t, W_t of rule 13 from the closed-form group tables.
//
// StepModel evaluates one global step from its loop indices (no PE is visited); exact_step_pass
// (step_pass.cpp) streams every step into a RuntimeAccumulator (O(steps × groups)); classes.h
// evaluates classes of steps with the same StepModel.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "baton/analytical/cost.h"
#include "arena.h"
#include "chains.h"
#include "energy.h"

namespace baton::detail {

struct StepPassResult {
  int64_t runtime_cycles = 0;
  double noc_bw_peak = 0;    // max_t max(V_t, W_t) / max(C_t, 1)
  int64_t noc_volume = 0;    // Σ_t (V_t + W_t)
};

// Values of one global step t.
struct StepVals {
  int adv = -1;              // advancing loop position (innermost non-zero index), -1 at step 0
  int64_t v = 0;             // V_t: L2 reads over the distribution NoC
  int64_t w_prev = 0;        // W_{t−1}: L2 writes at the boundary into t (0 at step 0)
  int64_t c = 0;             // C_t: ⌈max_p MACs_p / lanes⌉
  bool readback = false;     // t ≥ 1 and some non-output loop index is non-zero
  std::array<int32_t, kNumDims> ids{};  // per dim: dense id of t's chain tuple (-1: none)
};

class Tables;

class StepModel {
 public:
  // Shares group tables built elsewhere (e.g. for tensor_counts); internal data from `mem`.
  StepModel(const Schedule& s, const Chains& chains, const HardwareSpec& hw, Tables& tables,
            Mem* mem = heap_mem());
  ~StepModel();
  int loops() const;
  int top_loops() const;
  // Loop indices and trip counts are arrays of loops() elements.
  // Trip counts of loops >= from given the indices of the loops above them.
  void trips(const int64_t* index, int64_t* trips, int from) const;
  // Lexicographic successor / predecessor over loops < upto (loops >= upto set to 0) in place,
  // trips kept consistent; false at the end / at step 0 (index then unchanged).
  bool next(int64_t* index, int64_t* trips, int upto) const;
  bool prev(int64_t* index, int64_t* trips, int upto) const;
  bool next(int64_t* index, int64_t* trips) const { return next(index, trips, loops()); }
  // Successor over loops >= from only (loops < from unchanged); false when they are all at
  // their last index.
  bool next_from(int64_t* index, int64_t* trips, int from) const;
  bool prev(int64_t* index, int64_t* trips) const { return prev(index, trips, loops()); }
  // V_t, W_{t−1}, C_t of the step with these indices.
  StepVals eval(const int64_t* index) const;
  // The per-dim tuple ids of StepVals only.
  void ids(const int64_t* index, std::array<int32_t, kNumDims>& ids) const;
  // C_t only.
  int64_t compute(const int64_t* index) const;
  // RAW of slot t (rule 13): an element written back at the boundary into t is read back for
  // t+1 (t ≥ 1 and t+1 a read-back step).
  bool raw(const StepVals& t, const StepVals& next) const;
  // W_{T−1}: the final write-back of every PE's last tile.
  int64_t final_writeback() const;

 private:
  struct Impl;
  MemPtr<Impl> p_;
};

StepPassResult exact_step_pass(const Schedule& s, const Chains& chains,
                               const HardwareSpec& hw, Tables& tables, int64_t first_dram_fill,
                               const RuntimeAccumulator::DramFn& dram, int64_t final_dram_writes,
                               ProfileBuilder* rec = nullptr);
StepPassResult exact_step_pass(const Schedule& s, const Chains& chains,
                               const HardwareSpec& hw, int64_t first_dram_fill,
                               const RuntimeAccumulator::DramFn& dram, int64_t final_dram_writes);

}  // namespace baton::detail
