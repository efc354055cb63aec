// Layer-level productions of the `.m` parser: Layer, Stride/Dimensions, Dataflow, directives.
#include "parser_impl.h"

namespace baton::detail {
namespace {

std::string normalise_dim(std::string d) {
  // MAESTRO writes output dims as Y' / X' (the ’ variant is already mapped by the lexer).
  return d;
}

bool is_directive_keyword(const std::string& w) {
  return w == "TemporalMap" || w == "SpatialMap" || w == "Cluster";
}

// The keyword `w` misspells only in letter case (`Temporalmap`), or "" if none.
std::string keyword_case_variant(const std::string& w) {
  for (const char* k : {"TemporalMap", "SpatialMap", "Cluster"}) {
    const std::string kw = k;
    if (w.size() == kw.size() &&
        std::equal(w.begin(), w.end(), kw.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return kw;
  }
  return "";
}

}  // namespace

LayerDecl Parser::parse_layer() {
  next();  // Layer
  LayerDecl L;
  const Token& name = peek();
  L.loc = name.loc;
  if (name.kind == Token::Kind::kWord || name.kind == Token::Kind::kNumber) {
    L.name = name.text;
    next();
  } else {
    error(name.loc, "expected a layer name after `Layer`, found " + shown(name));
  }
  const SourceLoc open = peek().loc;
  if (!expect("{", "after the layer name")) {
    recover_to_close();
    if (is_punct("}")) next();
    return L;
  }
  bool saw_dims = false;
  while (!at_end() && !is_punct("}")) {
    const Token& t = peek();
    if (is_word("Type")) {
      next();
      skip_separators();
      if (peek().kind == Token::Kind::kWord) {
        if (!L.type.empty()) error(peek().loc, "second `Type` in layer '" + L.name + "'");
        L.type = peek().text;
        L.type_loc = peek().loc;
        next();
      } else {
        error(peek().loc, "expected a layer type after `Type:`, found " + shown(peek()),
              "one of CONV, FC, DSCONV, NGCONV, TRCONV, POOL, GEMM");
      }
      skip_separators();
    } else if (is_word("Stride")) {
      if (saw_dims) {
        error(t.loc, "`Stride` must precede `Dimensions`",
              "move the Stride block above Dimensions (MAESTRO reads it that way)");
      }
      next();
      auto s = parse_dim_block("stride");
      L.strides.insert(L.strides.end(), s.begin(), s.end());
    } else if (is_word("Dimensions")) {
      saw_dims = true;
      next();
      auto d = parse_dim_block("dimension size");
      L.dims.insert(L.dims.end(), d.begin(), d.end());
    } else if (is_word("Dataflow")) {
      if (L.dataflow) error(t.loc, "second `Dataflow` block in layer '" + L.name + "'");
      L.dataflow = parse_dataflow();
    } else if (t.kind == Token::Kind::kWord && is_directive_keyword(t.text)) {
      error(t.loc, "directive `" + t.text + "` outside a `Dataflow { }` block",
            "put the layer's directives inside `Dataflow { ... }`");
      next();
    } else {
      error(t.loc, "unexpected " + shown(t) + " in layer '" + L.name + "'",
            "expected `Type`, `Stride`, `Dimensions`, `Dataflow` or '}'");
      next();
    }
  }
  expect("}", "to close the layer", unclosed_hint("Layer", open));
  return L;
}

std::vector<DimDecl> Parser::parse_dim_block(const char* what) {
  std::vector<DimDecl> out;
  const SourceLoc open = peek().loc;
  if (!expect("{", "to open the block")) return out;
  while (!at_end() && !is_punct("}")) {
    skip_separators();
    if (is_punct("}")) break;
    const Token& name = peek();
    if (name.kind != Token::Kind::kWord) {
      error(name.loc, "expected a dimension name, found " + shown(name),
            "write `K: 64, C: 3, ...`");
      next();
      continue;
    }
    next();
    skip_separators();
    auto v = parse_int(what, true);
    if (v) {
      if (*v <= 0) {
        error(name.loc, std::string(what) + " of '" + name.text + "' is " + std::to_string(*v) +
                            "; it must be at least 1",
              "sizes are whole numbers >= 1");
      } else {
        out.push_back({normalise_dim(name.text), *v, name.loc});
      }
    }
    skip_separators();
  }
  expect("}", "to close the block",
         unclosed_hint(std::string(what) == "stride" ? "Stride" : "Dimensions", open));
  return out;
}

DataflowDecl Parser::parse_dataflow() {
  DataflowDecl df;
  df.loc = peek().loc;
  next();  // Dataflow
  const SourceLoc open = peek().loc;
  if (!expect("{", "after `Dataflow`")) return df;
  while (!at_end() && !is_punct("}")) {
    skip_separators();
    if (is_punct("}")) break;
    if (auto d = parse_directive()) {
      df.directives.push_back(*d);
    } else {
      // Resynchronise after the next `;`, or at the next (possibly misspelt) directive keyword
      // or the end of the block, so that later errors are reported too.
      while (!at_end() && !is_punct("}") &&
             !(peek().kind == Token::Kind::kWord && !keyword_case_variant(peek().text).empty())) {
        if (next().text == ";") break;
      }
    }
  }
  expect("}", "to close `Dataflow`", unclosed_hint("Dataflow", open));
  return df;
}

std::optional<SizeExpr> Parser::parse_size_expr(const char* what) {
  SizeExpr e;
  e.loc = peek().loc;
  if (is_word("Sz")) {
    next();
    if (!expect("(", "after `Sz`")) return std::nullopt;
    const Token& d = peek();
    if (d.kind != Token::Kind::kWord) {
      error(d.loc, "expected a dimension name in `Sz( )`, found " + shown(d));
      return std::nullopt;
    }
    next();
    if (!expect(")", "to close `Sz(`")) return std::nullopt;
    e.kind = SizeExpr::Kind::kSizeOf;
    e.dim = normalise_dim(d.text);
    e.text = "Sz(" + d.text + ")";
    return e;
  }
  const Token& t = peek();
  auto v = parse_int(what, true);
  if (!v) return std::nullopt;
  if (*v <= 0) {
    error(t.loc, std::string(what) + " is " + std::to_string(*v) + "; it must be at least 1",
          "tile sizes and offsets are whole numbers >= 1, e.g. (1,1)");
    return std::nullopt;
  }
  e.value = *v;
  e.text = t.text;
  return e;
}

std::optional<DirectiveDecl> Parser::parse_directive() {
  const Token kw = peek();
  if (kw.kind != Token::Kind::kWord || !is_directive_keyword(kw.text)) {
    const std::string fix = kw.kind == Token::Kind::kWord ? keyword_case_variant(kw.text) : "";
    std::string hint = fix.empty() ? "expected TemporalMap(size,offset) D, SpatialMap(size,offset) "
                                     "D or Cluster(size, P)"
                                   : "did you mean `" + fix + "`? (keywords are case-sensitive)";
    error(kw.loc, "unknown directive " + shown(kw), hint);
    next();
    return std::nullopt;
  }
  next();
  DirectiveDecl d;
  d.loc = kw.loc;
  d.kind = kw.text == "TemporalMap"  ? DirectiveDecl::Kind::kTemporal
           : kw.text == "SpatialMap" ? DirectiveDecl::Kind::kSpatial
                                     : DirectiveDecl::Kind::kCluster;
  if (!expect("(", ("after `" + kw.text + "`").c_str())) return std::nullopt;
  const std::string size_what = "`" + kw.text + "` size", ofs_what = "`" + kw.text + "` offset";
  auto size = parse_size_expr(size_what.c_str());
  if (!size) return std::nullopt;
  d.size = *size;
  if (d.kind == DirectiveDecl::Kind::kCluster) {
    if (is_punct(",")) next();  // separators are optional: `Cluster(2 P)` is valid
    if (!(is_word("P") || is_word("L"))) {
      error(peek().loc, "expected the cluster type P or L after the cluster size, found " +
                            shown(peek()),
            "write `Cluster(" + size->text + ", P)`");
      return std::nullopt;
    }
    next();
    if (!expect(")", "to close `Cluster(`")) return std::nullopt;
    d.text = "Cluster(" + size->text + ", P)";
    skip_separators();
    return d;
  }
  if (is_punct(",")) next();  // separators are optional: `SpatialMap(1 1) K` is valid
  if (is_punct(")") || at_end()) {
    error(peek().loc, "expected an offset after the size, found " + shown(peek()),
          "write `" + kw.text + "(" + size->text + "," + size->text + ") D`");
    return std::nullopt;
  }
  auto ofs = parse_size_expr(ofs_what.c_str());
  if (!ofs) return std::nullopt;
  d.offset = *ofs;
  if (!expect(")", ("to close `" + kw.text + "(`").c_str())) return std::nullopt;
  const Token& dim = peek();
  if (dim.kind != Token::Kind::kWord || is_directive_keyword(dim.text)) {
    error(dim.loc, "expected a dimension name after `" + kw.text + "(...)`, found " + shown(dim));
    return std::nullopt;
  }
  next();
  d.dim = normalise_dim(dim.text);
  d.dim_loc = dim.loc;
  d.text = kw.text + "(" + size->text + "," + ofs->text + ") " + dim.text;
  skip_separators();
  return d;
}

}  // namespace baton::detail
