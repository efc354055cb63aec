// baton::dse — the explorer: cache phase, then hardware points in blocks of L1 × L2 (docs/DSE.md).
//
// A block fixes PEs, SIMD lanes, NoC bandwidth, off-chip bandwidth and topology; within it every
// candidate's runtime, energy and buffer needs are fixed, so a point only filters candidates by
// L1/L2 fit, picks the best per layer, sums, and checks power. Area grows with L1 and L2, so the
// first L2 over the area limit ends its row (and an over-limit first column ends the block).
#include <array>
#include <atomic>
#include <chrono>

#include "internal.h"

namespace baton::dse {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Indices into invalid_reasons().
enum Reason { kArea, kPes, kL1, kL2, kPower, kNumReasons, kValid = -1 };

struct Cand {
  bool usable;
  int64_t l1, l2, runtime;
  double energy;
};

// Whether candidate a is better than b for the objective (per layer; area is the point's).
bool better(const Cand& a, const Cand& b, Objective o) {
  switch (o) {
    case Objective::kEnergy:
      return a.energy < b.energy || (a.energy == b.energy && a.runtime < b.runtime);
    case Objective::kEdp: {
      const double ea = a.energy * double(a.runtime), eb = b.energy * double(b.runtime);
      return ea < eb || (ea == eb && a.runtime < b.runtime);
    }
    default:
      return a.runtime < b.runtime || (a.runtime == b.runtime && a.energy < b.energy);
  }
}

}  // namespace

struct Explorer::Impl {
  Workload w;
  DesignSpace s;
  HardwareSpec base;
  DseOptions o;
  std::vector<Entry> entries;  // ((u · M) + m) · P + p
  std::vector<char> built;     // per PE index: its entries are computed
  double cache_seconds = 0;

  size_t M() const { return w.candidates.size(); }
  const Entry& entry(size_t u, size_t m, size_t p) const {
    return entries[(u * M() + m) * s.pes.size() + p];
  }

  // Builds the entries of PE indices [p0, p1] not built yet; false when interrupted.
  bool build_cache(size_t p0, size_t p1) {
    const auto t0 = Clock::now();
    const size_t P = s.pes.size();
    if (entries.empty()) entries.assign(w.unique.size() * M() * P, Entry{}), built.assign(P, 0);
    std::vector<uint64_t> todo;
    for (size_t i = 0; i < entries.size(); ++i)
      if (i % P >= p0 && i % P <= p1 && !built[i % P]) todo.push_back(i);
    auto last = Clock::now();
    uint64_t done = 0;
    parallel_for(
        todo.size(), o.threads, o.stop,
        [&](uint64_t k) {
          const uint64_t i = todo[k];
          const size_t u = i / (M() * P), m = (i / P) % M(), p = i % P;
          entries[i] = compute_entry(w.unique[u].layer, w.unique[u].dataflows[m], s, p, base);
        },
        [&] {
          ++done;
          if (o.progress && seconds_since(last) > 0.25) {
            last = Clock::now();
            o.progress(Progress{std::min<uint64_t>(todo.size(), done * uint64_t(o.threads)),
                                todo.size(), 0, seconds_since(t0), "cache"});
          }
        });
    cache_seconds += seconds_since(t0);
    if (o.stop && o.stop->load()) return false;
    for (size_t p = p0; p <= p1; ++p) built[p] = 1;
    return true;
  }

  // The block's candidates (U × M) at outer point p.
  std::vector<Cand> block(const PointIndex& p) const {
    const size_t combo = (p.simd * s.noc_bw.size() + p.noc) * s.offchip_bw.size() + p.offchip;
    std::vector<Cand> c;
    c.reserve(w.unique.size() * M());
    for (size_t u = 0; u < w.unique.size(); ++u)
      for (size_t m = 0; m < M(); ++m) {
        const Entry& e = entry(u, m, p.pes);
        c.push_back(e.usable ? Cand{true, e.l1_bytes, e.l2_bytes, e.runtime[combo], e.energy_pj}
                             : Cand{false, 0, 0, 0, 0.0});
      }
    return c;
  }

  // Evaluates one point of a block; returns kValid or the Reason.
  int point(const std::vector<Cand>& cands, const PointIndex& p, Design& d,
                    std::vector<int>* choice) const {
    const int64_t l1 = s.l1_bytes[p.l1], l2 = s.l2_bytes[p.l2];
    int64_t runtime = 0;
    double energy = 0;
    for (size_t u = 0; u < w.unique.size(); ++u) {
      const Cand* best = nullptr;
      int best_m = -1;
      bool any_pe = false, any_l1 = false;
      for (size_t m = 0; m < M(); ++m) {
        const Cand& c = cands[u * M() + m];
        if (!c.usable) continue;
        any_pe = true;
        if (c.l1 > l1) continue;
        any_l1 = true;
        if (c.l2 > l2) continue;
        if (!best || better(c, *best, o.objective)) best = &c, best_m = int(m);
      }
      if (!best) return !any_pe ? kPes : !any_l1 ? kL1 : kL2;
      const auto k = int64_t(w.unique[u].layers.size());
      runtime += k * best->runtime;
      energy += double(k) * best->energy;
      if (choice) choice->push_back(best_m);
    }
    d.runtime_cycles = runtime;
    d.energy_pj = energy;
    d.power_mw = power_mw(energy, runtime, d.area_mm2, base.area_power);
    if (s.constraints.max_power_mw && d.power_mw > *s.constraints.max_power_mw) return kPower;
    return kValid;
  }

  bool over_area(const Design& d) const {
    return s.constraints.max_area_mm2 && d.area_mm2 > *s.constraints.max_area_mm2;
  }

  double area(const PointIndex& p) const {
    const int64_t pes = s.pes[p.pes];
    return area_of(base.area_power, pes, s.simd_lanes[p.simd], s.l1_bytes[p.l1],
                   s.l2_bytes[p.l2], s.noc_bw[p.noc], noc_links(s.topologies[p.topo], pes));
  }

  // Evaluates the points of block b (outer index) inside [begin, end) into r.
  void run_block(uint64_t b, uint64_t begin, uint64_t end, DseResult& r,
                 std::atomic<uint64_t>& valid_so_far) const {
    std::array<uint64_t, kNumReasons> invalid{};
    const uint64_t inner = s.l1_bytes.size() * s.l2_bytes.size();
    PointIndex p = decode(s, b * inner);
    const std::vector<Cand> cands = block(p);
    for (p.l1 = 0; p.l1 < s.l1_bytes.size(); ++p.l1) {
      for (p.l2 = 0; p.l2 < s.l2_bytes.size(); ++p.l2) {
        const uint64_t idx = encode(s, p);
        if (idx < begin || idx >= end) continue;
        ++r.points;
        Design d;
        d.index = idx;
        d.area_mm2 = area(p);
        if (over_area(d)) {
          // Monotone: every larger L2 of this row is over the limit too; skip them unevaluated.
          const uint64_t row_end = std::min<uint64_t>(end, idx + (s.l2_bytes.size() - p.l2));
          r.pruned += row_end - idx;
          r.points += row_end - idx - 1;
          break;
        }
        const int why = point(cands, p, d, nullptr);
        if (why == kValid || why == kPower) ++r.evaluated;
        if (why != kValid) {
          ++invalid[size_t(why)];
          continue;
        }
        ++r.valid;
        r.designs.push_back(d);
      }
    }
    for (size_t k = 0; k < kNumReasons; ++k)
      if (invalid[k]) r.invalid[invalid_reasons()[k]] += invalid[k];
    valid_so_far += r.valid;
  }
};

Explorer::Explorer(Workload workload, DesignSpace space, HardwareSpec base, DseOptions options)
    : impl_(new Impl{std::move(workload), std::move(space), std::move(base), options, {}, {}, 0}) {
  if (impl_->o.threads < 1) impl_->o.threads = 1;
}
Explorer::~Explorer() = default;

const DesignSpace& Explorer::space() const { return impl_->s; }
const Workload& Explorer::workload() const { return impl_->w; }
const HardwareSpec& Explorer::base() const { return impl_->base; }

DseResult Explorer::run(uint64_t begin, uint64_t end) {
  Impl& m = *impl_;
  DseResult total;
  end = std::min(end, m.s.size());
  if (begin >= end) return total;
  const bool complete = m.build_cache(decode(m.s, begin).pes, decode(m.s, end - 1).pes);
  total.cache_seconds = m.cache_seconds;
  for (size_t i = 0; i < m.entries.size(); ++i) {
    if (!m.built[i % m.s.pes.size()]) continue;
    ++total.cache_entries;
    total.analyses += m.entries[i].usable;
    total.runtime_evaluations += m.entries[i].runtime.size();
  }
  if (!complete) return total;
  const auto t0 = Clock::now();
  const uint64_t inner = m.s.l1_bytes.size() * m.s.l2_bytes.size();
  const uint64_t b0 = begin / inner, b1 = end == 0 ? 0 : (end - 1) / inner + 1;
  std::vector<DseResult> parts(b1 > b0 ? b1 - b0 : 0);
  auto last = Clock::now();
  uint64_t done = 0;
  std::atomic<uint64_t> valid{0};
  parallel_for(
      parts.size(), m.o.threads, m.o.stop,
      [&](uint64_t i) { m.run_block(b0 + i, begin, end, parts[i], valid); },
      [&] {
        ++done;
        if (m.o.progress && seconds_since(last) > 0.25) {
          last = Clock::now();
          m.o.progress(Progress{std::min(end - begin, done * m.o.threads * inner), end - begin,
                                valid.load(), seconds_since(t0), "points"});
        }
      });
  for (DseResult& r : parts) {  // in block order: deterministic for any thread count
    total.points += r.points;
    total.evaluated += r.evaluated;
    total.valid += r.valid;
    total.pruned += r.pruned;
    for (const auto& [k, v] : r.invalid) total.invalid[k] += v;
    total.designs.insert(total.designs.end(), r.designs.begin(), r.designs.end());
  }
  if (total.pruned) total.invalid["area"] += total.pruned;
  total.eval_seconds = seconds_since(t0);
  return total;
}

std::vector<LayerChoice> Explorer::explain(uint64_t index) {
  Impl& m = *impl_;
  const PointIndex p = decode(m.s, index);
  if (!m.build_cache(p.pes, p.pes)) return {};
  const std::vector<Cand> cands = m.block(p);
  Design d;
  d.area_mm2 = m.area(p);
  std::vector<int> choice;
  if (m.point(cands, p, d, &choice) != kValid) return {};
  std::vector<LayerChoice> out(m.w.layer_names.size());
  for (size_t u = 0; u < m.w.unique.size(); ++u) {
    const Cand& c = cands[u * m.M() + size_t(choice[u])];
    for (int li : m.w.unique[u].layers)
      out[size_t(li)] = LayerChoice{m.w.layer_names[size_t(li)],
                                    m.w.candidates[size_t(choice[u])], int(u), choice[u],
                                    c.runtime, c.energy, c.l1, c.l2};
  }
  return out;
}

std::string Explorer::invalid_reason(uint64_t index) {
  Impl& m = *impl_;
  const PointIndex p = decode(m.s, index);
  if (!m.build_cache(p.pes, p.pes)) return "interrupted";
  Design d;
  d.area_mm2 = m.area(p);
  if (m.over_area(d)) return invalid_reasons()[kArea];
  const int why = m.point(m.block(p), p, d, nullptr);
  return why == kValid ? "" : invalid_reasons()[size_t(why)];
}

const std::vector<std::string>& invalid_reasons() {
  static const std::vector<std::string> kReasons = {"area", "pes", "l1", "l2", "power"};
  return kReasons;
}

}  // namespace baton::dse
