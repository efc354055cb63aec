// Internal: PE cycle classification accumulated per compute profile (steps with the same MACs per
// PE) instead of per PE and step; expanded to per-PE counts when flushed.
#pragma once

#include <array>
#include <memory>
#include <unordered_map>
#include <vector>

#include "baton/sim/simulator.h"
#include "baton/sim/transfer_plan.h"

namespace baton::detail {

class PeCycleAccounts {
 public:
  // The PE cycle kinds a slot's tail (the cycles after a PE's compute) can have.
  static constexpr std::array<int64_t PeCycles::*, 4> kTails = {
      &PeCycles::idle, &PeCycles::stall_input, &PeCycles::stall_weight, &PeCycles::stall_output};

  PeCycleAccounts(std::vector<PeCycles>& per_pe, int64_t lanes) : per_pe_(per_pe), lanes_(lanes) {}

  // One slot of `length` cycles of a step with profile `p`; `tail` indexes kTails.
  void slot(const std::shared_ptr<const ComputeProfile>& p, int64_t length, int tail) {
    if (!last_ || last_->profile != p) {
      if (acc_.size() >= 256 && acc_.count(p->id) == 0) flush();
      Acc& a = acc_[p->id];
      a.profile = p;
      last_ = &a;
    }
    ++last_->steps;
    last_->length += length;
    last_->tail_length[tail] += length;
    ++last_->tail_steps[tail];
  }
  // Cycles every PE spends the same way (fills, drains, DRAM extensions).
  void all(int64_t PeCycles::*kind, int64_t cycles) { common_.*kind += cycles; }

  void flush() {
    for (auto& [id, a] : acc_) {
      for (size_t pe = 0; pe < per_pe_.size(); ++pe) {
        const int64_t m = a.profile->pe_macs[pe];
        const int64_t cp = (m + lanes_ - 1) / lanes_;
        PeCycles& c = per_pe_[pe];
        c.compute += a.steps * cp;
        if (m == 0) {
          c.idle += a.length;
          continue;
        }
        for (size_t k = 0; k < kTails.size(); ++k)
          c.*kTails[k] += a.tail_length[k] - a.tail_steps[k] * cp;
      }
    }
    acc_.clear();
    last_ = nullptr;
    for (PeCycles& c : per_pe_) {
      c.compute += common_.compute, c.stall_input += common_.stall_input;
      c.stall_weight += common_.stall_weight, c.stall_output += common_.stall_output;
      c.stall_dram += common_.stall_dram, c.idle += common_.idle;
    }
    common_ = PeCycles{};
  }

 private:
  struct Acc {
    std::shared_ptr<const ComputeProfile> profile;
    int64_t steps = 0, length = 0;
    std::array<int64_t, 4> tail_length{}, tail_steps{};
  };
  std::vector<PeCycles>& per_pe_;
  int64_t lanes_;
  std::unordered_map<int64_t, Acc> acc_;
  Acc* last_ = nullptr;
  PeCycles common_;
};

}  // namespace baton::detail
