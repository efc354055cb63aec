// Internal: the Builder that validates and compiles a dataflow (schedule_build.cpp,
// schedule_level.cpp).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baton/dataflow/schedule.h"

namespace baton::detail {

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A dimension name of at most two characters as one number (0 for longer names): the key of
// Builder's size cache.
inline uint32_t name_key(const std::string& n) {
  if (n.empty() || n.size() > 2) return 0;
  return uint32_t(uint8_t(n[0])) | uint32_t(uint8_t(n.size() == 2 ? n[1] : 0)) << 8 |
         uint32_t(n.size()) << 16;
}

// The dim (as idx) that a one-letter name other than Y, X denotes, or -1.
inline int letter_dim(char ch) {
  switch (ch) {
    case 'N': return idx(Dim::N);
    case 'G': return idx(Dim::G);
    case 'K': return idx(Dim::K);
    case 'C': return idx(Dim::C);
    case 'M': return idx(Dim::M);
    case 'R': return idx(Dim::R);
    case 'S': return idx(Dim::S);
    default: return -1;
  }
}

// LayerSpec::size_of(name), faster (the Builder resolves every `Sz(...)` with it).
std::optional<int64_t> size_of_name(const LayerSpec& L, const std::string& name);

struct RawDir {
  const DirectiveDecl* decl = nullptr;
  int64_t size = 0, offset = 0;
  Dim dim = Dim::K;
  bool input_coord = false;  // Y or X written in input coordinates (sliding window)
};

// One level's directives (a view into Builder::run's buffer).
struct RawSpan {
  const RawDir* b = nullptr;
  const RawDir* e = nullptr;
  const RawDir* begin() const { return b; }
  const RawDir* end() const { return e; }
  bool empty() const { return b == e; }
  const RawDir& front() const { return *b; }
};

// Where a level came from: the Cluster directive opening it (null for the top level), and
// whether any of its directives was dropped because of an error (no follow-up errors then).
struct LevelSource {
  const DirectiveDecl* cluster = nullptr;
  bool lost = false;
};

class Builder {
 public:
  Builder(const LayerSpec& L, const DataflowDecl& df, const HardwareSpec& hw)
      : L_(L), df_(df), hw_(hw) {}

  ScheduleResult run();

 private:
  void err(const SourceLoc& loc, std::string msg, std::string hint = {}) {
    diags_.push_back(make_error(loc, "layer '" + L_.name + "': " + msg, std::move(hint)));
  }
  // The hot paths are inline; a name not yet looked up and every error go out of line.
  std::optional<int64_t> resolve(const SizeExpr& e) {
    if (e.kind == SizeExpr::Kind::kLiteral) return e.value;
    const uint32_t key = name_key(e.dim);
    for (size_t i = 0; i < nsizes_; ++i)
      if (sizes_[i].first == key) return sizes_[i].second;
    return resolve_new_name(e, key);
  }
  std::optional<int64_t> resolve_new_name(const SizeExpr& e, uint32_t key);
  // The internal dim of a directive, and whether it is in input coordinates (Y, X).
  std::optional<std::pair<Dim, bool>> resolve_dim(const DirectiveDecl& d) {
    const std::string& n = d.dim;
    const bool prime = n.size() == 2 && n[1] == '\'';
    if (n.size() == 1 || prime) {
      const char ch = n[0];
      if (L_.type != LayerType::kGemm && (ch == 'Y' || ch == 'X')) {
        const Dim out = ch == 'Y' ? Dim::P : Dim::Q;
        if (!prime) return std::make_pair(out, true);
        if (L_.type != LayerType::kTrconv) return std::make_pair(out, false);
      } else if (!prime) {
        const int dim = letter_dim(ch);
        if (dim >= 0 && L_.used[dim]) return std::make_pair(static_cast<Dim>(dim), false);
      }
    }
    bad_dim(d);
    return std::nullopt;
  }
  [[gnu::cold, gnu::noinline]] void bad_size_name(const SizeExpr& e);
  [[gnu::cold, gnu::noinline]] void bad_dim(const DirectiveDecl& d);
  [[gnu::cold, gnu::noinline]] void bad_offset(const RawDir& d, const std::string& what);
  void build_level(RawSpan dirs, Level& lvl, int level_no, const LevelSource& src);
  void add_loop(Level& lvl, const RawDir& d, LoopKind kind, int64_t tile, bool zipped);
  // Offset == size unless one tile holds the extent (else tiles overlap or leave gaps).
  bool check_offset(const RawDir& d, int64_t extent, const std::string& what) {
    if (d.size >= extent || d.offset == d.size) return true;
    bad_offset(d, what);
    return false;
  }

  const LayerSpec& L_;
  const DataflowDecl& df_;
  const HardwareSpec& hw_;
  std::vector<Diagnostic> diags_;
  std::string texts_;     // the loops' directive texts (Schedule::text)
  size_t text_used_ = 0;  // of texts_ (sized for every directive's text)
  // Declared sizes already looked up (`Sz(R)` recurs in most directives): name key, size.
  std::array<std::pair<uint32_t, int64_t>, 8> sizes_;  // the first nsizes_ are set
  size_t nsizes_ = 0;
};

}  // namespace baton::detail
