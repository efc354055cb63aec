// Internal: one factory per topology file (src/impl/*.cpp); registry.cpp lists them.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "baton/noc/topology.h"

namespace baton {

std::unique_ptr<Topology> make_bus(const NocSpec& s, int64_t pes, NocDirection dir,
                                   std::optional<int64_t> l2_port);
std::unique_ptr<Topology> make_mesh(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t> l2_port);
std::unique_ptr<Topology> make_crossbar(const NocSpec& s, int64_t pes, NocDirection dir,
                                        std::optional<int64_t> l2_port);
std::unique_ptr<Topology> make_tree(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t> l2_port);
std::unique_ptr<Topology> make_systolic(const NocSpec& s, int64_t pes, NocDirection dir,
                                        std::optional<int64_t> l2_port);

// Moves the arrivals due by `now` from `pending` to `out` (in order).
inline void release_arrivals(std::deque<NocArrival>& pending, int64_t now,
                             std::vector<NocArrival>& out) {
  for (auto it = pending.begin(); it != pending.end();) {
    if (it->cycle <= now) {
      out.push_back(*it);
      it = pending.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace baton
