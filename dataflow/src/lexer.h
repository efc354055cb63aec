// Tokeniser for MAESTRO `.m` files (internal to baton::dataflow).
#pragma once

#include <string>
#include <vector>

#include "baton/dataflow/diagnostic.h"

namespace baton::detail {

struct Token {
  enum class Kind { kWord, kNumber, kPunct, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // words: `’` replaced by `'`; punct: one of { } ( ) , ; :
  SourceLoc loc;
};

// Splits text into words (letters, digits, `_ . - '`), numbers (digits) and the punctuation
// `{ } ( ) , ; :`. `//` starts a comment to end of line. Unknown characters are reported in
// `errors` and skipped. The last token is kEnd.
std::vector<Token> tokenize(const std::string& text, const std::string& path,
                            std::vector<Diagnostic>& errors);

}  // namespace baton::detail
