#include "held_tracker.h"

namespace baton::detail {

HeldTracker::HeldTracker(const FactoredWalker& w) : w_(w) {
  const size_t pes = static_cast<size_t>(w.pes());
  active_.assign(pes, 0);
  entered_.assign(pes, 0);
  has_explicit_.assign(pes, 0);
  explicit_.resize(pes);
}

void HeldTracker::update() {
  bool changed = !has_prev_;
  for (int d = 0; d < kNumDims; ++d) {
    if (has_prev_ && !w_.changed(d)) continue;
    const std::vector<Range>& t = w_.table(d);
    scratch_.resize(t.size());
    for (size_t m = 0; m < t.size(); ++m) scratch_[m] = t[m].size() > 0;
    if (scratch_ != nonempty_[d]) changed = true, nonempty_[d].swap(scratch_);
  }
  if (!changed) return;  // the same PEs are active as at the previous step: nobody enters
  idle_holding_.clear();
  for (int64_t pe = 0; pe < w_.pes(); ++pe) {
    bool a = true;
    for (int d = 0; d < kNumDims && a; ++d) a = nonempty_[d][w_.combo(d, pe)] != 0;
    if (active_[pe] && !a) {  // goes idle: keeps the previous step's tile
      for (int d = 0; d < kNumDims; ++d) explicit_[pe].r[d] = prev_[d][w_.combo(d, pe)];
      has_explicit_[pe] = 1;
    }
    if (!active_[pe] && a) {
      entering_.push_back(static_cast<int32_t>(pe));
      entered_[pe] = 1;
    }
    active_[pe] = a;
    if (!a && has_explicit_[pe]) idle_holding_.push_back(static_cast<int32_t>(pe));
  }
}

void HeldTracker::commit() {
  for (int d = 0; d < kNumDims; ++d)
    if (!has_prev_ || w_.changed(d)) prev_[d] = w_.table(d);
  for (int32_t pe : entering_) entered_[pe] = 0;
  entering_.clear();
  has_prev_ = true;
}

bool HeldTracker::held(int64_t pe, PeTile& out) const {
  if (active_[pe] && !entered_[pe]) {
    for (int d = 0; d < kNumDims; ++d) out.r[d] = prev_[d][w_.combo(d, pe)];
    return true;
  }
  if (!has_explicit_[pe]) return false;
  out = explicit_[pe];
  return true;
}

}  // namespace baton::detail
