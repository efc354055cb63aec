// build_schedule: validates a dataflow against DIRECTIVES.md "Errors" and compiles it to the
// canonical Schedule (clean tilings in output coordinates).
#include <algorithm>
#include <cstring>
#include <utility>

#include "schedule_builder.h"

namespace baton::detail {

// LayerSpec::size_of by characters instead of string compares (the same answers; checked
// against it in schedule_fast_test.cpp): Y/X and their primes need either spelling declared.
std::optional<int64_t> size_of_name(const LayerSpec& L, const std::string& n) {
  const bool prime = n.size() == 2 && n[1] == '\'';
  if (n.size() != 1 && !prime) return std::nullopt;
  const char ch = n[0];
  auto declared = [&](bool either) {
    for (const std::string& s : L.declared)
      if (!s.empty() && s[0] == ch &&
          (s.size() == 1 ? either || !prime : s.size() == 2 && s[1] == '\'' && (either || prime)))
        return true;
    return false;
  };
  if (ch == 'Y' || ch == 'X') {
    if (L.type == LayerType::kGemm || !declared(true)) return std::nullopt;
    if (ch == 'Y') return prime ? L.dim(Dim::P) : L.input_rows;
    return prime ? L.dim(Dim::Q) : L.input_cols;
  }
  const int d = letter_dim(ch);
  if (prime || d < 0 || !L.used[d] || !declared(false)) return std::nullopt;
  return L.extent[d];
}

std::optional<int64_t> Builder::resolve_new_name(const SizeExpr& e, uint32_t key) {
  if (auto v = size_of_name(L_, e.dim)) {
    if (key && nsizes_ < sizes_.size()) sizes_[nsizes_++] = {key, *v};
    return *v;
  }
  bad_size_name(e);
  return std::nullopt;
}

// The error reports live apart from the hot paths (their string building would otherwise
// weigh on every call).
void Builder::bad_size_name(const SizeExpr& e) {
  err(e.loc, "`" + e.text + "`: '" + e.dim + "' is not a declared dimension of this " +
                 layer_type_name(L_.type) + " layer",
      "declare it in `Dimensions` or use a number");
}

void Builder::bad_dim(const DirectiveDecl& d) {
  const std::string& n = d.dim;
  const bool gemm = L_.type == LayerType::kGemm;
  if (!gemm && L_.type == LayerType::kTrconv && (n == "Y'" || n == "X'")) {
    err(d.dim_loc, "`" + d.text + "`: " + n + " directives are not allowed on a TRCONV layer",
        n == "Y'" ? "tile the lowered input rows with `TemporalMap(Sz(R),1) Y`"
                  : "tile the lowered input columns with `TemporalMap(Sz(S),1) X`");
    return;
  }
  std::string allowed = gemm ? "M, N, K" : "N, K, C, R, S, Y, X, Y', X'";
  if (L_.type == LayerType::kNgconv) allowed += ", G";
  err(d.dim_loc, "`" + d.text + "`: unknown dimension '" + n + "' for a " +
                     layer_type_name(L_.type) + " layer",
      n == "G" ? "G is a dimension of NGCONV only" : "allowed: " + allowed);
}

void Builder::bad_offset(const RawDir& d, const std::string& what) {
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
}

void Builder::add_loop(Level& lvl, const RawDir& d, LoopKind kind, int64_t tile, bool zipped) {
  Loop lp;
  lp.dim = d.dim;
  lp.kind = kind;
  lp.extent = lvl.extent[idx(d.dim)];
  lp.tile = std::min(tile, lp.extent);
  lp.zipped = zipped;
  lp.text_at = static_cast<uint32_t>(text_used_);
  lp.text_len = static_cast<uint32_t>(d.decl->text.size());
  std::memcpy(texts_.data() + text_used_, d.decl->text.data(), lp.text_len);
  text_used_ += lp.text_len;
  lp.tiles = ceil_div(lp.extent, lp.tile);
  lp.edge_tile = lp.extent - (lp.tiles - 1) * lp.tile;
  lp.trips = kind == LoopKind::kSpatial ? ceil_div(lp.tiles, lvl.units) : lp.tiles;
  if (kind == LoopKind::kSpatial) lvl.spatial = static_cast<int>(lvl.loops.size());
  lvl.loops.push_back(std::move(lp));
}

}  // namespace baton::detail
