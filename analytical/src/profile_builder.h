// Internal: collects a RuntimeProfile from the rule-13 passes (classes.cpp, RuntimeAccumulator).
#pragma once

#include <map>
#include <tuple>
#include <vector>

#include "baton/analytical/profile.h"

namespace baton::detail {

class ProfileBuilder {
 public:
  void head(int64_t dram_volume) { head_dram_ = dram_volume; }
  void first_v(int64_t v) { head_v_ = v; }
  // One slot of the current top-level step.
  void slot(int64_t v_next, int64_t c, int64_t w_prev, bool raw) {
    ++slots_[std::make_tuple(v_next, c, w_prev, raw)];
  }
  // Closes the current top-level step, standing for `count` identical ones.
  void close_top(int64_t dram_volume, int64_t count);
  void tail(int64_t w_last, int64_t dram_volume) { tail_w_ = w_last, tail_dram_ = dram_volume; }
  RuntimeProfile finish(int64_t simd_lanes) const;

 private:
  using SlotKey = std::tuple<int64_t, int64_t, int64_t, bool>;
  std::map<SlotKey, int64_t> slots_;
  std::map<std::pair<int64_t, std::vector<std::pair<SlotKey, int64_t>>>, int64_t> tops_;
  int64_t head_dram_ = 0, head_v_ = 0, tail_w_ = 0, tail_dram_ = 0;
};

}  // namespace baton::detail
