// baton::dataflow — syntax tree of MAESTRO `.m` model / mapping / dataflow-template files.
//
// The parser reads MAESTRO files unchanged (separators `, ; :` optional, `//` comments, names
// with `.` `-` `'`, the typographic ’ read as '). It checks syntax only; dimension and directive
// semantics are checked when a layer is built (layer.h) and scheduled (schedule.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/diagnostic.h"

namespace baton {

// A directive operand: an integer literal (constants already substituted) or Sz(D).
struct SizeExpr {
  enum class Kind { kLiteral, kSizeOf };
  Kind kind = Kind::kLiteral;
  int64_t value = 0;    // kLiteral
  std::string dim;      // kSizeOf: the dimension name as written (Y' normalised)
  SourceLoc loc;
  std::string text;     // as written, for messages
};

struct DirectiveDecl {
  enum class Kind { kTemporal, kSpatial, kCluster };
  Kind kind = Kind::kTemporal;
  SizeExpr size;
  SizeExpr offset;      // unused for kCluster
  std::string dim;      // unused for kCluster; Y' / X' normalised (’ → ')
  SourceLoc loc;        // of the keyword
  SourceLoc dim_loc;
  std::string text;     // the directive as written (one line), for messages
};

struct DataflowDecl {
  std::vector<DirectiveDecl> directives;
  SourceLoc loc;  // of the `Dataflow` keyword
};

struct DimDecl {
  std::string name;  // K, C, R, S, Y, X, Y', X', N, G, M
  int64_t value = 0;
  SourceLoc loc;
};

struct LayerDecl {
  std::string name;
  SourceLoc loc;              // of the name
  std::string type;           // as written (CONV, DSCONV, ...); empty if missing
  SourceLoc type_loc;
  std::vector<DimDecl> strides;
  std::vector<DimDecl> dims;
  std::optional<DataflowDecl> dataflow;
};

struct MFile {
  std::string path;
  std::string network_name;
  std::vector<LayerDecl> layers;
  std::optional<DataflowDecl> dataflow;  // a top-level Dataflow block (template file)
  std::vector<Diagnostic> warnings;
};

// Parses `.m` text. Throws InputError listing every syntax error found.
MFile parse_mfile(const std::string& text, const std::string& path);
// Reads and parses a file; a missing/unreadable file is an InputError.
MFile read_mfile(const std::string& path);

}  // namespace baton
