// Parser class for MAESTRO `.m` files (internal to baton::dataflow).
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/mfile.h"
#include "lexer.h"

namespace baton::detail {

class Parser {
 public:
  Parser(std::vector<Token> toks, std::string path, std::vector<Diagnostic>& errors)
      : toks_(std::move(toks)), path_(std::move(path)), errors_(errors) {}

  MFile parse() {
    MFile f;
    f.path = path_;
    while (!at_end()) {
      const Token& t = peek();
      if (is_word("Constant")) {
        parse_constant();
      } else if (is_word("Network")) {
        next();
        if (peek().kind == Token::Kind::kWord && !is_punct("{")) f.network_name = next().text;
        const SourceLoc open = peek().loc;
        if (expect("{", "after `Network NAME`")) parse_network_body(f, open);
      } else if (is_word("Dataflow")) {
        if (f.dataflow) error(t.loc, "a second top-level `Dataflow` block", "a template has one");
        f.dataflow = parse_dataflow();
      } else if (is_word("Layer")) {
        f.layers.push_back(parse_layer());  // a bare layer list without `Network { }`
      } else if (is_word("Accelerator")) {
        f.warnings.push_back(make_warning(t.loc, "`Accelerator` block ignored",
                                          "give the hardware with --hw"));
        next();
        skip_block();
      } else {
        error(t.loc, "unexpected '" + t.text + "' at file level",
              "expected `Constant`, `Network`, `Layer` or `Dataflow`");
        next();
      }
    }
    return f;
  }

 private:
  const Token& peek(size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool at_end() const { return peek().kind == Token::Kind::kEnd; }
  bool is_word(const char* w) const {
    return peek().kind == Token::Kind::kWord && peek().text == w;
  }
  bool is_punct(const char* p) const {
    return peek().kind == Token::Kind::kPunct && peek().text == p;
  }
  void error(const SourceLoc& loc, std::string msg, std::string hint = {}) {
    errors_.push_back(make_error(loc, std::move(msg), std::move(hint)));
  }
  std::string shown(const Token& t) const {
    return t.kind == Token::Kind::kEnd ? "end of file" : "'" + t.text + "'";
  }
  bool expect(const char* p, const char* context, std::string hint = {}) {
    if (is_punct(p)) {
      next();
      return true;
    }
    error(peek().loc, std::string("expected '") + p + "' " + context + ", found " + shown(peek()),
          std::move(hint));
    return false;
  }
  // Hint for a missing `}`: where the block that is not closed opened.
  static std::string unclosed_hint(const std::string& block, const SourceLoc& open) {
    return "add the missing '}': the " + block + " block opened at line " +
           std::to_string(open.line) + ":" + std::to_string(open.column) +
           " is not closed (or a block inside it is not)";
  }
  void skip_separators() {
    while (is_punct(",") || is_punct(";") || is_punct(":")) next();
  }
  // Skips a `{ ... }` block (the opening brace is the next token); tolerates nesting.
  void skip_block() {
    if (!is_punct("{")) return;
    int depth = 0;
    do {
      if (is_punct("{")) ++depth;
      if (is_punct("}")) --depth;
      next();
    } while (depth > 0 && !at_end());
  }
  // Skips to the `}` closing the current block (not consuming it).
  void recover_to_close() {
    int depth = 0;
    while (!at_end()) {
      if (is_punct("{")) ++depth;
      if (is_punct("}")) {
        if (depth == 0) return;
        --depth;
      }
      next();
    }
  }

  std::optional<int64_t> parse_int(const char* what, bool allow_constant) {
    const Token& t = peek();
    if (t.kind == Token::Kind::kNumber) {
      next();
      // Bounded so that size arithmetic ((Y'-1)*stride + R, tile counts) cannot overflow.
      constexpr int64_t kMaxNumber = int64_t{1} << 31;
      int64_t v = kMaxNumber + 1;
      try {
        v = std::stoll(t.text);
      } catch (const std::exception&) {
      }
      if (v > kMaxNumber) {
        error(t.loc, std::string(what) + " '" + t.text + "' is too large",
              "numbers are at most 2147483648 (2^31)");
        return std::nullopt;
      }
      return v;
    }
    if (t.kind == Token::Kind::kWord && allow_constant) {
      auto it = constants_.find(t.text);
      if (it != constants_.end()) {
        next();
        return it->second;
      }
    }
    if (t.kind == Token::Kind::kWord && !t.text.empty() &&
        (t.text[0] == '-' || std::isdigit(static_cast<unsigned char>(t.text[0])))) {
      error(t.loc, std::string(what) + " '" + t.text + "' is not a positive integer",
            "sizes are positive whole numbers");
    } else {
      error(t.loc, std::string("expected ") + what + " (an integer" +
                       (allow_constant ? " or a Constant" : "") + "), found " + shown(t),
            allow_constant && t.kind == Token::Kind::kWord
                ? "declare it first with `Constant " + t.text + " <value>;`"
                : "");
    }
    if (t.kind != Token::Kind::kPunct && !at_end()) next();
    return std::nullopt;
  }

  void parse_constant() {
    next();
    const Token& name = peek();
    if (name.kind != Token::Kind::kWord) {
      error(name.loc, "expected a constant name after `Constant`, found " + shown(name));
      return;
    }
    next();
    skip_separators();
    if (auto v = parse_int("constant value", false)) constants_[name.text] = *v;
    skip_separators();
  }

  void parse_network_body(MFile& f, const SourceLoc& open) {
    while (!at_end() && !is_punct("}")) {
      if (is_word("Layer")) {
        f.layers.push_back(parse_layer());
      } else {
        error(peek().loc, "expected `Layer` or '}' in `Network`, found " + shown(peek()));
        next();
      }
    }
    expect("}", "to close `Network`", unclosed_hint("Network", open));
  }

  LayerDecl parse_layer();
  std::vector<DimDecl> parse_dim_block(const char* what);
  DataflowDecl parse_dataflow();
  std::optional<DirectiveDecl> parse_directive();
  std::optional<SizeExpr> parse_size_expr(const char* what);

  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::string path_;
  std::vector<Diagnostic>& errors_;
  std::map<std::string, int64_t> constants_;
};

}  // namespace baton::detail
