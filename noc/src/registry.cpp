#include "registry.h"

#include <functional>
#include <utility>

namespace baton {
namespace {

using Factory = std::unique_ptr<Topology> (*)(const NocSpec&, int64_t, NocDirection,
                                              std::optional<int64_t>);
const std::vector<std::pair<std::string, Factory>>& factories() {
  static const std::vector<std::pair<std::string, Factory>> k = {{"bus", &make_bus},
                                                                 {"mesh", &make_mesh}};
  return k;
}

}  // namespace

std::vector<std::string> topology_names() {
  std::vector<std::string> out;
  for (const auto& f : factories()) out.push_back(f.first);
  return out;
}

std::unique_ptr<Topology> make_topology(const NocSpec& spec, int64_t pes, NocDirection dir,
                                        std::optional<int64_t> l2_port) {
  for (const auto& f : factories())
    if (f.first == spec.topology) return f.second(spec, pes, dir, l2_port);
  std::string valid;
  for (const auto& n : topology_names()) valid += (valid.empty() ? "" : ", ") + n;
  throw InputError(make_error(SourceLoc{}, "topology '" + spec.topology +
                                               "' is not simulated yet; valid: " + valid,
                              "crossbar, tree and systolic are planned (issue #5)"));
}

}  // namespace baton
