// baton::dse — Pareto fronts and per-objective winners over valid designs (docs/DSE.md).
#include <algorithm>
#include <tuple>

#include "internal.h"

namespace baton::dse {
namespace {

double key(const Design& d, Key k) {
  switch (k) {
    case Key::kRuntime: return double(d.runtime_cycles);
    case Key::kEnergy: return d.energy_pj;
    case Key::kArea: return d.area_mm2;
  }
  return 0;
}

// The remaining key breaks ties between designs with equal front keys.
Key third(Key x, Key y) {
  for (Key k : {Key::kRuntime, Key::kEnergy, Key::kArea})
    if (k != x && k != y) return k;
  return Key::kArea;
}

}  // namespace

Fronts pareto_fronts(const std::vector<Design>& designs) {
  return {pareto_front(designs, Key::kRuntime, Key::kEnergy),
          pareto_front(designs, Key::kRuntime, Key::kArea)};
}

std::vector<Design> pareto_front(const std::vector<Design>& designs, Key x, Key y) {
  const Key z = third(x, y);
  std::vector<const Design*> order;
  order.reserve(designs.size());
  for (const Design& d : designs) order.push_back(&d);
  auto rank = [&](const Design* d) { return std::make_tuple(key(*d, x), key(*d, y), key(*d, z), d->index); };
  std::sort(order.begin(), order.end(), [&](const Design* a, const Design* b) { return rank(a) < rank(b); });
  std::vector<Design> front;
  for (const Design* d : order) {
    // Sorted by x then y: d is dominated iff some earlier design has y <= d's y; equal (x, y)
    // pairs are represented by the first (smallest tie-break key, then index).
    if (!front.empty() && key(front.back(), y) <= key(*d, y)) continue;
    front.push_back(*d);
  }
  return front;
}

double objective_value(const Design& d, Objective o) {
  switch (o) {
    case Objective::kRuntime: return double(d.runtime_cycles);
    case Objective::kEnergy: return d.energy_pj;
    case Objective::kEdp: return d.energy_pj * double(d.runtime_cycles);
    case Objective::kPerfPerArea: return double(d.runtime_cycles) * d.area_mm2;  // 1 / (perf/area)
  }
  return 0;
}

std::optional<Design> best_design(const std::vector<Design>& designs, Objective o) {
  const Design* best = nullptr;
  for (const Design& d : designs) {
    if (!best || objective_value(d, o) < objective_value(*best, o) ||
        (objective_value(d, o) == objective_value(*best, o) && d.index < best->index))
      best = &d;
  }
  return best ? std::optional<Design>(*best) : std::nullopt;
}

}  // namespace baton::dse
