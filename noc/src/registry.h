// Internal: one factory per topology file (src/impl/*.cpp); registry.cpp lists them.
#pragma once

#include <memory>

#include "baton/noc/topology.h"

namespace baton {

std::unique_ptr<Topology> make_bus(const NocSpec& s, int64_t pes, NocDirection dir,
                                   std::optional<int64_t> l2_port);
std::unique_ptr<Topology> make_mesh(const NocSpec& s, int64_t pes, NocDirection dir,
                                    std::optional<int64_t> l2_port);

}  // namespace baton
