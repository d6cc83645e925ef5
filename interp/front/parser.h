// parser.h: source text to syntax tree (ast.h) in one pass over the lexer's tokens.
// A hand-written recursive-descent parser for the Python 3.11 grammar that ftpy accepts
// (LANGUAGE.md Tier 1, plus generators, sets, `yield`, walrus, annotations for Tier 2). Errors
// are values: the result holds either the tree or a SyntaxErrorInfo whose type, message and
// position follow CPython 3.11 for the common mistakes. Recursion is bounded (brackets: 200,
// expression nesting: k_max_expr_depth, blocks: 100), so no input overflows the C stack
// (about 1 MiB of stack suffices). Thread-safe: a parse touches only its own state.
#pragma once

#include <memory>
#include <string_view>

#include "interp/front/ast.h"
#include "interp/front/source.h"
#include "interp/front/syntax_error.h"

namespace ftpy::interp {

struct ParseResult {
  std::unique_ptr<Ast> ast;  // set on success
  SyntaxErrorInfo error;     // meaningful when ast is null
  bool ok() const { return ast != nullptr; }
};

// Checks the text (check_source), then lexes and parses it as a module.
ParseResult parse_module(const Source& source);
ParseResult parse_module(std::string_view text, std::string_view filename = "<string>");

}  // namespace ftpy::interp
