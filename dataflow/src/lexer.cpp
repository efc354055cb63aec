#include "lexer.h"

#include <cctype>

namespace baton::detail {
namespace {

bool is_word_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '\'';
}

}  // namespace

std::vector<Token> tokenize(const std::string& text, const std::string& path,
                            std::vector<Diagnostic>& errors) {
  std::vector<Token> out;
  int line = 1;
  int col = 1;
  size_t i = 0;
  const size_t n = text.size();
  auto advance = [&](size_t k) {
    for (size_t j = 0; j < k && i < n; ++j, ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++col;  // count UTF-8 code points, not bytes
      }
    }
  };
  static const std::string kCurlyQuote = "\xE2\x80\x99";  // ’
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') advance(1);
      continue;
    }
    if (std::isspace(c)) {
      advance(1);
      continue;
    }
    SourceLoc loc{path, line, col};
    if (c == '{' || c == '}' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':') {
      out.push_back({Token::Kind::kPunct, std::string(1, static_cast<char>(c)), loc});
      advance(1);
      continue;
    }
    if (is_word_char(c) || text.compare(i, kCurlyQuote.size(), kCurlyQuote) == 0) {
      std::string word;
      while (i < n) {
        if (text.compare(i, kCurlyQuote.size(), kCurlyQuote) == 0) {
          word += '\'';
          advance(kCurlyQuote.size());
        } else if (is_word_char(static_cast<unsigned char>(text[i]))) {
          word += text[i];
          advance(1);
        } else {
          break;
        }
      }
      bool all_digits = !word.empty();
      for (char ch : word) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(ch));
      out.push_back({all_digits ? Token::Kind::kNumber : Token::Kind::kWord, word, loc});
      continue;
    }
    // Any other byte (or a UTF-8 sequence other than ’) is not part of the language.
    size_t len = 1;
    if (c >= 0xC0) {
      while (i + len < n && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80) ++len;
    }
    errors.push_back(make_error(loc, "unexpected character '" + text.substr(i, len) + "'",
                                "only letters, digits, _ . - ' and { } ( ) , ; : are allowed "
                                "outside comments"));
    advance(len);
  }
  out.push_back({Token::Kind::kEnd, "", SourceLoc{path, line, col}});
  return out;
}

}  // namespace baton::detail
