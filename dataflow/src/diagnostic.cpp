#include "baton/dataflow/diagnostic.h"

#include <sstream>

namespace baton {

std::string Diagnostic::format() const {
  std::ostringstream os;
  if (!loc.file.empty()) {
    os << loc.file;
    if (loc.line > 0) {
      os << ':' << loc.line;
      if (loc.column > 0) os << ':' << loc.column;
    }
    os << ": ";
  }
  os << (severity == Severity::kError ? "error: " : "warning: ") << message;
  if (!hint.empty()) os << " (hint: " << hint << ')';
  return os.str();
}

namespace {
std::string join(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diags)
    : std::runtime_error(join(diags)), diags_(std::move(diags)) {}

InputError::InputError(Diagnostic diag) : InputError(std::vector<Diagnostic>{std::move(diag)}) {}

void internal_error(const char* file, int line, const std::string& what) {
  std::ostringstream os;
  os << "internal error (a bug in baton, please report it): " << what << " [" << file << ':'
     << line << ']';
  throw InternalError(os.str());
}

Diagnostic make_error(SourceLoc loc, std::string message, std::string hint) {
  return Diagnostic{Severity::kError, std::move(loc), std::move(message), std::move(hint)};
}

Diagnostic make_warning(SourceLoc loc, std::string message, std::string hint) {
  return Diagnostic{Severity::kWarning, std::move(loc), std::move(message), std::move(hint)};
}

}  // namespace baton
