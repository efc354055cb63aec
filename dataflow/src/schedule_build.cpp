// build_schedule: validates a dataflow against DIRECTIVES.md "Errors" and compiles it to the
// canonical Schedule (clean tilings in output coordinates).
#include <algorithm>
#include <set>
#include <utility>

#include "schedule_builder.h"

namespace baton::detail {

namespace {
// A dimension name of at most two characters as one number (0 for longer names): the key of
// Builder's size cache.
uint32_t name_key(const std::string& n) {
  if (n.empty() || n.size() > 2) return 0;
  return uint32_t(uint8_t(n[0])) | uint32_t(uint8_t(n.size() == 2 ? n[1] : 0)) << 8 |
         uint32_t(n.size()) << 16;
}

// The dims that a one-letter name (other than Y, X) denotes.
std::optional<Dim> letter_dim(char ch) {
  switch (ch) {
    case 'N': return Dim::N;
    case 'G': return Dim::G;
    case 'K': return Dim::K;
    case 'C': return Dim::C;
    case 'M': return Dim::M;
    case 'R': return Dim::R;
    case 'S': return Dim::S;
    default: return std::nullopt;
  }
}
}  // namespace

// LayerSpec::size_of by characters instead of string compares (the same answers; checked
// against it in schedule_builder_test.cpp): Y/X and their primes need either spelling declared.
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
  const std::optional<Dim> d = letter_dim(ch);
  if (prime || !d || !L.used[idx(*d)] || !declared(false)) return std::nullopt;
  return L.dim(*d);
}

std::optional<int64_t> Builder::resolve_name(const SizeExpr& e) {
  const uint32_t key = name_key(e.dim);
  for (size_t i = 0; i < nsizes_; ++i)
    if (sizes_[i].first == key) return sizes_[i].second;
  if (auto v = size_of_name(L_, e.dim)) {
    if (key && nsizes_ < sizes_.size()) sizes_[nsizes_++] = {key, *v};
    return *v;
  }
  err(e.loc, "`" + e.text + "`: '" + e.dim + "' is not a declared dimension of this " +
                 layer_type_name(L_.type) + " layer",
      "declare it in `Dimensions` or use a number");
  return std::nullopt;
}

std::optional<std::pair<Dim, bool>> Builder::resolve_dim(const DirectiveDecl& d) {
  const std::string& n = d.dim;
  const bool gemm = L_.type == LayerType::kGemm;
  const bool prime = n.size() == 2 && n[1] == '\'';
  if (n.size() == 1 || prime) {
    const char ch = n[0];
    if (!gemm && (ch == 'Y' || ch == 'X')) {
      if (!prime) return std::make_pair(ch == 'Y' ? Dim::P : Dim::Q, true);
      if (L_.type == LayerType::kTrconv) {
        err(d.dim_loc, "`" + d.text + "`: " + n + " directives are not allowed on a TRCONV layer",
            n == "Y'" ? "tile the lowered input rows with `TemporalMap(Sz(R),1) Y`"
                      : "tile the lowered input columns with `TemporalMap(Sz(S),1) X`");
        return std::nullopt;
      }
      return std::make_pair(ch == 'Y' ? Dim::P : Dim::Q, false);
    }
    const std::optional<Dim> dim = letter_dim(ch);
    if (!prime && dim && L_.used[idx(*dim)]) return std::make_pair(*dim, false);
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
