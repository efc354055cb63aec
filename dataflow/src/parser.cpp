// Recursive-descent parser for MAESTRO `.m` files (grammar: MAESTRO-SEMANTICS.md §1.2).
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "baton/dataflow/mfile.h"
#include "parser_impl.h"

namespace baton {
MFile parse_mfile(const std::string& text, const std::string& path) {
  std::vector<Diagnostic> errors;
  auto toks = detail::tokenize(text, path, errors);
  detail::Parser p(std::move(toks), path, errors);
  MFile f = p.parse();
  if (!errors.empty()) throw InputError(std::move(errors));
  return f;
}

MFile read_mfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot open '" + path + "'",
                                "check the path; .m files are MAESTRO model/mapping files"));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_mfile(ss.str(), path);
}

}  // namespace baton
