#include "link_sampler.h"

#include <algorithm>

namespace baton::detail {

void LinkSampler::start(const Topology* dist, const Topology* coll, TraceSink* sink,
                        int64_t bin_cycles) {
  sink_ = sink;
  if (!sink_) return;
  nets_ = {dist, coll};
  bin_ = std::max<int64_t>(bin_cycles, 1);
  bin_index_ = 0;
  for (int n = 0; n < 2; ++n) {
    std::string names;
    lanes_[n].clear();
    for (const LinkInfo& l : nets_[n]->link_info()) {
      names += l.name + " " + std::to_string(l.lanes) + "\n";
      lanes_[n].push_back(l.lanes);
    }
    sink_->links(static_cast<uint8_t>(n), names);
    nets_[n]->link_flits(last_[n]);
  }
}

void LinkSampler::flush() {
  if (!sink_) return;
  for (int n = 0; n < 2; ++n) {
    nets_[n]->link_flits(now_);
    for (size_t i = 0; i < now_.size() && i < last_[n].size(); ++i) {
      const int64_t d = now_[i] - last_[n][i];
      if (d == 0) continue;
      sink_->link_util(LinkUtilRecord{bin_index_ * bin_, bin_, static_cast<uint8_t>(n),
                                      static_cast<int32_t>(i), d,
                                      double(d) / double(bin_ * lanes_[n][i])});
    }
    last_[n].swap(now_);
  }
}

}  // namespace baton::detail
