// build_schedule: validates a dataflow against DIRECTIVES.md "Errors" and compiles it to the
// canonical Schedule (clean tilings in output coordinates).
#include <algorithm>
#include <set>
#include <utility>

#include "schedule_builder.h"

namespace baton::detail {

std::optional<int64_t> Builder::resolve(const SizeExpr& e) {
  if (e.kind == SizeExpr::Kind::kLiteral) return e.value;
  for (size_t i = 0; i < nsizes_; ++i)
    if (*sizes_[i].first == e.dim) return sizes_[i].second;
  if (auto v = L_.size_of(e.dim)) {
    if (nsizes_ < sizes_.size()) sizes_[nsizes_++] = {&e.dim, *v};
    return *v;
  }
  err(e.loc, "`" + e.text + "`: '" + e.dim + "' is not a declared dimension of this " +
                 layer_type_name(L_.type) + " layer",
      "declare it in `Dimensions` or use a number");
  return std::nullopt;
}

namespace {
// a == b without building a string (b is NUL-terminated).
bool eq(const std::string& a, const char* b) {
  size_t i = 0;
  for (; i < a.size(); ++i)
    if (b[i] != a[i] || b[i] == '\0') return false;
  return b[i] == '\0';
}
}  // namespace

std::optional<std::pair<Dim, bool>> Builder::resolve_dim(const DirectiveDecl& d) {
  const std::string& n = d.dim;
  const bool gemm = L_.type == LayerType::kGemm;
  if (!gemm && (eq(n, "Y") || eq(n, "X")))
    return std::make_pair(n[0] == 'Y' ? Dim::P : Dim::Q, true);
  if (!gemm && (eq(n, "Y'") || eq(n, "X'"))) {
    if (L_.type == LayerType::kTrconv) {
      err(d.dim_loc, "`" + d.text + "`: " + n + " directives are not allowed on a TRCONV layer",
          n == "Y'" ? "tile the lowered input rows with `TemporalMap(Sz(R),1) Y`"
                    : "tile the lowered input columns with `TemporalMap(Sz(S),1) X`");
      return std::nullopt;
    }
    return std::make_pair(n[0] == 'Y' ? Dim::P : Dim::Q, false);
  }
  for (Dim dim : kAllDims) {
    if (dim == Dim::P || dim == Dim::Q) continue;
    if (eq(n, dim_name(dim)) && L_.used[idx(dim)]) return std::make_pair(dim, false);
  }
  std::string allowed = gemm ? "M, N, K" : "N, K, C, R, S, Y, X, Y', X'";
  if (L_.type == LayerType::kNgconv) allowed += ", G";
  err(d.dim_loc, "`" + d.text + "`: unknown dimension '" + n + "' for a " +
                     layer_type_name(L_.type) + " layer",
      n == "G" ? "G is a dimension of NGCONV only" : "allowed: " + allowed);
  return std::nullopt;
}

bool Builder::check_offset(const RawDir& d, int64_t extent, const std::string& what) {
  if (d.size >= extent || d.offset == d.size) return true;
  const std::string s = std::to_string(d.size);
  if (d.offset > d.size) {
    err(d.decl->loc, "`" + d.decl->text + "`: offset " + std::to_string(d.offset) +
                         " > size " + s + " on " + what + " leaves gaps (MACs skipped)",
        "use an offset equal to the size: (" + s + "," + s + ")");
  } else {
    err(d.decl->loc, "`" + d.decl->text + "`: offset " + std::to_string(d.offset) +
                         " < size " + s + " on " + what + " makes tiles overlap (MACs repeated)",
        "use an offset equal to the size: (" + s + "," + s + ")");
  }
  return false;
}

void Builder::add_loop(Level& lvl, const RawDir& d, LoopKind kind, int64_t tile, bool zipped) {
  Loop lp;
  lp.dim = d.dim;
  lp.kind = kind;
  lp.extent = lvl.extent[idx(d.dim)];
  lp.tile = std::min(tile, lp.extent);
  lp.zipped = zipped;
  lp.text_at = static_cast<uint32_t>(texts_.size());
  lp.text_len = static_cast<uint32_t>(d.decl->text.size());
  texts_ += d.decl->text;
  lp.tiles = ceil_div(lp.extent, lp.tile);
  lp.edge_tile = lp.extent - (lp.tiles - 1) * lp.tile;
  lp.trips = kind == LoopKind::kSpatial ? ceil_div(lp.tiles, lvl.units) : lp.tiles;
  if (kind == LoopKind::kSpatial) lvl.spatial = static_cast<int>(lvl.loops.size());
  lvl.loops.push_back(std::move(lp));
}

}  // namespace baton::detail
