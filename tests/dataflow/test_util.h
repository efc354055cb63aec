// Test helpers: compile one-layer `.m` snippets, and brute-force coverage of a schedule.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/layer.h"
#include "baton/dataflow/mfile.h"
#include "baton/dataflow/schedule.h"
#include "baton/dataflow/step_walker.h"

namespace baton::test {

inline HardwareSpec hw_with_pes(int64_t pes) {
  HardwareSpec hw;
  hw.pes = pes;
  return hw;
}

// Wraps `layer_body` (Type/Stride/Dimensions/Dataflow lines) into a one-layer network.
// One line per dim: its classes as [weight len x count ...] (Schedule::dim_classes).
inline void write_dim_classes(std::ostream& o, const Schedule& s) {
  for (Dim d : kAllDims) {
    o << dim_name(d) << ':';
    for (const DimClass& c : s.dim_classes(d)) {
      o << " [" << c.weight;
      for (const auto& [len, cnt] : c.len_count) o << ' ' << len << 'x' << cnt;
      o << ']';
    }
    o << '\n';
  }
}

inline std::string one_layer(const std::string& layer_body) {
  return "Network T {\nLayer L {\n" + layer_body + "\n}\n}\n";
}

// DIRECTIVES.md worked example E1 (CONV K=4, C=2, R=3, Y=6 on 2 PEs), as a layer body.
inline constexpr const char* kE1Layer = R"(Type: CONV
    Dimensions { K: 4, C: 2, R: 3, S: 1, Y: 6, X: 1 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y;
               TemporalMap(Sz(R),Sz(R)) R; })";

// Compiles the first layer; on failure returns the diagnostics in `errors`.
inline std::optional<Schedule> compile(const std::string& text, int64_t pes,
                                       std::vector<Diagnostic>* errors = nullptr) {
  std::vector<Diagnostic> diags;
  std::optional<Schedule> out;
  try {
    MFile f = parse_mfile(text, "test.m");
    auto L = make_layer(f.layers.at(0), 0, diags);
    if (L && f.layers[0].dataflow) {
      ScheduleResult r = build_schedule(*L, *f.layers[0].dataflow, hw_with_pes(pes));
      diags.insert(diags.end(), r.diagnostics.begin(), r.diagnostics.end());
      out = std::move(r.schedule);
    }
  } catch (const InputError& e) {
    diags = e.diagnostics();
  }
  if (errors) {
    errors->clear();
    for (auto& d : diags)
      if (d.severity == Severity::kError) errors->push_back(d);
  }
  return out;
}

inline std::optional<Schedule> compile_e1() { return compile(one_layer(kE1Layer), 2); }

struct WalkStats {
  int64_t steps = 0, macs = 0, compute_cycles = 0, active_sum = 0, peak_active = 0;
  int64_t top_steps = 0;
  bool every_point_once = true;
  std::string first_problem;
};

// Walks every step; counts each MAC point (n,g,k,c,m,p,q,r,s) and checks exact coverage.
inline WalkStats walk(const Schedule& s, int64_t simd_lanes = 1, bool check_coverage = true) {
  WalkStats w;
  const LayerSpec& L = s.layer();
  std::vector<uint8_t> seen;
  if (check_coverage) seen.assign(static_cast<size_t>(L.macs()), 0);
  StepWalker walker(s);
  for (; !walker.done(); walker.next()) {
    ++w.steps;
    w.top_steps = walker.top_step() + 1;
    const int64_t active = walker.active_pes();
    w.active_sum += active;
    w.peak_active = std::max(w.peak_active, active);
    w.compute_cycles += (walker.busiest_pe_macs() + simd_lanes - 1) / simd_lanes;
    for (const PeTile& t : walker.tiles()) {
      if (!t.active()) continue;
      w.macs += t.macs();
      if (!check_coverage) continue;
      // Enumerate the box in row-major order over kAllDims.
      std::array<int64_t, kNumDims> i{};
      for (int d = 0; d < kNumDims; ++d) i[d] = t.r[d].lo;
      while (true) {
        int64_t lin = 0;
        for (int d = 0; d < kNumDims; ++d) lin = lin * L.extent[d] + i[d];
        if (lin < 0 || lin >= static_cast<int64_t>(seen.size())) {
          w.every_point_once = false;
          w.first_problem = "point outside the layer";
        } else if (++seen[lin] > 1 && w.every_point_once) {
          w.every_point_once = false;
          w.first_problem = "point visited twice at step " + std::to_string(walker.step());
        }
        int d = kNumDims - 1;
        for (; d >= 0; --d) {
          if (++i[d] < t.r[d].hi) break;
          i[d] = t.r[d].lo;
        }
        if (d < 0) break;
      }
    }
  }
  if (check_coverage) {
    for (size_t k = 0; k < seen.size(); ++k)
      if (seen[k] == 0 && w.every_point_once) {
        w.every_point_once = false;
        w.first_problem = "point " + std::to_string(k) + " never visited";
      }
  }
  return w;
}

}  // namespace baton::test
