#include "registry.h"

#include <functional>
#include <utility>

namespace baton {
namespace {

using Factory = std::unique_ptr<Topology> (*)(const NocSpec&, int64_t, NocDirection,
                                              std::optional<int64_t>);
const std::vector<std::pair<std::string, Factory>>& factories() {
  static const std::vector<std::pair<std::string, Factory>> k = {
      {"bus", &make_bus}, {"crossbar", &make_crossbar}, {"mesh", &make_mesh},
      {"systolic", &make_systolic}, {"tree", &make_tree}};
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
  throw InputError(make_error(SourceLoc{}, "unknown NoC topology '" + spec.topology +
                                               "'; valid: " + valid,
                              "see docs/NOC.md for what each one models"));
}

}  // namespace baton
