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
  std::optional<int64_t> resolve(const SizeExpr& e) {
    if (e.kind == SizeExpr::Kind::kLiteral) return e.value;
    return resolve_name(e);
  }
  std::optional<int64_t> resolve_name(const SizeExpr& e);
  std::optional<std::pair<Dim, bool>> resolve_dim(const DirectiveDecl& d);
  void build_level(RawSpan dirs, Level& lvl, int level_no, const LevelSource& src);
  void add_loop(Level& lvl, const RawDir& d, LoopKind kind, int64_t tile, bool zipped);
  bool check_offset(const RawDir& d, int64_t extent, const std::string& what);

  const LayerSpec& L_;
  const DataflowDecl& df_;
  const HardwareSpec& hw_;
  std::vector<Diagnostic> diags_;
  std::string texts_;  // the loops' directive texts (Schedule::text)
  // Declared sizes already looked up (`Sz(R)` recurs in most directives): name key, size.
  std::array<std::pair<uint32_t, int64_t>, 8> sizes_{};
  size_t nsizes_ = 0;
};

}  // namespace baton::detail
