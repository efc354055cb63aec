// Builder::run and Builder::build_level: levels, units, directive → canonical loop conversion.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>

#include "schedule_builder.h"

namespace baton::detail {
namespace {
std::string at(const SourceLoc& l) {
  return "line " + std::to_string(l.line) + ":" + std::to_string(l.column);
}
}  // namespace

ScheduleResult Builder::run() {
  ScheduleResult res;
  // Every loop's text fits in texts_ sized for all directives (cut to what is used at the end).
  size_t text_room = 0;
  for (const auto& d : df_.directives) text_room += d.text.size();
  texts_.resize(text_room);
  // Scratch in a stack buffer (no allocation for the usual few dozen directives).
  alignas(16) std::byte buf[4096];
  std::pmr::monotonic_buffer_resource mem(buf, sizeof buf);
  std::pmr::vector<RawDir> raw(&mem);  // every level's directives, level by level
  raw.reserve(df_.directives.size());
  // Per level: its first directive in raw, the opening Cluster and lost directives, and its
  // units (the Cluster size; the top level's come from the hardware below).
  struct Start {
    size_t first;
    LevelSource src;
    int64_t units;
  };
  std::pmr::vector<Start> starts(&mem);
  starts.reserve(8);
  starts.push_back({0, LevelSource{}, 1});
  for (const auto& d : df_.directives) {
    if (d.kind == DirectiveDecl::Kind::kCluster) {
      auto v = resolve(d.size);
      starts.push_back({raw.size(), {&d, !v}, v.value_or(1)});
      continue;
    }
    auto s = resolve(d.size);
    auto o = resolve(d.offset);
    auto dim = resolve_dim(d);
    if (s && o && dim) {
      raw.push_back({&d, *s, *o, dim->first, dim->second});
    } else {
      starts.back().src.lost = true;
    }
  }
  FitResult fit;
  int64_t product = 1;
  constexpr int64_t kMaxPes = int64_t{1} << 40;  // keeps PE counts and ids exact in int64
  for (size_t i = 1; i < starts.size(); ++i) {
    if (__builtin_mul_overflow(product, starts[i].units, &product) || product > kMaxPes) {
      const DirectiveDecl* c = starts[i].src.cluster;
      err(c->loc, "`" + c->text + "`: cluster sizes multiply to more than 2^40 PEs",
          "a cluster size counts the units of one cluster; the hardware has " +
              std::to_string(hw_.pes) + " PEs");
      res.diagnostics = std::move(diags_);
      return res;
    }
  }
  int64_t top_units = hw_.pes / product;
  if (top_units == 0) {
    fit.fits = false;
    fit.reason = "cluster sizes multiply to " + std::to_string(product) +
                 " PEs but the hardware has " + std::to_string(hw_.pes) +
                 " (counts are given for one cluster)";
    top_units = 1;
  }
  std::vector<Level> levels(starts.size());
  for (size_t i = 0; i < levels.size(); ++i) {
    Level& lvl = levels[i];
    lvl.units = i == 0 ? top_units : starts[i].units;
    if (i == 0) {
      lvl.extent = L_.extent;
    } else {
      lvl.extent = levels[i - 1].extent;
      for (const Loop& lp : levels[i - 1].loops) lvl.extent[idx(lp.dim)] = lp.tile;
    }
    const size_t end = i + 1 < starts.size() ? starts[i + 1].first : raw.size();
    build_level(RawSpan{raw.data() + starts[i].first, raw.data() + end}, lvl, static_cast<int>(i),
                starts[i].src);
  }
  for (const auto& d : diags_) {
    if (d.severity == Severity::kError) {
      res.diagnostics = std::move(diags_);
      return res;
    }
  }
  texts_.resize(text_used_);
  res.schedule.emplace(L_, std::move(levels), fit, hw_.pes, std::move(texts_));
  res.diagnostics = std::move(diags_);
  return res;
}

void Builder::build_level(RawSpan dirs, Level& lvl, int level_no,
                          const LevelSource& src) {
  std::array<const RawDir*, kNumDims> seen{};
  // At most one directive per dim is kept (fixed arrays: no allocation).
  struct Ptrs {
    std::array<const RawDir*, kNumDims> v{};
    size_t n = 0;
    void push_back(const RawDir* p) { v[n++] = p; }
    size_t size() const { return n; }
    bool empty() const { return n == 0; }
    const RawDir* operator[](size_t i) const { return v[i]; }
    const RawDir* const* begin() const { return v.data(); }
    const RawDir* const* end() const { return v.data() + n; }
  } spatial, kept;
  for (const auto& d : dirs) {
    if (const RawDir* first = seen[idx(d.dim)]) {
      err(d.decl->loc, "`" + d.decl->text + "`: a second directive on " + d.decl->dim +
                           " in one level (first: `" + first->decl->text + "` at " +
                           at(first->decl->loc) + ")",
          "keep one directive per dimension and level (Y and Y' are the same dimension)");
      continue;
    }
    seen[idx(d.dim)] = &d;
    kept.push_back(&d);
    if (d.decl->kind == DirectiveDecl::Kind::kSpatial) spatial.push_back(&d);
  }
  const RawDir* zip_y = nullptr;
  const RawDir* zip_k = nullptr;
  if (spatial.size() > 2) {
    err(spatial[2]->decl->loc, "`" + spatial[2]->decl->text + "`: more than two SpatialMaps in "
        "one level", "one SpatialMap per level, or a Y-R / X-S pair (row stationary)");
  } else if (spatial.size() == 2) {
    auto pair = [](const RawDir* w, const RawDir* k) {
      return w->input_coord && ((w->dim == Dim::P && k->dim == Dim::R) ||
                                (w->dim == Dim::Q && k->dim == Dim::S));
    };
    if (pair(spatial[0], spatial[1])) {
      zip_y = spatial[0], zip_k = spatial[1];
    } else if (pair(spatial[1], spatial[0])) {
      zip_y = spatial[1], zip_k = spatial[0];
    } else {
      err(spatial[1]->decl->loc, "`" + spatial[0]->decl->text + "` and `" +
              spatial[1]->decl->text + "` are two SpatialMaps in one level that are not a "
              "Y-R or X-S pair: unit u would get tile u of both, a diagonal of the MACs",
          "use one SpatialMap per level, or pair input rows Y with R (X with S)");
    }
  }
  if (lvl.units > 1 && spatial.empty() && !src.lost) {
    // Point at the Cluster that made the units (the top level: its first directive).
    const SourceLoc loc = src.cluster ? src.cluster->loc
                          : dirs.empty() ? df_.loc
                                         : dirs.front().decl->loc;
    const std::string what = src.cluster ? "the level below `" + src.cluster->text + "`"
                                         : "the top level";
    err(loc, "level " + std::to_string(level_no) + " (" + what + ") has " +
                 std::to_string(lvl.units) +
                 " units but no SpatialMap (every unit would repeat the same MACs)",
        "add a SpatialMap to the level, e.g. `SpatialMap(1,1) K`");
  }
  auto window_tile = [&](Dim k) {
    const int64_t e = lvl.extent[idx(k)];
    return seen[idx(k)] ? std::min(seen[idx(k)]->size, e) : e;
  };
  lvl.loops.reserve(kept.size());
  for (const RawDir* dp : kept) {
    const RawDir& d = *dp;
    const LoopKind kind = d.decl->kind == DirectiveDecl::Kind::kSpatial ? LoopKind::kSpatial
                                                                        : LoopKind::kTemporal;
    const int64_t E = lvl.extent[idx(d.dim)];
    if (dp == zip_y) continue;  // folded into the R (S) loop below
    if (dp == zip_k) {
      const bool rows = d.dim == Dim::R;
      const int64_t sigma = rows ? L_.stride_y : L_.stride_x;
      const int64_t ep = lvl.extent[idx(rows ? Dim::P : Dim::Q)];
      const int64_t yin = (ep - 1) * sigma + E;
      const int64_t o = d.offset;
      const int64_t ny = zip_y->size >= yin ? 1 : ceil_div(yin - zip_y->size, zip_y->offset) + 1;
      const int64_t nk = d.size >= E ? 1 : ceil_div(E - d.size, o) + 1;
      auto pair_txt = [&] { return "`" + zip_y->decl->text + "` with `" + d.decl->text + "`"; };
      if (zip_y->offset != o) {
        err(d.decl->loc, pair_txt() + ": paired SpatialMaps need equal offsets",
            "write both with the same offset, e.g. SpatialMap(1,1) for both");
        continue;
      }
      if (ny != nk) {
        err(d.decl->loc, pair_txt() + ": " + std::to_string(ny) + " input-row tiles but " +
                std::to_string(nk) + " filter-row tiles (the level has " + std::to_string(yin) +
                " input rows, " + std::to_string(E) + " filter rows)",
            "a row-stationary pair needs one output row per cluster: map Y' with "
            "`SpatialMap(1,1) Y'` one level up");
        continue;
      }
      if (!check_offset(d, E, d.decl->dim)) continue;
      bool covers = true;
      for (int64_t i = 0; i < nk && covers; ++i) {
        const int64_t y1 = std::min(i * o + zip_y->size, yin), r1 = std::min(i * o + d.size, E);
        covers = y1 - r1 >= (ep - 1) * sigma;
      }
      if (!covers) {
        err(d.decl->loc, pair_txt() + ": the pairing does not cover the level's " +
                std::to_string(ep) + " output rows exactly",
            "give each cluster one output row (`SpatialMap(1,1) Y'` above) or widen the Y tile");
        continue;
      }
      add_loop(lvl, d, LoopKind::kSpatial, d.size, true);
      continue;
    }
    if (d.input_coord) {
      const bool rows = d.dim == Dim::P;
      const int64_t sigma = rows ? L_.stride_y : L_.stride_x;
      const int64_t r = window_tile(rows ? Dim::R : Dim::S);
      const char* k = rows ? "R" : "S";
      const char* in_unit = rows ? " input rows" : " input columns";
      const char* out_unit = rows ? " output rows" : " output columns";
      if (d.size < r) {
        err(d.decl->loc, "`" + d.decl->text + "`: a tile of " + std::to_string(d.size) +
                             in_unit + " cannot hold one output" + (rows ? " row" : " column") +
                             " with the " + k +
                             " tile of " + std::to_string(r),
            std::string("use a size of at least ") + std::to_string(r) + ", e.g. Sz(" + k + ")");
        continue;
      }
      const int64_t sp = (d.size - r) / sigma + 1;
      const int64_t op = ceil_div(d.offset, sigma);
      if (sp < E && op != sp) {
        err(d.decl->loc, "`" + d.decl->text + "`: each tile covers " + std::to_string(sp) +
                (sp == 1 ? (rows ? " output row" : " output column") : out_unit) + " (window " + k + " = " + std::to_string(r) + ", stride " +
                std::to_string(sigma) + ") but advances " + std::to_string(op) +
                (op < sp ? std::string(": tiles overlap in") + out_unit + " (MACs repeated)"
                         : std::string(":") + out_unit + " are skipped (MACs lost)"),
            "advance by " + std::to_string(sp * sigma) + ": `" +
                (kind == LoopKind::kSpatial ? "SpatialMap(" : "TemporalMap(") +
                std::to_string(d.size) + "," + std::to_string(sp * sigma) + ") " + d.decl->dim +
                "`");
        continue;
      }
      add_loop(lvl, d, kind, sp, false);
      continue;
    }
    if (!check_offset(d, E, d.decl->dim)) continue;
    add_loop(lvl, d, kind, d.size, false);
  }
}

}  // namespace baton::detail

namespace baton {
ScheduleResult build_schedule(const LayerSpec& layer, const DataflowDecl& dataflow,
                              const HardwareSpec& hw) {
  return detail::Builder(layer, dataflow, hw).run();
}
}  // namespace baton
