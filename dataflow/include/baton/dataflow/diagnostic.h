// baton::dataflow — located diagnostics shared by every reader (.m parser, YAML loader, CLI).
//
// Contract: user errors are collected as Diagnostic values (file, 1-based line and column, the
// offending text, what was expected, a hint) and thrown together as InputError; broken internal
// invariants throw InternalError via BATON_ASSERT. Only apps/ maps them to exit codes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace baton {

struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLoc loc;
  std::string message;  // what is wrong and what is allowed
  std::string hint;     // the fix, when there is an obvious one (may be empty)

  // "file:line:col: error: message (hint: ...)"
  std::string format() const;
};

// One or more user errors (bad file, bad option, impossible mapping). Exit status 2 in apps/.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diags);
  explicit InputError(Diagnostic diag);
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

 private:
  std::vector<Diagnostic> diags_;
};

// A broken invariant: a bug in baton, never the user's fault. Exit status 1 in apps/.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void internal_error(const char* file, int line, const std::string& what);

Diagnostic make_error(SourceLoc loc, std::string message, std::string hint = {});
Diagnostic make_warning(SourceLoc loc, std::string message, std::string hint = {});

}  // namespace baton

#define BATON_ASSERT(cond, what)                                        \
  do {                                                                  \
    if (!(cond)) ::baton::internal_error(__FILE__, __LINE__, (what));   \
  } while (0)
