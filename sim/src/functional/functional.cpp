#include "baton/sim/functional.h"

#include <array>

namespace baton {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

using Point = std::array<int64_t, kNumDims>;

int64_t element_id(const LayerSpec& L, Tensor t, const Point& pt) {
  int64_t id = 0;
  for (const TensorCoord& c : L.coords(t)) {
    const int64_t size = c.b ? (L.dim(c.a) - 1) * c.stride + L.dim(*c.b) : L.dim(c.a);
    const int64_t v = c.b ? pt[idx(c.a)] * c.stride + pt[idx(*c.b)] : pt[idx(c.a)];
    id = id * size + v;
  }
  return id;
}

// Calls f(point) for every point of the box (row-major over kAllDims).
template <typename F>
void for_each_point(const std::array<Range, kNumDims>& box, F f) {
  for (const Range& r : box)
    if (r.size() == 0) return;
  Point p;
  for (int d = 0; d < kNumDims; ++d) p[d] = box[d].lo;
  for (;;) {
    f(p);
    int d = kNumDims - 1;
    for (; d >= 0; --d) {
      if (++p[d] < box[d].hi) break;
      p[d] = box[d].lo;
    }
    if (d < 0) return;
  }
}

std::string coords_text(const LayerSpec& L, int64_t id) {
  std::vector<int64_t> v;
  const auto& cs = L.coords(Tensor::kOutput);
  for (size_t i = cs.size(); i-- > 0;) {
    const int64_t size = L.dim(cs[i].a);
    v.insert(v.begin(), id % size);
    id /= size;
  }
  std::string out = "(";
  for (size_t i = 0; i < cs.size(); ++i)
    out += std::string(i ? ", " : "") + dim_name(cs[i].a) + "=" + std::to_string(v[i]);
  return out + ")";
}

}  // namespace

int64_t tensor_value(Tensor t, int64_t id) {
  return static_cast<int64_t>(mix(static_cast<uint64_t>(id) * 4 + static_cast<int>(t)) % 7) - 3;
}

std::vector<int64_t> reference_output(const LayerSpec& L) {
  std::vector<int64_t> out(static_cast<size_t>(L.tensor_elements(Tensor::kOutput)), 0);
  std::array<Range, kNumDims> all;
  for (Dim d : kAllDims) all[idx(d)] = Range{0, L.dim(d)};
  const bool weights = L.has_tensor(Tensor::kWeight);
  for_each_point(all, [&](const Point& p) {
    const int64_t in = tensor_value(Tensor::kInput, element_id(L, Tensor::kInput, p));
    const int64_t w = weights ? tensor_value(Tensor::kWeight, element_id(L, Tensor::kWeight, p)) : 1;
    out[element_id(L, Tensor::kOutput, p)] += in * w;
  });
  return out;
}

FunctionalModel::FunctionalModel(const Schedule& s)
    : s_(s),
      l2_out_(static_cast<size_t>(s.layer().tensor_elements(Tensor::kOutput)), 0),
      l1_(s.pes_used()) {}

void FunctionalModel::write_back(const Packet& p, bool reduction,
                                 std::unordered_map<int64_t, int>& written) {
  for (int64_t e : p.elements) {
    int64_t v = 0;
    for (int32_t pe : p.pes) {
      auto& held = l1_[pe][2];
      auto it = held.find(e);
      if (it != held.end()) v += it->second, held.erase(it);
    }
    // In-network reduction delivers one reduced value; otherwise later writes of the same
    // element in this step are read-modify-writes at L2.
    if (!reduction && written[e]++ > 0) l2_out_[e] += v;
    else l2_out_[e] = v;
  }
}

void FunctionalModel::apply(const StepPlan& step, bool reduction) {
  const LayerSpec& L = s_.layer();
  std::unordered_map<int64_t, int> written;
  for (const Packet& p : step.collection) write_back(p, reduction, written);
  if (step.final_drain) return;
  std::unordered_map<int64_t, int> seeded;  // read-back elements already given to one PE
  for (const Packet& p : step.distribution) {
    const int t = static_cast<int>(p.tensor);
    for (size_t i = 0; i < p.pes.size(); ++i)
      for (int64_t e : p.elements) {
        int64_t v;
        if (p.kind == PacketKind::kReadBack) {
          v = seeded[e]++ == 0 ? l2_out_[e] : 0;  // one PE is seeded, the others start at 0
        } else {
          v = tensor_value(p.tensor, e);
          if (corrupt_) v += *corrupt_, corrupt_.reset();
        }
        l1_[p.pes[i]][t][e] = v;
      }
  }
  const bool weights = L.has_tensor(Tensor::kWeight);
  for (size_t pe = 0; pe < step.tiles.size(); ++pe) {
    const PeTile& tile = step.tiles[pe];
    if (!tile.active()) continue;
    auto& l1 = l1_[pe];
    for (int64_t e : tile_elements(L, Tensor::kOutput, tile)) l1[2].emplace(e, 0);
    for_each_point(tile.r, [&](const Point& p) {
      // A missing operand reads as a poisoned value so that the output check catches it.
      auto in = l1[0].find(element_id(L, Tensor::kInput, p));
      const int64_t a = in == l1[0].end() ? 1000003 : in->second;
      int64_t b = 1;
      if (weights) {
        auto w = l1[1].find(element_id(L, Tensor::kWeight, p));
        b = w == l1[1].end() ? 1000003 : w->second;
      }
      l1[2][element_id(L, Tensor::kOutput, p)] += a * b;
    });
  }
}

std::optional<std::string> FunctionalModel::check() const {
  const std::vector<int64_t> ref = reference_output(s_.layer());
  for (size_t i = 0; i < ref.size(); ++i)
    if (ref[i] != l2_out_[i])
      return "output element " + coords_text(s_.layer(), static_cast<int64_t>(i)) + " is " +
             std::to_string(l2_out_[i]) + ", expected " + std::to_string(ref[i]);
  return std::nullopt;
}

}  // namespace baton
