// parser.cpp: recursive descent over Python 3.11's grammar (see parser.h).
// Structure: one function per grammar level (statement kinds, then expression precedence
// from `lambda` down to atoms). A function returns nullptr once an error is recorded; callers
// return at once, so the first error wins. Lists are built on a scratch stack and copied into
// the arena when complete, so there is no heap allocation per node. After a parser error the
// rest of the file is tokenized, as CPython does, so that a tokenizer error later in the file
// (an unterminated string, an unclosed bracket) is the one reported.
#include "interp/front/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "interp/front/lexer.h"

namespace ftpy::interp {

namespace {

bool starts_expression(TokenKind k) {
  switch (k) {
    case TokenKind::Name: case TokenKind::Int: case TokenKind::Float:
    case TokenKind::Imaginary: case TokenKind::String: case TokenKind::LParen:
    case TokenKind::LBracket: case TokenKind::LBrace: case TokenKind::Minus:
    case TokenKind::Plus: case TokenKind::Tilde: case TokenKind::KwNot:
    case TokenKind::KwLambda: case TokenKind::KwNone: case TokenKind::KwTrue:
    case TokenKind::KwFalse: case TokenKind::Ellipsis: case TokenKind::KwAwait:
      return true;
    default:
      return false;
  }
}

// Operand kinds that can start a juxtaposed expression for "Perhaps you forgot a comma?".
bool starts_atom(TokenKind k) {
  switch (k) {
    case TokenKind::Name: case TokenKind::Int: case TokenKind::Float:
    case TokenKind::Imaginary: case TokenKind::String: case TokenKind::LBrace:
    case TokenKind::KwNone: case TokenKind::KwTrue: case TokenKind::KwFalse:
    case TokenKind::Ellipsis: case TokenKind::KwNot: case TokenKind::KwLambda:
    case TokenKind::Tilde:
      return true;
    default:
      return false;
  }
}

// CPython's _PyPegen_get_expr_name: how an error message names an expression.
const char* expr_name(const Expr* e) {
  switch (e->kind) {
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::Starred: return "starred";
    case ExprKind::Name: return "name";
    case ExprKind::List: return "list";
    case ExprKind::Tuple: return "tuple";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::Call: return "function call";
    case ExprKind::BoolOp: case ExprKind::BinOp: case ExprKind::UnaryOp: return "expression";
    case ExprKind::GeneratorExp: return "generator expression";
    case ExprKind::Yield: case ExprKind::YieldFrom: return "yield expression";
    case ExprKind::ListComp: return "list comprehension";
    case ExprKind::SetComp: return "set comprehension";
    case ExprKind::DictComp: return "dict comprehension";
    case ExprKind::Dict: return "dict literal";
    case ExprKind::Set: return "set display";
    case ExprKind::JoinedStr: case ExprKind::FormattedValue: return "f-string expression";
    case ExprKind::Compare: return "comparison";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::NamedExpr: return "named expression";
    case ExprKind::Slice: return "slice";
    case ExprKind::Constant:
      switch (e->as<ConstantExpr>()->value_kind) {
        case ConstantKind::None: return "None";
        case ConstantKind::True: return "True";
        case ConstantKind::False: return "False";
        case ConstantKind::Ellipsis: return "ellipsis";
        default: return "literal";
      }
  }
  return "expression";
}

// Expressions at CPython's `bitwise_or` level or tighter (for the "Maybe you meant '=='"
// assignment message, which CPython gives only for those).
bool is_bitwise_or_level(const Expr* e) {
  switch (e->kind) {
    case ExprKind::BoolOp: case ExprKind::Compare: case ExprKind::IfExp:
    case ExprKind::Lambda: case ExprKind::NamedExpr: case ExprKind::Starred:
    case ExprKind::Tuple: case ExprKind::Yield: case ExprKind::YieldFrom:
      return false;
    case ExprKind::UnaryOp:
      return e->as<UnaryOpExpr>()->op != UnaryOpKind::Not;
    default:
      return true;
  }
}

enum class TargetUse { Assign, AssignHere, Delete, AugAssign };

class Parser {
 public:
  Parser(const Source& source, Ast& ast, Lexer& lexer, std::uint32_t depth, bool fstring_field)
      : m_source(source), m_ast(ast), m_lexer(lexer), m_depth(depth),
        m_fstring_field(fstring_field) {
    m_tok = m_lexer.next();
    m_next.kind = TokenKind::Error;
    m_has_next = false;
  }

  Module* parse_file();
  Expr* parse_fstring_field();  // the whole sub-range as one expression

  bool failed() const { return m_failed; }
  bool failed_in_lexer() const { return m_error_from_lexer; }
  SyntaxErrorInfo& error() { return m_error; }

 private:
  // ---- tokens
  void advance() {
    // Nodes end where their last real token ends, not at a NEWLINE or DEDENT after it.
    if (m_tok.kind != TokenKind::Newline && m_tok.kind != TokenKind::Indent &&
        m_tok.kind != TokenKind::Dedent) {
      m_prev_end_line = m_tok.end_line;
      m_prev_end_col = m_tok.end_col;
    }
    if (m_has_next) {
      m_tok = m_next;
      m_has_next = false;
    } else {
      m_tok = m_lexer.next();
    }
  }
  const Token& peek_next() {
    if (!m_has_next) {
      m_next = m_lexer.next();
      m_has_next = true;
    }
    return m_next;
  }
  bool at(TokenKind k) const { return m_tok.kind == k; }
  bool accept(TokenKind k) {
    if (m_tok.kind != k) return false;
    advance();
    return true;
  }
  bool expect(TokenKind k) {
    if (accept(k)) return true;
    fail_syntax();
    return false;
  }
  bool expect_colon() {
    if (accept(TokenKind::Colon)) return true;
    if (at(TokenKind::Error)) return fail_syntax(), false;
    fail_token(m_tok, "expected ':'");
    return false;
  }

  // ---- locations
  Loc loc_from(const Token& start) const {
    return Loc{start.line, start.col, m_prev_end_line, m_prev_end_col};
  }
  Loc loc_from(const Loc& start) const {
    return Loc{start.line, start.col, m_prev_end_line, m_prev_end_col};
  }
  static Loc span(const Loc& a, const Loc& b) { return Loc{a.line, a.col, b.end_line, b.end_col}; }

  // ---- errors
  SyntaxErrorInfo error_at(SyntaxErrorKind kind, std::string message, const Loc& loc,
                           bool range, bool caret = true) const {
    SyntaxErrorInfo e;
    e.kind = kind;
    e.message = std::move(message);
    if (m_fstring_field && e.message.rfind("f-string", 0) != 0) {
      e.message = "f-string: " + e.message;
    }
    e.filename = m_source.filename();
    e.line = loc.line;
    e.end_line = loc.line;
    std::string_view line = m_source.line_text(loc.line);
    e.line_text = std::string(line);
    if (!caret) return e;
    e.column = count_code_points(line, 0, loc.col) + 1;
    if (range && (loc.end_line > loc.line || loc.end_col > loc.col)) {
      e.end_line = loc.end_line;
      e.end_column = loc.end_line == loc.line ? count_code_points(line, 0, loc.end_col) + 1
                                              : static_cast<std::uint32_t>(line.size()) + 1;
    }
    return e;
  }
  void fail_with(SyntaxErrorInfo e) {
    if (m_failed) return;
    m_failed = true;
    m_error = std::move(e);
  }
  void fail_loc(const Loc& loc, std::string message, bool range = true) {
    fail_with(error_at(SyntaxErrorKind::SyntaxError, std::move(message), loc, range));
  }
  static Loc token_loc(const Token& t) { return Loc{t.line, t.col, t.end_line, t.end_col}; }
  void fail_token(const Token& t, std::string message) {
    if (t.kind == TokenKind::Error) return fail_syntax();
    fail_loc(token_loc(t), std::move(message));
  }
  // The generic error at the current token: the lexer's error if it failed, "unexpected
  // indent" at an INDENT, else "invalid syntax".
  void fail_syntax() {
    if (m_failed) return;
    if (at(TokenKind::Error)) {
      m_failed = true;
      m_error_from_lexer = true;
      m_error = m_lexer.error();
      return;
    }
    if (at(TokenKind::Indent)) {
      return fail_with(error_at(SyntaxErrorKind::IndentationError, "unexpected indent",
                                token_loc(m_tok), false, false));
    }
    if (at(TokenKind::Dedent)) {
      return fail_with(error_at(SyntaxErrorKind::IndentationError, "unexpected unindent",
                                token_loc(m_tok), false, false));
    }
    fail_token(m_tok, "invalid syntax");
  }
  void fail_depth() {
    fail_with(error_at(SyntaxErrorKind::RecursionError,
                       "maximum recursion depth exceeded during compilation", token_loc(m_tok),
                       false));
  }

  // Depth of nested expression parsing (see k_max_expr_depth).
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : m_p(p) { m_ok = ++m_p.m_depth <= k_max_expr_depth; }
    ~DepthGuard() { --m_p.m_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Parser& m_p;
    bool m_ok;
  };

  // ---- node construction
  template <class T>
  T* node(const Loc& loc) {
    T* n = m_ast.arena.make<T>();
    n->kind = T::k_kind;
    n->loc = loc;
    return n;
  }
  template <class T>
  Span<T> take(std::size_t mark) {
    auto n = static_cast<std::uint32_t>(m_stack.size() - mark);
    Span<T> s;
    s.count = n;
    if (n == 0) return s;
    s.data = static_cast<T*>(m_ast.arena.allocate(n * sizeof(T), alignof(T)));
    for (std::uint32_t i = 0; i < n; i++) s.data[i] = static_cast<T>(m_stack[mark + i]);
    m_stack.resize(mark);
    return s;
  }
  std::string_view name_text(const Token& t) {
    return m_ast.arena.copy_string(m_source.text().substr(t.offset, t.length));
  }
  Expr* make_name(const Token& t) {
    auto* n = node<NameExpr>(token_loc(t));
    n->id = name_text(t);
    n->ctx = ExprContext::Load;
    return n;
  }
  ConstantExpr* make_constant(const Loc& loc, ConstantKind k) {
    auto* c = node<ConstantExpr>(loc);
    c->value_kind = k;
    c->int_overflow = false;
    c->int_value = 0;
    c->float_value = 0;
    return c;
  }

  // ---- statements
  bool parse_statement();  // pushes statement(s) onto m_stack
  bool parse_simple_statements();
  Stmt* parse_simple_statement();
  Stmt* parse_expression_statement();
  Stmt* parse_compound(const Token& start);
  bool parse_block(Span<Stmt*>& out, const char* what, std::uint32_t line);
  Stmt* parse_if();
  Stmt* parse_while();
  Stmt* parse_for();
  Stmt* parse_try();
  Stmt* parse_with();
  Stmt* parse_def(Span<Expr*> decorators);
  Stmt* parse_class(Span<Expr*> decorators);
  Stmt* parse_decorated();
  Stmt* parse_import();
  Stmt* parse_from_import();
  bool parse_dotted_name(std::string_view& out);
  Stmt* parse_global(bool global);
  Stmt* parse_del();
  Stmt* parse_return();
  Stmt* parse_raise();
  Stmt* parse_assert();
  Arguments* parse_parameters(TokenKind closing, bool annotations);

  // ---- targets
  bool set_target(Expr* e, TargetUse use, bool top);
  Expr* parse_target_list();  // `for` targets: bitwise_or items, stopping before `in`

  // ---- expressions
  Expr* parse_star_expressions();  // `a, *b, c` (a tuple when there is a comma)
  Expr* parse_star_expression();
  Expr* parse_star_named_expression();
  Expr* parse_named_expression();
  Expr* parse_expression();
  Expr* parse_yield();
  Expr* parse_yield_or_star_expressions();
  Expr* parse_lambda();
  Expr* parse_disjunction();
  Expr* parse_conjunction();
  Expr* parse_inversion();
  Expr* parse_comparison();
  Expr* parse_binary(int level);
  Expr* parse_factor();
  Expr* parse_power();
  Expr* parse_primary();
  Expr* parse_atom();
  Expr* parse_paren();
  Expr* parse_list_display();
  Expr* parse_brace_display();
  bool parse_comprehension_clauses(Span<Comprehension*>& out);
  bool parse_call_arguments(Span<Expr*>& args, Span<Keyword*>& keywords, TokenKind closing);
  Expr* parse_subscript_slices();
  Expr* parse_slice();
  Expr* parse_strings();
  void fail_forgot_comma(Expr* first);

  // ---- strings (decoding in the arena)
  bool decode_literal(const Token& tok, std::uint32_t begin, std::uint32_t end, char* out,
                      std::uint32_t& out_len, bool fstring_braces);
  bool parse_fstring(const Token& tok, std::uint32_t begin, std::uint32_t end,
                     std::uint32_t line, std::uint32_t line_start, int nesting,
                     std::string& pending);
  void flush_literal(std::string& pending, const Token& tok);

  const Source& m_source;
  Ast& m_ast;
  Lexer& m_lexer;
  Token m_tok;
  Token m_next;
  bool m_has_next;
  std::uint32_t m_prev_end_line = 1, m_prev_end_col = 0;
  std::uint32_t m_depth;
  std::uint32_t m_if_depth = 0;  // if/elif statements being parsed (see parse_if)
  bool m_fstring_field;
  bool m_failed = false;
  bool m_error_from_lexer = false;
  SyntaxErrorInfo m_error;
  std::vector<void*> m_stack;
  std::vector<CmpOpKind> m_ops;
  std::vector<std::string_view> m_names;
  std::vector<Keyword*> m_keywords;
  std::vector<Token> m_string_parts;
};

// ---------------------------------------------------------------------------- statements

Module* Parser::parse_file() {
  std::size_t mark = m_stack.size();
  while (!at(TokenKind::EndMarker)) {
    if (at(TokenKind::Newline)) {  // a lone NEWLINE (e.g. after `\` continuation)
      advance();
      continue;
    }
    if (!parse_statement()) return nullptr;
  }
  auto* m = m_ast.arena.make<Module>();
  m->body = take<Stmt*>(mark);
  return m;
}

bool Parser::parse_statement() {
  Token start = m_tok;
  switch (m_tok.kind) {
    case TokenKind::KwDef: case TokenKind::KwClass: case TokenKind::At:
    case TokenKind::KwIf: case TokenKind::KwWhile: case TokenKind::KwFor:
    case TokenKind::KwTry: case TokenKind::KwWith: {
      Stmt* s = parse_compound(start);
      if (s == nullptr) return false;
      m_stack.push_back(s);
      return true;
    }
    default:
      return parse_simple_statements();
  }
}

bool Parser::parse_simple_statements() {
  for (;;) {
    Stmt* s = parse_simple_statement();
    if (s == nullptr) return false;
    m_stack.push_back(s);
    if (accept(TokenKind::Semicolon)) {
      if (at(TokenKind::Newline)) break;
      continue;
    }
    break;
  }
  return expect(TokenKind::Newline);
}

Stmt* Parser::parse_simple_statement() {
  Token start = m_tok;
  switch (m_tok.kind) {
    case TokenKind::KwPass: advance(); return node<PassStmt>(token_loc(start));
    case TokenKind::KwBreak: advance(); return node<BreakStmt>(token_loc(start));
    case TokenKind::KwContinue: advance(); return node<ContinueStmt>(token_loc(start));
    case TokenKind::KwReturn: return parse_return();
    case TokenKind::KwRaise: return parse_raise();
    case TokenKind::KwGlobal: return parse_global(true);
    case TokenKind::KwNonlocal: return parse_global(false);
    case TokenKind::KwDel: return parse_del();
    case TokenKind::KwAssert: return parse_assert();
    case TokenKind::KwImport: return parse_import();
    case TokenKind::KwFrom: return parse_from_import();
    default: return parse_expression_statement();
  }
}

namespace {
bool augassign_op(TokenKind k, OperatorKind& op) {
  switch (k) {
    case TokenKind::PlusEqual: op = OperatorKind::Add; return true;
    case TokenKind::MinusEqual: op = OperatorKind::Sub; return true;
    case TokenKind::StarEqual: op = OperatorKind::Mult; return true;
    case TokenKind::AtEqual: op = OperatorKind::MatMult; return true;
    case TokenKind::SlashEqual: op = OperatorKind::Div; return true;
    case TokenKind::PercentEqual: op = OperatorKind::Mod; return true;
    case TokenKind::DoubleStarEqual: op = OperatorKind::Pow; return true;
    case TokenKind::LeftShiftEqual: op = OperatorKind::LShift; return true;
    case TokenKind::RightShiftEqual: op = OperatorKind::RShift; return true;
    case TokenKind::VBarEqual: op = OperatorKind::BitOr; return true;
    case TokenKind::CircumflexEqual: op = OperatorKind::BitXor; return true;
    case TokenKind::AmperEqual: op = OperatorKind::BitAnd; return true;
    case TokenKind::DoubleSlashEqual: op = OperatorKind::FloorDiv; return true;
    default: return false;
  }
}
}  // namespace

Stmt* Parser::parse_expression_statement() {
  Token start = m_tok;
  Expr* first = at(TokenKind::KwYield) ? parse_yield() : parse_star_expressions();
  if (first == nullptr) return nullptr;
  if (at(TokenKind::Equal)) {
    std::size_t mark = m_stack.size();
    m_stack.push_back(first);
    Expr* value = nullptr;
    while (accept(TokenKind::Equal)) {
      value = parse_yield_or_star_expressions();
      if (value == nullptr) return nullptr;
      m_stack.push_back(value);
    }
    m_stack.pop_back();  // the last one is the value
    if (value->is<StarredExpr>()) {
      fail_loc(value->loc, "can't use starred expression here");
      return nullptr;
    }
    bool single = m_stack.size() - mark == 1;
    for (std::size_t i = mark; i < m_stack.size(); i++) {
      auto* target = static_cast<Expr*>(m_stack[i]);
      if (target->is<YieldExpr>() || target->is<YieldFromExpr>()) {
        fail_loc(target->loc, "assignment to yield expression not possible");
        return nullptr;
      }
      bool here = single && is_bitwise_or_level(target) && is_bitwise_or_level(value);
      if (!set_target(target, here ? TargetUse::AssignHere : TargetUse::Assign, true)) {
        return nullptr;
      }
    }
    auto* s = node<AssignStmt>(loc_from(start));
    s->targets = take<Expr*>(mark);
    s->value = value;
    return s;
  }
  OperatorKind op;
  if (augassign_op(m_tok.kind, op)) {
    if (!first->is<NameExpr>() && !first->is<AttributeExpr>() && !first->is<SubscriptExpr>()) {
      fail_loc(first->loc,
               fmt::format("'{}' is an illegal expression for augmented assignment",
                           expr_name(first)));
      return nullptr;
    }
    set_target(first, TargetUse::AugAssign, true);
    advance();
    Expr* value = parse_yield_or_star_expressions();
    if (value == nullptr) return nullptr;
    auto* s = node<AugAssignStmt>(loc_from(start));
    s->target = first;
    s->op = op;
    s->value = value;
    return s;
  }
  if (at(TokenKind::Colon)) {
    if (first->is<TupleExpr>()) {
      fail_loc(first->loc, "only single target (not tuple) can be annotated");
      return nullptr;
    }
    if (!first->is<NameExpr>() && !first->is<AttributeExpr>() && !first->is<SubscriptExpr>()) {
      fail_loc(first->loc, "illegal target for annotation");
      return nullptr;
    }
    set_target(first, TargetUse::Assign, true);
    advance();
    Expr* annotation = parse_expression();
    if (annotation == nullptr) return nullptr;
    Expr* value = nullptr;
    if (accept(TokenKind::Equal)) {
      value = parse_yield_or_star_expressions();
      if (value == nullptr) return nullptr;
    }
    auto* s = node<AnnAssignStmt>(loc_from(start));
    s->target = first;
    s->annotation = annotation;
    s->value = value;
    s->simple = first->is<NameExpr>() && start.kind == TokenKind::Name;
    return s;
  }
  if (first->is<StarredExpr>()) {
    fail_loc(first->loc, "can't use starred expression here");
    return nullptr;
  }
  if (first->is<NameExpr>() && starts_expression(m_tok.kind) &&
      (first->as<NameExpr>()->id == "print" || first->as<NameExpr>()->id == "exec")) {
    std::string_view id = first->as<NameExpr>()->id;
    Expr* rest = parse_star_expressions();
    if (rest == nullptr) return nullptr;
    fail_loc(span(first->loc, rest->loc),
             fmt::format("Missing parentheses in call to '{}'. Did you mean {}(...)?", id, id));
    return nullptr;
  }
  auto* s = node<ExprStmt>(first->loc);
  s->value = first;
  return s;
}

Stmt* Parser::parse_compound(const Token& start) {
  switch (start.kind) {
    case TokenKind::KwIf: return parse_if();
    case TokenKind::KwWhile: return parse_while();
    case TokenKind::KwFor: return parse_for();
    case TokenKind::KwTry: return parse_try();
    case TokenKind::KwWith: return parse_with();
    case TokenKind::KwDef: return parse_def({});
    case TokenKind::KwClass: return parse_class({});
    default: return parse_decorated();
  }
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts. `what` names the statement for
// "expected an indented block after ... on line N".
bool Parser::parse_block(Span<Stmt*>& out, const char* what, std::uint32_t line) {
  std::size_t mark = m_stack.size();
  if (accept(TokenKind::Newline)) {
    if (!at(TokenKind::Indent)) {
      if (at(TokenKind::Error)) return fail_syntax(), false;
      fail_with(error_at(SyntaxErrorKind::IndentationError,
                         fmt::format("expected an indented block after {} on line {}", what, line),
                         token_loc(m_tok), false));
      return false;
    }
    advance();
    while (!at(TokenKind::Dedent)) {
      if (at(TokenKind::EndMarker) || at(TokenKind::Error)) return fail_syntax(), false;
      if (!parse_statement()) return false;
    }
    advance();
  } else {
    if (!parse_simple_statements()) return false;
  }
  out = take<Stmt*>(mark);
  return true;
}

// `if` with its elif chain, in a loop: each elif is an IfStmt alone in the orelse of the one
// before (CPython's tree), but neither this parser nor any later walk recurses along the
// chain (ast.h's is_elif). The chain still counts against k_max_if_depth, with the ifs being
// parsed around it (nested blocks), to stop where CPython 3.11 stops.
Stmt* Parser::parse_if() {
  struct Clause {
    IfStmt* node;
    Token start;
  };
  std::vector<Clause> chain;
  IfStmt* last = nullptr;
  const char* what = "'if' statement";
  auto done = [&](Stmt* result) {
    m_if_depth -= std::uint32_t(chain.size());
    return result;
  };
  do {
    if (m_if_depth >= k_max_if_depth) return done((fail_depth(), nullptr));
    Token start = m_tok;
    advance();
    Expr* test = parse_named_expression();
    if (test == nullptr || !expect_colon()) return done(nullptr);
    auto* s = node<IfStmt>(token_loc(start));
    s->test = test;
    m_if_depth++;
    chain.push_back({s, start});
    if (!parse_block(s->body, what, start.line)) return done(nullptr);
    if (last) {
      std::size_t mark = m_stack.size();
      m_stack.push_back(s);
      last->orelse = take<Stmt*>(mark);
    }
    last = s;
    what = "'elif' statement";
  } while (at(TokenKind::KwElif));
  if (at(TokenKind::KwElse)) {
    Token else_tok = m_tok;
    advance();
    if (!expect_colon() || !parse_block(last->orelse, "'else' statement", else_tok.line))
      return done(nullptr);
  }
  // Every clause's statement ends where the whole chain ends, as when each was parsed
  // after the clauses that follow it.
  for (const Clause& c : chain) c.node->loc = loc_from(c.start);
  return done(chain.front().node);
}

Stmt* Parser::parse_while() {
  Token start = m_tok;
  advance();
  Expr* test = parse_named_expression();
  if (test == nullptr || !expect_colon()) return nullptr;
  auto* s = node<WhileStmt>(token_loc(start));
  s->test = test;
  if (!parse_block(s->body, "'while' statement", start.line)) return nullptr;
  if (at(TokenKind::KwElse)) {
    Token else_tok = m_tok;
    advance();
    if (!expect_colon() || !parse_block(s->orelse, "'else' statement", else_tok.line)) {
      return nullptr;
    }
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_for() {
  Token start = m_tok;
  advance();
  Expr* target = parse_target_list();
  if (target == nullptr) return nullptr;
  if (!expect(TokenKind::KwIn)) return nullptr;
  if (!set_target(target, TargetUse::Assign, true)) return nullptr;
  Expr* iter = parse_star_expressions();
  if (iter == nullptr || !expect_colon()) return nullptr;
  auto* s = node<ForStmt>(token_loc(start));
  s->target = target;
  s->iter = iter;
  if (!parse_block(s->body, "'for' statement", start.line)) return nullptr;
  if (at(TokenKind::KwElse)) {
    Token else_tok = m_tok;
    advance();
    if (!expect_colon() || !parse_block(s->orelse, "'else' statement", else_tok.line)) {
      return nullptr;
    }
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_try() {
  Token start = m_tok;
  advance();
  if (!expect_colon()) return nullptr;
  auto* s = node<TryStmt>(token_loc(start));
  if (!parse_block(s->body, "'try' statement", start.line)) return nullptr;
  std::size_t mark = m_stack.size();
  const ExceptHandler* bare = nullptr;
  while (at(TokenKind::KwExcept)) {
    Token except_tok = m_tok;
    advance();
    if (bare != nullptr) {
      fail_loc(bare->loc, "default 'except:' must be last");
      return nullptr;
    }
    auto* h = m_ast.arena.make<ExceptHandler>();
    h->type = nullptr;
    if (!at(TokenKind::Colon)) {
      h->type = parse_expression();
      if (h->type == nullptr) return nullptr;
      if (accept(TokenKind::Comma)) {
        if (parse_star_expressions() == nullptr) return nullptr;  // the end of the bad list
        fail_loc(Loc{h->type->loc.line, h->type->loc.col, m_prev_end_line, m_prev_end_col},
                 "multiple exception types must be parenthesized");
        return nullptr;
      }
      if (accept(TokenKind::KwAs)) {
        if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
        h->name = name_text(m_tok);
        advance();
      }
    }
    if (!expect_colon()) return nullptr;
    h->loc = loc_from(except_tok);
    if (!parse_block(h->body, "'except' statement", except_tok.line)) return nullptr;
    h->loc = loc_from(except_tok);
    if (h->type == nullptr) bare = h;
    m_stack.push_back(h);
  }
  s->handlers = take<ExceptHandler*>(mark);
  if (!s->handlers.empty() && at(TokenKind::KwElse)) {
    Token else_tok = m_tok;
    advance();
    if (!expect_colon() || !parse_block(s->orelse, "'else' statement", else_tok.line)) {
      return nullptr;
    }
  }
  if (at(TokenKind::KwFinally)) {
    Token fin_tok = m_tok;
    advance();
    if (!expect_colon() || !parse_block(s->finalbody, "'finally' statement", fin_tok.line)) {
      return nullptr;
    }
  }
  if (s->handlers.empty() && s->finalbody.empty()) {
    if (at(TokenKind::Error)) return fail_syntax(), nullptr;
    fail_token(m_tok, "expected 'except' or 'finally' block");
    return nullptr;
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_with() {
  Token start = m_tok;
  advance();
  std::size_t mark = m_stack.size();
  do {
    auto* item = m_ast.arena.make<WithItem>();
    item->context_expr = parse_expression();
    item->optional_vars = nullptr;
    if (item->context_expr == nullptr) return nullptr;
    if (accept(TokenKind::KwAs)) {
      item->optional_vars = parse_binary(0);  // one target: a comma starts the next item
      if (item->optional_vars == nullptr) return nullptr;
      if (!set_target(item->optional_vars, TargetUse::Assign, true)) return nullptr;
    }
    m_stack.push_back(item);
  } while (accept(TokenKind::Comma));
  if (!expect_colon()) return nullptr;
  auto* s = node<WithStmt>(token_loc(start));
  s->items = take<WithItem*>(mark);
  if (!parse_block(s->body, "'with' statement", start.line)) return nullptr;
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_decorated() {
  std::size_t mark = m_stack.size();
  while (at(TokenKind::At)) {
    advance();
    Expr* d = parse_named_expression();
    if (d == nullptr || !expect(TokenKind::Newline)) return nullptr;
    m_stack.push_back(d);
  }
  Span<Expr*> decorators = take<Expr*>(mark);
  if (at(TokenKind::KwDef)) return parse_def(decorators);
  if (at(TokenKind::KwClass)) return parse_class(decorators);
  fail_syntax();
  return nullptr;
}

Stmt* Parser::parse_def(Span<Expr*> decorators) {
  Token start = m_tok;
  advance();
  if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
  auto* s = node<FunctionDefStmt>(token_loc(start));
  s->name = name_text(m_tok);
  s->decorator_list = decorators;
  s->returns = nullptr;
  advance();
  if (!expect(TokenKind::LParen)) return nullptr;
  s->args = parse_parameters(TokenKind::RParen, true);
  if (s->args == nullptr || !expect(TokenKind::RParen)) return nullptr;
  if (accept(TokenKind::Arrow)) {
    s->returns = parse_expression();
    if (s->returns == nullptr) return nullptr;
  }
  if (!expect_colon()) return nullptr;
  if (!parse_block(s->body, "function definition", start.line)) return nullptr;
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_class(Span<Expr*> decorators) {
  Token start = m_tok;
  advance();
  if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
  auto* s = node<ClassDefStmt>(token_loc(start));
  s->name = name_text(m_tok);
  s->decorator_list = decorators;
  advance();
  if (accept(TokenKind::LParen)) {
    if (!parse_call_arguments(s->bases, s->keywords, TokenKind::RParen)) return nullptr;
    if (!expect(TokenKind::RParen)) return nullptr;
  }
  if (!expect_colon()) return nullptr;
  if (!parse_block(s->body, "class definition", start.line)) return nullptr;
  s->loc = loc_from(start);
  return s;
}

Arguments* Parser::parse_parameters(TokenKind closing, bool annotations) {
  auto* a = m_ast.arena.make<Arguments>();
  a->vararg = nullptr;
  a->kwarg = nullptr;
  std::size_t mark = m_stack.size();
  std::vector<Arg*> posonly, args, kwonly;
  std::vector<Expr*> defaults, kw_defaults;
  bool seen_slash = false;
  bool seen_star = false;
  Token star_tok;
  auto parse_arg = [&]() -> Arg* {
    if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
    auto* arg = m_ast.arena.make<Arg>();
    Token t = m_tok;
    arg->name = name_text(t);
    arg->annotation = nullptr;
    advance();
    if (annotations && accept(TokenKind::Colon)) {
      arg->annotation = parse_expression();
      if (arg->annotation == nullptr) return nullptr;
    }
    arg->loc = loc_from(t);
    return arg;
  };
  while (!at(closing)) {
    if (a->kwarg != nullptr) return fail_syntax(), nullptr;
    if (at(TokenKind::Slash)) {
      if (seen_slash) {
        fail_token(m_tok, "/ may appear only once");
        return nullptr;
      }
      if (seen_star) {
        fail_token(m_tok, "/ must be ahead of *");
        return nullptr;
      }
      if (args.empty()) {
        fail_token(m_tok, "at least one argument must precede /");
        return nullptr;
      }
      seen_slash = true;
      posonly.swap(args);
      advance();
    } else if (at(TokenKind::Star)) {
      if (seen_star) {
        fail_token(m_tok, "* argument may appear only once");
        return nullptr;
      }
      seen_star = true;
      star_tok = m_tok;
      advance();
      if (at(TokenKind::Name)) {
        a->vararg = parse_arg();
        if (a->vararg == nullptr) return nullptr;
      } else {
        if (at(closing) || (at(TokenKind::Comma) && (peek_next().kind == closing))) {
          fail_token(star_tok, "named arguments must follow bare *");
          return nullptr;
        }
      }
    } else if (at(TokenKind::DoubleStar)) {
      advance();
      a->kwarg = parse_arg();
      if (a->kwarg == nullptr) return nullptr;
    } else {
      Arg* arg = parse_arg();
      if (arg == nullptr) return nullptr;
      Expr* def = nullptr;
      if (accept(TokenKind::Equal)) {
        def = parse_expression();
        if (def == nullptr) return nullptr;
      }
      if (seen_star) {
        kwonly.push_back(arg);
        kw_defaults.push_back(def);
      } else {
        if (def != nullptr) {
          defaults.push_back(def);
        } else if (!defaults.empty()) {
          fail_loc(arg->loc, "non-default argument follows default argument");
          return nullptr;
        }
        args.push_back(arg);
      }
    }
    if (!accept(TokenKind::Comma)) break;
  }
  auto to_span = [&](auto& v, auto& span) {
    for (auto* p : v) m_stack.push_back(p);
    span = take<std::remove_reference_t<decltype(*span.data)>>(mark);
  };
  to_span(posonly, a->posonlyargs);
  to_span(args, a->args);
  to_span(kwonly, a->kwonlyargs);
  to_span(kw_defaults, a->kw_defaults);
  to_span(defaults, a->defaults);
  // Duplicate names: CPython reports them from its symbol table; cheap to catch here.
  std::vector<const Arg*> all;
  for (const Arg* p : a->posonlyargs) all.push_back(p);
  for (const Arg* p : a->args) all.push_back(p);
  if (a->vararg != nullptr) all.push_back(a->vararg);
  for (const Arg* p : a->kwonlyargs) all.push_back(p);
  if (a->kwarg != nullptr) all.push_back(a->kwarg);
  std::vector<const Arg*> sorted = all;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Arg* x, const Arg* y) { return x->name < y->name; });
  for (std::size_t i = 1; i < sorted.size(); i++) {
    if (sorted[i]->name == sorted[i - 1]->name) {
      fail_loc(sorted[i]->loc, fmt::format("duplicate argument '{}' in function definition",
                                           sorted[i]->name));
      return nullptr;
    }
  }
  return a;
}

Stmt* Parser::parse_return() {
  Token start = m_tok;
  advance();
  auto* s = node<ReturnStmt>(token_loc(start));
  s->value = nullptr;
  if (starts_expression(m_tok.kind) || at(TokenKind::Star)) {
    s->value = parse_star_expressions();
    if (s->value == nullptr) return nullptr;
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_raise() {
  Token start = m_tok;
  advance();
  auto* s = node<RaiseStmt>(token_loc(start));
  s->exc = s->cause = nullptr;
  if (starts_expression(m_tok.kind)) {
    s->exc = parse_expression();
    if (s->exc == nullptr) return nullptr;
    if (accept(TokenKind::KwFrom)) {
      s->cause = parse_expression();
      if (s->cause == nullptr) return nullptr;
    }
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_assert() {
  Token start = m_tok;
  advance();
  auto* s = node<AssertStmt>(token_loc(start));
  s->test = parse_expression();
  s->msg = nullptr;
  if (s->test == nullptr) return nullptr;
  if (accept(TokenKind::Comma)) {
    s->msg = parse_expression();
    if (s->msg == nullptr) return nullptr;
  }
  s->loc = loc_from(start);
  return s;
}

Stmt* Parser::parse_global(bool global) {
  Token start = m_tok;
  advance();
  std::size_t mark = m_names.size();
  do {
    if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
    m_names.push_back(name_text(m_tok));
    advance();
  } while (accept(TokenKind::Comma));
  Span<std::string_view> names;
  names.count = static_cast<std::uint32_t>(m_names.size() - mark);
  names.data = static_cast<std::string_view*>(
      m_ast.arena.allocate(names.count * sizeof(std::string_view), alignof(std::string_view)));
  std::copy(m_names.begin() + static_cast<std::ptrdiff_t>(mark), m_names.end(), names.data);
  m_names.resize(mark);
  if (global) {
    auto* s = node<GlobalStmt>(loc_from(start));
    s->names = names;
    return s;
  }
  auto* s = node<NonlocalStmt>(loc_from(start));
  s->names = names;
  return s;
}

Stmt* Parser::parse_del() {
  Token start = m_tok;
  advance();
  std::size_t mark = m_stack.size();
  for (;;) {
    Expr* t = parse_binary(0);
    if (t == nullptr) return nullptr;
    if (!set_target(t, TargetUse::Delete, true)) return nullptr;
    m_stack.push_back(t);
    if (!accept(TokenKind::Comma)) break;
    if (!starts_expression(m_tok.kind)) break;
  }
  auto* s = node<DeleteStmt>(loc_from(start));
  s->targets = take<Expr*>(mark);
  return s;
}

bool Parser::parse_dotted_name(std::string_view& out) {
  if (!at(TokenKind::Name)) return fail_syntax(), false;
  std::uint32_t begin = m_tok.offset;
  std::uint32_t end = m_tok.offset + m_tok.length;
  advance();
  bool spaced = false;
  while (at(TokenKind::Dot)) {
    advance();
    if (!at(TokenKind::Name)) return fail_syntax(), false;
    end = m_tok.offset + m_tok.length;
    advance();
    spaced = true;
  }
  std::string_view raw = m_source.text().substr(begin, end - begin);
  if (spaced && raw.find_first_of(" \t\\\r\n\f#") != std::string_view::npos) {
    std::string clean;  // `a . b` is legal: drop the blanks between the parts
    for (char c : raw) {
      if (c != ' ' && c != '\t' && c != '\\' && c != '\r' && c != '\n' && c != '\f') clean += c;
    }
    out = m_ast.arena.copy_string(clean);
  } else {
    out = m_ast.arena.copy_string(raw);
  }
  return true;
}

Stmt* Parser::parse_import() {
  Token start = m_tok;
  advance();
  std::size_t mark = m_stack.size();
  do {
    Token t = m_tok;
    auto* a = m_ast.arena.make<Alias>();
    if (!parse_dotted_name(a->name)) return nullptr;
    if (accept(TokenKind::KwAs)) {
      if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
      a->asname = name_text(m_tok);
      advance();
    }
    a->loc = loc_from(t);
    m_stack.push_back(a);
  } while (accept(TokenKind::Comma));
  auto* s = node<ImportStmt>(loc_from(start));
  s->names = take<Alias*>(mark);
  return s;
}

Stmt* Parser::parse_from_import() {
  Token start = m_tok;
  advance();
  std::uint32_t level = 0;
  while (at(TokenKind::Dot) || at(TokenKind::Ellipsis)) {
    level += at(TokenKind::Dot) ? 1 : 3;
    advance();
  }
  auto* s = node<ImportFromStmt>(token_loc(start));
  s->level = level;
  if (!at(TokenKind::KwImport) || level == 0) {
    if (!parse_dotted_name(s->module)) return nullptr;
  }
  if (!expect(TokenKind::KwImport)) return nullptr;
  std::size_t mark = m_stack.size();
  if (at(TokenKind::Star)) {
    auto* a = m_ast.arena.make<Alias>();
    a->name = "*";
    a->loc = token_loc(m_tok);
    advance();
    m_stack.push_back(a);
  } else {
    bool parens = accept(TokenKind::LParen);
    for (;;) {
      if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
      Token t = m_tok;
      auto* a = m_ast.arena.make<Alias>();
      a->name = name_text(t);
      advance();
      if (accept(TokenKind::KwAs)) {
        if (!at(TokenKind::Name)) return fail_syntax(), nullptr;
        a->asname = name_text(m_tok);
        advance();
      }
      a->loc = loc_from(t);
      m_stack.push_back(a);
      if (!accept(TokenKind::Comma)) break;
      if (parens && at(TokenKind::RParen)) break;
      if (!parens && !at(TokenKind::Name)) {
        if (at(TokenKind::Error)) return fail_syntax(), nullptr;
        fail_token(m_tok, "trailing comma not allowed without surrounding parentheses");
        return nullptr;
      }
    }
    if (parens && !expect(TokenKind::RParen)) return nullptr;
  }
  s->names = take<Alias*>(mark);
  s->loc = loc_from(start);
  return s;
}

// ------------------------------------------------------------------------------- targets

// Validates `e` as an assignment/deletion target and sets its context (Store or Del).
bool Parser::set_target(Expr* e, TargetUse use, bool top) {
  ExprContext ctx = use == TargetUse::Delete ? ExprContext::Del : ExprContext::Store;
  switch (e->kind) {
    case ExprKind::Name: e->as<NameExpr>()->ctx = ctx; return true;
    case ExprKind::Attribute: e->as<AttributeExpr>()->ctx = ctx; return true;
    case ExprKind::Subscript: e->as<SubscriptExpr>()->ctx = ctx; return true;
    case ExprKind::Starred:
      if (use == TargetUse::Delete) break;
      if (top) {
        fail_loc(e->loc, "starred assignment target must be in a list or tuple");
        return false;
      }
      e->as<StarredExpr>()->ctx = ctx;
      return set_target(e->as<StarredExpr>()->value, use, false);
    case ExprKind::Tuple:
    case ExprKind::List: {
      Span<Expr*> elts = e->is<TupleExpr>() ? e->as<TupleExpr>()->elts : e->as<ListExpr>()->elts;
      if (e->is<TupleExpr>()) {
        e->as<TupleExpr>()->ctx = ctx;
      } else {
        e->as<ListExpr>()->ctx = ctx;
      }
      int starred = 0;
      for (Expr* elt : elts) {
        if (elt->is<StarredExpr>() && use != TargetUse::Delete) {
          if (++starred > 1) {
            fail_loc(e->loc, "multiple starred expressions in assignment");
            return false;
          }
        }
        TargetUse inner = use == TargetUse::AssignHere ? TargetUse::Assign : use;
        if (!set_target(elt, inner, false)) return false;
      }
      return true;
    }
    default:
      break;
  }
  if (use == TargetUse::Delete) {
    fail_loc(e->loc, fmt::format("cannot delete {}", expr_name(e)));
  } else if (use == TargetUse::AssignHere && top) {
    fail_loc(e->loc, fmt::format("cannot assign to {} here. Maybe you meant '==' instead of '='?",
                                 expr_name(e)));
  } else {
    fail_loc(e->loc, fmt::format("cannot assign to {}", expr_name(e)));
  }
  return false;
}

Expr* Parser::parse_target_list() {
  Token start = m_tok;
  std::size_t mark = m_stack.size();
  bool comma = false;
  for (;;) {
    Expr* e;
    if (at(TokenKind::Star)) {
      Token star = m_tok;
      advance();
      Expr* v = parse_binary(0);
      if (v == nullptr) return nullptr;
      auto* s = node<StarredExpr>(loc_from(star));
      s->value = v;
      s->ctx = ExprContext::Load;
      e = s;
    } else {
      e = parse_binary(0);
      if (e == nullptr) return nullptr;
    }
    m_stack.push_back(e);
    if (!accept(TokenKind::Comma)) break;
    comma = true;
    if (!starts_expression(m_tok.kind) && !at(TokenKind::Star)) break;
  }
  if (!comma) {
    auto* e = static_cast<Expr*>(m_stack.back());
    m_stack.pop_back();
    return e;
  }
  auto* t = node<TupleExpr>(loc_from(start));
  t->elts = take<Expr*>(mark);
  t->ctx = ExprContext::Load;
  return t;
}

// ---------------------------------------------------------------------------- expressions

Expr* Parser::parse_yield_or_star_expressions() {
  if (at(TokenKind::KwYield)) return parse_yield();
  return parse_star_expressions();
}

Expr* Parser::parse_yield() {
  Token start = m_tok;
  advance();
  if (accept(TokenKind::KwFrom)) {
    Expr* v = parse_expression();
    if (v == nullptr) return nullptr;
    auto* y = node<YieldFromExpr>(loc_from(start));
    y->value = v;
    return y;
  }
  auto* y = node<YieldExpr>(token_loc(start));
  y->value = nullptr;
  if (starts_expression(m_tok.kind) || at(TokenKind::Star)) {
    y->value = parse_star_expressions();
    if (y->value == nullptr) return nullptr;
  }
  y->loc = loc_from(start);
  return y;
}

Expr* Parser::parse_star_expressions() {
  Token start = m_tok;
  Expr* first = parse_star_expression();
  if (first == nullptr || !at(TokenKind::Comma)) return first;
  std::size_t mark = m_stack.size();
  m_stack.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (!starts_expression(m_tok.kind) && !at(TokenKind::Star)) break;
    Expr* e = parse_star_expression();
    if (e == nullptr) return nullptr;
    m_stack.push_back(e);
  }
  auto* t = node<TupleExpr>(loc_from(start));
  t->elts = take<Expr*>(mark);
  t->ctx = ExprContext::Load;
  return t;
}

Expr* Parser::parse_star_expression() {
  if (at(TokenKind::Star)) {
    Token star = m_tok;
    advance();
    Expr* v = parse_binary(0);
    if (v == nullptr) return nullptr;
    auto* s = node<StarredExpr>(loc_from(star));
    s->value = v;
    s->ctx = ExprContext::Load;
    return s;
  }
  return parse_expression();
}

Expr* Parser::parse_star_named_expression() {
  if (at(TokenKind::Star)) return parse_star_expression();
  return parse_named_expression();
}

Expr* Parser::parse_named_expression() {
  Expr* e = parse_expression();
  if (e == nullptr || !at(TokenKind::ColonEqual)) return e;
  if (!e->is<NameExpr>()) {
    fail_loc(e->loc, fmt::format("cannot use assignment expressions with {}", expr_name(e)));
    return nullptr;
  }
  advance();
  Expr* value = parse_expression();
  if (value == nullptr) return nullptr;
  e->as<NameExpr>()->ctx = ExprContext::Store;
  auto* n = node<NamedExpr>(span(e->loc, value->loc));
  n->target = e;
  n->value = value;
  return n;
}

Expr* Parser::parse_expression() {
  DepthGuard guard(*this);
  if (!guard.m_ok) return fail_depth(), nullptr;
  if (at(TokenKind::KwLambda)) return parse_lambda();
  Expr* body = parse_disjunction();
  if (body == nullptr || !at(TokenKind::KwIf)) return body;
  advance();
  Expr* test = parse_disjunction();
  if (test == nullptr) return nullptr;
  if (!accept(TokenKind::KwElse)) {
    if (at(TokenKind::Error)) return fail_syntax(), nullptr;
    fail_loc(span(body->loc, test->loc), "expected 'else' after 'if' expression");
    return nullptr;
  }
  Expr* orelse = parse_expression();
  if (orelse == nullptr) return nullptr;
  auto* e = node<IfExpExpr>(span(body->loc, orelse->loc));
  e->test = test;
  e->body = body;
  e->orelse = orelse;
  return e;
}

Expr* Parser::parse_lambda() {
  Token start = m_tok;
  advance();
  Arguments* args = parse_parameters(TokenKind::Colon, false);
  if (args == nullptr || !expect(TokenKind::Colon)) return nullptr;
  Expr* body = parse_expression();
  if (body == nullptr) return nullptr;
  auto* l = node<LambdaExpr>(loc_from(start));
  l->args = args;
  l->body = body;
  return l;
}

Expr* Parser::parse_disjunction() {
  Expr* first = parse_conjunction();
  if (first == nullptr || !at(TokenKind::KwOr)) return first;
  std::size_t mark = m_stack.size();
  m_stack.push_back(first);
  while (accept(TokenKind::KwOr)) {
    Expr* e = parse_conjunction();
    if (e == nullptr) return nullptr;
    m_stack.push_back(e);
  }
  auto* b = node<BoolOpExpr>(loc_from(first->loc));
  b->op = BoolOpKind::Or;
  b->values = take<Expr*>(mark);
  return b;
}

Expr* Parser::parse_conjunction() {
  Expr* first = parse_inversion();
  if (first == nullptr || !at(TokenKind::KwAnd)) return first;
  std::size_t mark = m_stack.size();
  m_stack.push_back(first);
  while (accept(TokenKind::KwAnd)) {
    Expr* e = parse_inversion();
    if (e == nullptr) return nullptr;
    m_stack.push_back(e);
  }
  auto* b = node<BoolOpExpr>(loc_from(first->loc));
  b->op = BoolOpKind::And;
  b->values = take<Expr*>(mark);
  return b;
}

Expr* Parser::parse_inversion() {
  if (!at(TokenKind::KwNot)) return parse_comparison();
  DepthGuard guard(*this);
  if (!guard.m_ok) return fail_depth(), nullptr;
  Token start = m_tok;
  advance();
  Expr* operand = parse_inversion();
  if (operand == nullptr) return nullptr;
  auto* u = node<UnaryOpExpr>(loc_from(start));
  u->op = UnaryOpKind::Not;
  u->operand = operand;
  return u;
}

Expr* Parser::parse_comparison() {
  Expr* left = parse_binary(0);
  if (left == nullptr) return nullptr;
  std::size_t mark = m_stack.size();
  std::size_t ops_mark = m_ops.size();
  for (;;) {
    CmpOpKind op;
    switch (m_tok.kind) {
      case TokenKind::EqEqual: op = CmpOpKind::Eq; break;
      case TokenKind::NotEqual: op = CmpOpKind::NotEq; break;
      case TokenKind::Less: op = CmpOpKind::Lt; break;
      case TokenKind::LessEqual: op = CmpOpKind::LtE; break;
      case TokenKind::Greater: op = CmpOpKind::Gt; break;
      case TokenKind::GreaterEqual: op = CmpOpKind::GtE; break;
      case TokenKind::KwIn: op = CmpOpKind::In; break;
      case TokenKind::KwIs:
        op = peek_next().kind == TokenKind::KwNot ? CmpOpKind::IsNot : CmpOpKind::Is;
        break;
      case TokenKind::KwNot:
        if (peek_next().kind != TokenKind::KwIn) {
          advance();  // CPython reports the token after a stray `not`
          fail_syntax();
          return nullptr;
        }
        op = CmpOpKind::NotIn;
        break;
      default: goto done;
    }
    advance();
    if (op == CmpOpKind::IsNot || op == CmpOpKind::NotIn) advance();
    {
      Expr* right = parse_binary(0);
      if (right == nullptr) return nullptr;
      m_ops.push_back(op);
      m_stack.push_back(right);
    }
  }
done:
  if (m_ops.size() == ops_mark) return left;
  auto* c = node<CompareExpr>(loc_from(left->loc));
  c->left = left;
  auto n = static_cast<std::uint32_t>(m_ops.size() - ops_mark);
  c->ops.count = n;
  c->ops.data = static_cast<CmpOpKind*>(m_ast.arena.allocate(n * sizeof(CmpOpKind), 1));
  std::copy(m_ops.begin() + static_cast<std::ptrdiff_t>(ops_mark), m_ops.end(), c->ops.data);
  m_ops.resize(ops_mark);
  c->comparators = take<Expr*>(mark);
  return c;
}

// Binary operator levels, loosest first: | ^ & (<< >>) (+ -) (* / // % @).
Expr* Parser::parse_binary(int level) {
  if (level == 6) return parse_factor();
  Expr* left = parse_binary(level + 1);
  if (left == nullptr) return nullptr;
  std::uint32_t chain = 0;
  Expr* result = left;
  for (;;) {
    OperatorKind op;
    TokenKind k = m_tok.kind;
    bool match = true;
    switch (level) {
      case 0: match = k == TokenKind::VBar; op = OperatorKind::BitOr; break;
      case 1: match = k == TokenKind::Circumflex; op = OperatorKind::BitXor; break;
      case 2: match = k == TokenKind::Amper; op = OperatorKind::BitAnd; break;
      case 3:
        match = k == TokenKind::LeftShift || k == TokenKind::RightShift;
        op = k == TokenKind::LeftShift ? OperatorKind::LShift : OperatorKind::RShift;
        break;
      case 4:
        match = k == TokenKind::Plus || k == TokenKind::Minus;
        op = k == TokenKind::Plus ? OperatorKind::Add : OperatorKind::Sub;
        break;
      default:
        switch (k) {
          case TokenKind::Star: op = OperatorKind::Mult; break;
          case TokenKind::Slash: op = OperatorKind::Div; break;
          case TokenKind::DoubleSlash: op = OperatorKind::FloorDiv; break;
          case TokenKind::Percent: op = OperatorKind::Mod; break;
          case TokenKind::At: op = OperatorKind::MatMult; break;
          default: match = false; op = OperatorKind::Add; break;
        }
    }
    if (!match) break;
    // Each link of a left-associative chain deepens the tree by one: count it against the
    // depth limit so later recursive walks stay bounded.
    chain++;
    m_depth++;
    if (m_depth > k_max_expr_depth) {
      m_depth -= chain;
      return fail_depth(), nullptr;
    }
    advance();
    Expr* right = parse_binary(level + 1);
    if (right == nullptr) {
      m_depth -= chain;
      return nullptr;
    }
    auto* b = node<BinOpExpr>(span(left->loc, right->loc));
    b->op = op;
    b->left = result;
    b->right = right;
    result = b;
  }
  m_depth -= chain;
  return result;
}

Expr* Parser::parse_factor() {
  UnaryOpKind op;
  switch (m_tok.kind) {
    case TokenKind::Minus: op = UnaryOpKind::USub; break;
    case TokenKind::Plus: op = UnaryOpKind::UAdd; break;
    case TokenKind::Tilde: op = UnaryOpKind::Invert; break;
    default: return parse_power();
  }
  DepthGuard guard(*this);
  if (!guard.m_ok) return fail_depth(), nullptr;
  Token start = m_tok;
  advance();
  Expr* operand = parse_factor();
  if (operand == nullptr) return nullptr;
  auto* u = node<UnaryOpExpr>(loc_from(start));
  u->op = op;
  u->operand = operand;
  return u;
}

// power: primary ['**' factor]: right-associative and tighter than a unary minus on its left
// (`-2**2` is `-(2**2)`), looser than one on its right (`2**-1`).
Expr* Parser::parse_power() {
  if (at(TokenKind::KwAwait)) return fail_syntax(), nullptr;  // no coroutines in ftpy
  Expr* base = parse_primary();
  if (base == nullptr || !at(TokenKind::DoubleStar)) return base;
  DepthGuard guard(*this);
  if (!guard.m_ok) return fail_depth(), nullptr;
  advance();
  Expr* exp = parse_factor();
  if (exp == nullptr) return nullptr;
  auto* b = node<BinOpExpr>(span(base->loc, exp->loc));
  b->op = OperatorKind::Pow;
  b->left = base;
  b->right = exp;
  return b;
}

Expr* Parser::parse_primary() {
  Expr* e = parse_atom();
  if (e == nullptr) return nullptr;
  std::uint32_t chain = 0;
  auto leave = [&](Expr* r) {
    m_depth -= chain;
    return r;
  };
  for (;;) {
    if (!at(TokenKind::Dot) && !at(TokenKind::LParen) && !at(TokenKind::LBracket)) break;
    chain++;
    if (++m_depth > k_max_expr_depth) {
      fail_depth();
      return leave(nullptr);
    }
    if (accept(TokenKind::Dot)) {
      if (!at(TokenKind::Name)) {
        fail_syntax();
        return leave(nullptr);
      }
      auto* a = node<AttributeExpr>(span(e->loc, token_loc(m_tok)));
      a->value = e;
      a->attr = name_text(m_tok);
      a->ctx = ExprContext::Load;
      advance();
      e = a;
    } else if (accept(TokenKind::LParen)) {
      auto* c = node<CallExpr>(e->loc);
      c->func = e;
      if (!parse_call_arguments(c->args, c->keywords, TokenKind::RParen) ||
          !expect(TokenKind::RParen)) {
        return leave(nullptr);
      }
      c->loc = loc_from(e->loc);
      e = c;
    } else {
      advance();
      Expr* slice = parse_subscript_slices();
      if (slice == nullptr || !expect(TokenKind::RBracket)) return leave(nullptr);
      auto* s = node<SubscriptExpr>(loc_from(e->loc));
      s->value = e;
      s->slice = slice;
      s->ctx = ExprContext::Load;
      e = s;
    }
  }
  return leave(e);
}

void Parser::fail_forgot_comma(Expr* first) {
  if (m_failed) return;
  if (!starts_atom(m_tok.kind) || first->is<LambdaExpr>() || first->is<IfExpExpr>() ||
      first->is<StarredExpr>()) {
    return fail_syntax();
  }
  Token at_tok = m_tok;
  Expr* second = parse_expression();
  if (second == nullptr) {
    m_failed = false;  // the juxtaposed expression is broken too: report the generic error
    m_error_from_lexer = false;
    if (m_lexer.failed()) {
      m_tok.kind = TokenKind::Error;
      return fail_syntax();
    }
    return fail_token(at_tok, "invalid syntax");
  }
  fail_loc(span(first->loc, second->loc), "invalid syntax. Perhaps you forgot a comma?");
}

bool Parser::parse_call_arguments(Span<Expr*>& args, Span<Keyword*>& keywords,
                                  TokenKind closing) {
  std::size_t mark = m_stack.size();
  std::size_t kw_mark = m_keywords.size();
  std::vector<Keyword*>& kws = m_keywords;  // a stack shared with nested calls
  bool seen_keyword = false;
  bool seen_double_star = false;
  while (!at(closing)) {
    Token start = m_tok;
    if (at(TokenKind::DoubleStar)) {
      advance();
      Expr* v = parse_expression();
      if (v == nullptr) return false;
      auto* k = m_ast.arena.make<Keyword>();
      k->value = v;
      k->loc = loc_from(start);
      kws.push_back(k);
      seen_double_star = true;
    } else if (at(TokenKind::Star)) {
      Expr* s = parse_star_expression();
      if (s == nullptr) return false;
      if (seen_double_star) {
        fail_loc(s->loc, "iterable argument unpacking follows keyword argument unpacking",
                 false);
        return false;
      }
      m_stack.push_back(s);
    } else {
      Expr* e = parse_named_expression();
      if (e == nullptr) return false;
      if (at(TokenKind::Equal)) {
        if (!e->is<NameExpr>() || start.kind != TokenKind::Name) {
          fail_loc(Loc{e->loc.line, e->loc.col, m_tok.end_line, m_tok.end_col},
                   "expression cannot contain assignment, perhaps you meant \"==\"?");
          return false;
        }
        advance();
        Expr* v = parse_expression();
        if (v == nullptr) return false;
        auto* k = m_ast.arena.make<Keyword>();
        k->arg = e->as<NameExpr>()->id;
        k->value = v;
        k->loc = loc_from(start);
        kws.push_back(k);
        seen_keyword = true;
      } else if (at(TokenKind::KwFor)) {
        auto* g = node<GeneratorExpExpr>(e->loc);
        g->elt = e;
        if (!parse_comprehension_clauses(g->generators)) return false;
        g->loc = loc_from(e->loc);
        bool no_others = m_stack.size() == mark && kws.size() == kw_mark;
        bool alone = no_others && at(closing);
        if (!alone && !(no_others && at(TokenKind::Comma) &&
                        peek_next().kind == closing)) {
          fail_loc(g->loc, "Generator expression must be parenthesized");
          return false;
        }
        m_stack.push_back(g);
      } else {
        if (seen_double_star) {
          fail_loc(e->loc, "positional argument follows keyword argument unpacking");
          return false;
        }
        if (seen_keyword) {
          // CPython points at the token after the argument.
          fail_loc(token_loc(m_tok), "positional argument follows keyword argument", false);
          return false;
        }
        m_stack.push_back(e);
      }
    }
    if (!accept(TokenKind::Comma)) {
      if (!at(closing)) {
        Expr* last = m_stack.size() > mark ? static_cast<Expr*>(m_stack.back()) : nullptr;
        if (last != nullptr) {
          fail_forgot_comma(last);
        } else {
          fail_syntax();
        }
        return false;
      }
      break;
    }
  }
  args = take<Expr*>(mark);
  for (std::size_t i = kw_mark; i < kws.size(); i++) m_stack.push_back(kws[i]);
  kws.resize(kw_mark);
  keywords = take<Keyword*>(mark);
  return true;
}

Expr* Parser::parse_slice() {
  Token start = m_tok;
  Expr* lower = nullptr;
  if (!at(TokenKind::Colon)) {
    lower = parse_named_expression();
    if (lower == nullptr || !at(TokenKind::Colon)) return lower;
  }
  advance();  // ':'
  auto* s = node<SliceExpr>(token_loc(start));
  s->lower = lower;
  s->upper = s->step = nullptr;
  if (!at(TokenKind::Colon) && !at(TokenKind::Comma) && !at(TokenKind::RBracket)) {
    s->upper = parse_expression();
    if (s->upper == nullptr) return nullptr;
  }
  if (accept(TokenKind::Colon)) {
    if (!at(TokenKind::Comma) && !at(TokenKind::RBracket)) {
      s->step = parse_expression();
      if (s->step == nullptr) return nullptr;
    }
  }
  s->loc = loc_from(start);
  return s;
}

Expr* Parser::parse_subscript_slices() {
  Token start = m_tok;
  Expr* first = at(TokenKind::Star) ? parse_star_expression() : parse_slice();
  if (first == nullptr) return nullptr;
  if (!at(TokenKind::Comma)) {
    if (!at(TokenKind::RBracket)) fail_forgot_comma(first);
    return m_failed ? nullptr : first;
  }
  std::size_t mark = m_stack.size();
  m_stack.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RBracket)) break;
    Expr* e = at(TokenKind::Star) ? parse_star_expression() : parse_slice();
    if (e == nullptr) return nullptr;
    m_stack.push_back(e);
  }
  auto* t = node<TupleExpr>(loc_from(start));
  t->elts = take<Expr*>(mark);
  t->ctx = ExprContext::Load;
  return t;
}

bool Parser::parse_comprehension_clauses(Span<Comprehension*>& out) {
  std::size_t mark = m_stack.size();
  while (at(TokenKind::KwFor)) {
    Token start = m_tok;
    advance();
    auto* c = m_ast.arena.make<Comprehension>();
    c->target = parse_target_list();
    if (c->target == nullptr || !expect(TokenKind::KwIn)) return false;
    if (!set_target(c->target, TargetUse::Assign, true)) return false;
    c->iter = parse_disjunction();
    if (c->iter == nullptr) return false;
    std::size_t ifs_mark = m_stack.size();
    while (accept(TokenKind::KwIf)) {
      Expr* cond = parse_disjunction();
      if (cond == nullptr) return false;
      m_stack.push_back(cond);
    }
    c->ifs = take<Expr*>(ifs_mark);
    c->loc = loc_from(start);
    m_stack.push_back(c);
  }
  out = take<Comprehension*>(mark);
  return true;
}

Expr* Parser::parse_atom() {
  Token t = m_tok;
  switch (t.kind) {
    case TokenKind::Name: advance(); return make_name(t);
    case TokenKind::KwNone: advance(); return make_constant(token_loc(t), ConstantKind::None);
    case TokenKind::KwTrue: advance(); return make_constant(token_loc(t), ConstantKind::True);
    case TokenKind::KwFalse: advance(); return make_constant(token_loc(t), ConstantKind::False);
    case TokenKind::Ellipsis:
      advance();
      return make_constant(token_loc(t), ConstantKind::Ellipsis);
    case TokenKind::Int: case TokenKind::Float: case TokenKind::Imaginary: {
      advance();
      ConstantKind k = t.kind == TokenKind::Int     ? ConstantKind::Int
                       : t.kind == TokenKind::Float ? ConstantKind::Float
                                                    : ConstantKind::Imaginary;
      auto* c = make_constant(token_loc(t), k);
      if (k == ConstantKind::Int) {
        c->int_overflow = (t.flags & k_int_overflow) != 0;
        c->int_value = c->int_overflow ? 0 : t.int_value;
      } else {
        c->float_value = t.float_value;
      }
      c->text = name_text(t);
      return c;
    }
    case TokenKind::String: return parse_strings();
    case TokenKind::LParen: return parse_paren();
    case TokenKind::LBracket: return parse_list_display();
    case TokenKind::LBrace: return parse_brace_display();
    default:
      fail_syntax();
      return nullptr;
  }
}

Expr* Parser::parse_paren() {
  Token start = m_tok;
  advance();
  if (accept(TokenKind::RParen)) {
    auto* t = node<TupleExpr>(loc_from(start));
    t->ctx = ExprContext::Load;
    return t;
  }
  if (at(TokenKind::KwYield)) {
    Expr* y = parse_yield();
    if (y == nullptr || !expect(TokenKind::RParen)) return nullptr;
    return y;
  }
  Expr* first = parse_star_named_expression();
  if (first == nullptr) return nullptr;
  if (at(TokenKind::KwFor)) {
    auto* g = node<GeneratorExpExpr>(first->loc);
    g->elt = first;
    if (!parse_comprehension_clauses(g->generators) || !expect(TokenKind::RParen)) {
      return nullptr;
    }
    g->loc = loc_from(start);
    return g;
  }
  if (accept(TokenKind::RParen)) {
    if (first->is<StarredExpr>()) {
      fail_loc(first->loc, "cannot use starred expression here");
      return nullptr;
    }
    return first;  // a parenthesised expression keeps its own location, as in CPython
  }
  if (!at(TokenKind::Comma)) {
    fail_forgot_comma(first);
    return nullptr;
  }
  std::size_t mark = m_stack.size();
  m_stack.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RParen)) break;
    Expr* e = parse_star_named_expression();
    if (e == nullptr) return nullptr;
    m_stack.push_back(e);
    if (!at(TokenKind::Comma) && !at(TokenKind::RParen)) {
      fail_forgot_comma(e);
      return nullptr;
    }
  }
  if (!expect(TokenKind::RParen)) return nullptr;
  auto* t = node<TupleExpr>(loc_from(start));
  t->elts = take<Expr*>(mark);
  t->ctx = ExprContext::Load;
  return t;
}

Expr* Parser::parse_list_display() {
  Token start = m_tok;
  advance();
  std::size_t mark = m_stack.size();
  if (!at(TokenKind::RBracket)) {
    Expr* first = parse_star_named_expression();
    if (first == nullptr) return nullptr;
    if (at(TokenKind::KwFor)) {
      auto* c = node<ListCompExpr>(token_loc(start));
      c->elt = first;
      if (!parse_comprehension_clauses(c->generators) || !expect(TokenKind::RBracket)) {
        return nullptr;
      }
      c->loc = loc_from(start);
      return c;
    }
    m_stack.push_back(first);
    while (accept(TokenKind::Comma)) {
      if (at(TokenKind::RBracket)) break;
      Expr* e = parse_star_named_expression();
      if (e == nullptr) return nullptr;
      m_stack.push_back(e);
    }
    if (!at(TokenKind::RBracket)) {
      fail_forgot_comma(static_cast<Expr*>(m_stack.back()));
      return nullptr;
    }
  }
  advance();
  auto* l = node<ListExpr>(loc_from(start));
  l->elts = take<Expr*>(mark);
  l->ctx = ExprContext::Load;
  return l;
}

Expr* Parser::parse_brace_display() {
  Token start = m_tok;
  advance();
  if (accept(TokenKind::RBrace)) {
    return node<DictExpr>(loc_from(start));
  }
  // Decide dict or set from the first element.
  bool is_dict = false;
  Expr* first_key = nullptr;
  Expr* first_value = nullptr;
  if (accept(TokenKind::DoubleStar)) {
    is_dict = true;
    first_value = parse_binary(0);
    if (first_value == nullptr) return nullptr;
  } else {
    first_key = parse_star_named_expression();
    if (first_key == nullptr) return nullptr;
    if (accept(TokenKind::Colon)) {
      is_dict = true;
      first_value = parse_expression();
      if (first_value == nullptr) return nullptr;
    }
  }
  if (at(TokenKind::KwFor)) {
    if (is_dict && first_key != nullptr) {
      auto* c = node<DictCompExpr>(token_loc(start));
      c->key = first_key;
      c->value = first_value;
      if (!parse_comprehension_clauses(c->generators) || !expect(TokenKind::RBrace)) {
        return nullptr;
      }
      c->loc = loc_from(start);
      return c;
    }
    if (!is_dict) {
      auto* c = node<SetCompExpr>(token_loc(start));
      c->elt = first_key;
      if (!parse_comprehension_clauses(c->generators) || !expect(TokenKind::RBrace)) {
        return nullptr;
      }
      c->loc = loc_from(start);
      return c;
    }
    fail_syntax();
    return nullptr;
  }
  std::size_t mark = m_stack.size();
  if (!is_dict) {
    m_stack.push_back(first_key);
    while (accept(TokenKind::Comma)) {
      if (at(TokenKind::RBrace)) break;
      Expr* e = parse_star_named_expression();
      if (e == nullptr) return nullptr;
      m_stack.push_back(e);
    }
    if (!at(TokenKind::RBrace)) {
      fail_forgot_comma(static_cast<Expr*>(m_stack.back()));
      return nullptr;
    }
    advance();
    auto* s = node<SetExpr>(loc_from(start));
    s->elts = take<Expr*>(mark);
    return s;
  }
  // Dict: keys and values interleaved on the stack, split at the end.
  m_stack.push_back(first_key);
  m_stack.push_back(first_value);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RBrace)) break;
    if (accept(TokenKind::DoubleStar)) {
      Expr* v = parse_binary(0);
      if (v == nullptr) return nullptr;
      m_stack.push_back(nullptr);
      m_stack.push_back(v);
      continue;
    }
    Expr* k = parse_expression();
    if (k == nullptr) return nullptr;
    if (!accept(TokenKind::Colon)) {
      if (at(TokenKind::Error)) return fail_syntax(), nullptr;
      if (at(TokenKind::Comma) || at(TokenKind::RBrace)) {
        // CPython points just past the key ("':' expected after dictionary key").
        // CPython puts the caret on the key's last character.
        fail_loc(Loc{k->loc.end_line, k->loc.end_col > 0 ? k->loc.end_col - 1 : 0, 0, 0},
                 "':' expected after dictionary key", false);
        return nullptr;
      }
      fail_syntax();
      return nullptr;
    }
    Expr* v = parse_expression();
    if (v == nullptr) return nullptr;
    m_stack.push_back(k);
    m_stack.push_back(v);
  }
  if (!expect(TokenKind::RBrace)) return nullptr;
  auto* d = node<DictExpr>(loc_from(start));
  auto n = static_cast<std::uint32_t>((m_stack.size() - mark) / 2);
  d->keys.count = d->values.count = n;
  d->keys.data = static_cast<Expr**>(m_ast.arena.allocate(n * sizeof(Expr*), alignof(Expr*)));
  d->values.data = static_cast<Expr**>(m_ast.arena.allocate(n * sizeof(Expr*), alignof(Expr*)));
  for (std::uint32_t i = 0; i < n; i++) {
    d->keys.data[i] = static_cast<Expr*>(m_stack[mark + 2 * i]);
    d->values.data[i] = static_cast<Expr*>(m_stack[mark + 2 * i + 1]);
  }
  m_stack.resize(mark);
  return d;
}

// ------------------------------------------------------------------------------- strings

// Decodes source bytes [begin, end) of a literal body into `out` (which has room for
// end - begin bytes: no escape decodes longer than its spelling). With `fstring_braces`,
// `{{` and `}}` become single braces (the caller has split off replacement fields).
bool Parser::decode_literal(const Token& tok, std::uint32_t begin, std::uint32_t end, char* out,
                            std::uint32_t& out_len, bool fstring_braces) {
  std::string_view text = m_source.text();
  bool raw = (tok.flags & k_str_raw) != 0;
  bool bytes = (tok.flags & k_str_bytes) != 0;
  std::uint32_t body_begin = tok.offset + tok.prefix_len + ((tok.flags & k_str_triple) ? 3 : 1);
  std::uint32_t n = out_len;
  auto unicode_error = [&](std::uint32_t from, std::uint32_t to, const char* what) {
    fail_loc(Loc{tok.end_line, tok.end_col, 0, 0},
             fmt::format("({} error) '{}' codec can't decode bytes in position {}-{}: {}",
                         bytes ? "value" : "unicode", bytes ? "bytes" : "unicodeescape",
                         from - body_begin, to - body_begin - 1, what),
             false);
    return false;
  };
  for (std::uint32_t i = begin; i < end;) {
    char c = text[i];
    if (bytes && static_cast<unsigned char>(c) >= 0x80) {
      fail_loc(token_loc(tok), "bytes can only contain ASCII literal characters", false);
      return false;
    }
    if (fstring_braces && (c == '{' || c == '}')) {  // `{{` or `}}`: the caller checked
      out[n++] = c;
      i += 2;
      continue;
    }
    if (c == '\r') {  // newlines inside triple-quoted strings are normalised to \n
      out[n++] = '\n';
      i += (i + 1 < end && text[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c != '\\' || raw) {
      out[n++] = c;
      i++;
      continue;
    }
    std::uint32_t esc = i;
    char e = i + 1 < end ? text[i + 1] : '\0';
    i += 2;
    switch (e) {
      case '\n': break;  // line continuation
      case '\r': if (i < end && text[i] == '\n') i++; break;
      case '\\': out[n++] = '\\'; break;
      case '\'': out[n++] = '\''; break;
      case '"': out[n++] = '"'; break;
      case 'a': out[n++] = '\a'; break;
      case 'b': out[n++] = '\b'; break;
      case 'f': out[n++] = '\f'; break;
      case 'n': out[n++] = '\n'; break;
      case 'r': out[n++] = '\r'; break;
      case 't': out[n++] = '\t'; break;
      case 'v': out[n++] = '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        std::uint32_t v = static_cast<std::uint32_t>(e - '0');
        for (int k = 0; k < 2 && i < end && text[i] >= '0' && text[i] <= '7'; k++, i++) {
          v = v * 8 + static_cast<std::uint32_t>(text[i] - '0');
        }
        if (bytes) {
          out[n++] = static_cast<char>(v & 0xFF);
        } else {
          n += encode_utf8(v, out + n);
        }
        break;
      }
      case 'x': case 'u': case 'U': {
        if (bytes && e != 'x') {  // bytes keep `\u` as is
          out[n++] = '\\';
          out[n++] = e;
          break;
        }
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        std::uint32_t v = 0;
        int k = 0;
        for (; k < digits && i < end; k++, i++) {
          char d = text[i];
          int dv = (d >= '0' && d <= '9') ? d - '0'
                   : (d >= 'a' && d <= 'f') ? d - 'a' + 10
                   : (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
          if (dv < 0) break;
          v = v * 16 + static_cast<std::uint32_t>(dv);
        }
        if (k < digits) {
          const char* what = e == 'x' ? "truncated \\xXX escape"
                             : e == 'u' ? "truncated \\uXXXX escape"
                                        : "truncated \\UXXXXXXXX escape";
          return unicode_error(esc, i, what);
        }
        if (bytes) {
          out[n++] = static_cast<char>(v);
        } else if (v > 0x10FFFF) {
          return unicode_error(esc, i, "illegal Unicode character");
        } else if (v >= 0xD800 && v <= 0xDFFF) {
          // ftpy strings are valid UTF-8, which cannot hold a lone surrogate.
          return unicode_error(esc, i, "lone surrogates are not supported by ftpy");
        } else {
          n += encode_utf8(v, out + n);
        }
        break;
      }
      case 'N':
        if (!bytes) {
          // No Unicode name database in ftpy: `\N{...}` is rejected with CPython's message.
          std::uint32_t close = i;
          while (close < end && text[close] != '}') close++;
          return unicode_error(esc, close < end ? close + 1 : end,
                               "unknown Unicode character name");
        }
        [[fallthrough]];
      default:  // unknown escapes keep their backslash (CPython warns, ftpy stays quiet)
        out[n++] = '\\';
        i--;
        break;
    }
  }
  out_len = n;
  return true;
}

void Parser::flush_literal(std::string& pending, const Token& tok) {
  if (pending.empty()) return;
  auto* c = make_constant(token_loc(tok), ConstantKind::Str);
  c->text = m_ast.arena.copy_string(pending);
  m_stack.push_back(c);
  pending.clear();
}

// Splits an f-string body [begin, end) into literal text (accumulated in `pending`) and
// FormattedValue parts (pushed on m_stack). `nesting` is 0 for the string, 1 inside a format
// spec; CPython 3.11 allows no deeper.
bool Parser::parse_fstring(const Token& tok, std::uint32_t begin, std::uint32_t end,
                           std::uint32_t line, std::uint32_t line_start, int nesting,
                           std::string& pending) {
  std::string_view text = m_source.text();
  auto fail_here = [&](const char* msg) {
    fail_loc(Loc{tok.end_line, tok.end_col, 0, 0}, msg, false);
    return false;
  };
  std::uint32_t i = begin;
  while (i < end) {
    // Literal run up to the next single brace.
    std::uint32_t lit = i;
    while (i < end) {
      char c = text[i];
      if (c == '\n') {
        line++;
        line_start = i + 1;
      }
      if (c == '\\' && !(tok.flags & k_str_raw) && i + 1 < end) {
        if (text[i + 1] == 'N' && i + 2 < end && text[i + 2] == '{') {  // `\N{...}` braces
          while (i < end && text[i] != '}') i++;
          if (i < end) i++;
          continue;
        }
        if (text[i + 1] == '\n') {
          line++;
          line_start = i + 2;
        }
        i += 2;
        continue;
      }
      if (c == '{' || c == '}') {
        if (i + 1 < end && text[i + 1] == c && nesting == 0) {
          i += 2;
          continue;
        }
        break;
      }
      i++;
    }
    if (i > lit) {
      std::size_t old = pending.size();
      pending.resize(old + (i - lit));
      std::uint32_t n = 0;
      if (!decode_literal(tok, lit, i, pending.data() + old, n, nesting == 0)) return false;
      pending.resize(old + n);
    }
    if (i >= end) break;
    if (text[i] == '}') {
      if (nesting > 0) break;  // end of a format spec: the caller consumes it
      return fail_here("f-string: single '}' is not allowed");
    }
    // A replacement field: `{` expression [`=`] [`!` conversion] [`:` spec] `}`.
    if (nesting >= 2) return fail_here("f-string: expressions nested too deeply");
    std::uint32_t expr_begin = ++i;
    std::uint32_t expr_line = line, expr_line_start = line_start;
    int depth = 0;
    char quote = 0;
    bool triple_quote = false;
    std::uint32_t expr_end = end;
    for (; i < end; i++) {
      char c = text[i];
      if (c == '\\') return fail_here("f-string expression part cannot include a backslash");
      if (c == '\n') {
        line++;
        line_start = i + 1;
      }
      if (quote != 0) {
        if (c == quote) {
          if (!triple_quote) {
            quote = 0;
          } else if (i + 2 < end && text[i + 1] == quote && text[i + 2] == quote) {
            quote = 0;
            i += 2;
          }
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        triple_quote = i + 2 < end && text[i + 1] == c && text[i + 2] == c;
        if (triple_quote) i += 2;
        continue;
      }
      if (c == '#') return fail_here("f-string expression part cannot include '#'");
      if (c == '(' || c == '[' || c == '{') {
        depth++;
        continue;
      }
      if (c == ')' || c == ']') {
        if (depth > 0) depth--;
        continue;
      }
      if (depth > 0) {
        if (c == '}') depth--;
        continue;
      }
      if (c == '}' || c == ':') break;
      if (c == '!' && !(i + 1 < end && text[i + 1] == '=')) break;
      if (c == '=' && !(i + 1 < end && text[i + 1] == '=') &&
          !(i > expr_begin && std::strchr("=!<>", text[i - 1]) != nullptr)) {
        break;
      }
    }
    if (quote != 0) return fail_here("f-string: unterminated string");
    expr_end = i;
    if (i >= end) return fail_here("f-string: expecting '}'");
    bool blank = true;
    for (std::uint32_t k = expr_begin; k < expr_end; k++) {
      char c = text[k];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') blank = false;
    }
    if (blank) return fail_here("f-string: empty expression not allowed");
    // Parse the expression with a sub-lexer over the same source, so positions are real.
    Lexer sub_lexer(m_source, expr_begin, expr_end, expr_line, expr_line_start);
    Parser sub(m_source, m_ast, sub_lexer, m_depth, true);
    Expr* value = sub.parse_fstring_field();
    if (value == nullptr) {
      fail_with(std::move(sub.error()));
      return false;
    }
    char conversion = 0;
    bool self_documenting = false;
    if (text[i] == '=') {
      self_documenting = true;
      i++;
      while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) i++;
      // `{x = }` prints "x = " then the repr: the source text, blanks included.
      pending.append(text.substr(expr_begin, i - expr_begin));
    }
    if (i < end && text[i] == '!') {
      i++;
      if (i >= end || !(text[i] == 's' || text[i] == 'r' || text[i] == 'a') ||
          i + 1 >= end || (text[i + 1] != ':' && text[i + 1] != '}')) {
        if (i >= end || text[i] == '}' || text[i] == ':') {
          return fail_here("f-string: missing conversion character");
        }
        return fail_here(
            "f-string: invalid conversion character: expected 's', 'r', or 'a'");
      }
      conversion = text[i++];
    }
    Expr* spec = nullptr;
    if (i < end && text[i] == ':') {
      i++;
      std::size_t spec_mark = m_stack.size();
      std::string spec_pending;
      std::uint32_t spec_begin = i;
      // Find the end of the spec: the `}` closing this field, skipping nested fields.
      int d = 0;
      std::uint32_t j = i;
      for (; j < end; j++) {
        if (text[j] == '{') d++;
        if (text[j] == '}') {
          if (d == 0) break;
          d--;
        }
      }
      if (j >= end) return fail_here("f-string: expecting '}'");
      if (!parse_fstring(tok, spec_begin, j, line, line_start, nesting + 1, spec_pending)) {
        return false;
      }
      flush_literal(spec_pending, tok);
      auto* js = node<JoinedStrExpr>(token_loc(tok));
      js->values = take<Expr*>(spec_mark);
      spec = js;
      i = j;
    }
    if (i >= end || text[i] != '}') return fail_here("f-string: expecting '}'");
    i++;
    if (self_documenting && conversion == 0 && spec == nullptr) conversion = 'r';
    flush_literal(pending, tok);
    auto* fv = node<FormattedValueExpr>(value->loc);
    fv->value = value;
    fv->conversion = conversion;
    fv->format_spec = spec;
    m_stack.push_back(fv);
  }
  return true;
}

Expr* Parser::parse_fstring_field() {
  Expr* e = at(TokenKind::KwYield) ? parse_yield() : parse_star_expressions();
  if (e == nullptr) return nullptr;
  if (!at(TokenKind::EndMarker)) {
    if (starts_atom(m_tok.kind)) {
      fail_forgot_comma(e);
    } else {
      fail_syntax();
    }
    return nullptr;
  }
  return e;
}

// One or more adjacent string tokens: concatenated into a Constant (str or bytes) or, when
// any is an f-string, a JoinedStr whose literal parts are merged.
Expr* Parser::parse_strings() {
  Token first = m_tok;
  bool any_fstring = false;
  bool any_bytes = false;
  bool any_text = false;
  std::uint32_t total = 0;
  std::size_t mark = m_stack.size();
  std::string pending;
  Token last = first;
  std::vector<Token>& parts = m_string_parts;  // reused: no allocation per literal
  parts.clear();
  while (at(TokenKind::String)) {
    parts.push_back(m_tok);
    last = m_tok;
    total += m_tok.length;
    if (m_tok.flags & k_str_fstring) any_fstring = true;
    if (m_tok.flags & k_str_bytes) {
      any_bytes = true;
    } else {
      any_text = true;
    }
    advance();
  }
  if (any_bytes && any_text) {
    fail_loc(Loc{first.line, first.col, last.end_line, last.end_col},
             "cannot mix bytes and nonbytes literals");
    return nullptr;
  }
  Loc loc{first.line, first.col, last.end_line, last.end_col};
  if (!any_fstring) {  // plain literals decode straight into the arena
    auto* out = static_cast<char*>(m_ast.arena.allocate(total + 1, 1));
    std::uint32_t n = 0;
    for (const Token& t : parts) {
      std::uint32_t q = (t.flags & k_str_triple) ? 3 : 1;
      if (!decode_literal(t, t.offset + t.prefix_len + q, t.offset + t.length - q, out, n,
                          false)) {
        return nullptr;
      }
    }
    auto* c = make_constant(loc, any_bytes ? ConstantKind::Bytes : ConstantKind::Str);
    c->text = std::string_view(out, n);
    return c;
  }
  for (const Token& t : parts) {
    std::uint32_t q = (t.flags & k_str_triple) ? 3 : 1;
    std::uint32_t b = t.offset + t.prefix_len + q;
    std::uint32_t e = t.offset + t.length - q;
    if (t.flags & k_str_fstring) {
      std::uint32_t line_start = t.offset - t.col;
      if (!parse_fstring(t, b, e, t.line, line_start, 0, pending)) return nullptr;
    } else {
      std::size_t old = pending.size();
      pending.resize(old + (e - b));
      std::uint32_t n = 0;
      if (!decode_literal(t, b, e, pending.data() + old, n, false)) return nullptr;
      pending.resize(old + n);
    }
  }
  if (!pending.empty()) {
    auto* c = make_constant(loc, ConstantKind::Str);
    c->text = m_ast.arena.copy_string(pending);
    m_stack.push_back(c);
  }
  auto* js = node<JoinedStrExpr>(loc);
  js->values = take<Expr*>(mark);
  return js;
}

}  // namespace

ParseResult parse_module(const Source& source) {
  ParseResult result;
  if (auto error = check_source(source)) {
    result.error = std::move(*error);
    return result;
  }
  auto ast = std::make_unique<Ast>();
  Lexer lexer(source);
  Parser parser(source, *ast, lexer, 0, false);
  Module* module = parser.parse_file();
  if (module == nullptr) {
    result.error = std::move(parser.error());
    if (!parser.failed_in_lexer()) {
      // CPython reports a tokenizer error later in the file instead of a parser error.
      if (auto later = lexer.scan_rest_for_errors(result.error.line)) {
        result.error = std::move(*later);
      }
    }
    return result;
  }
  ast->module = module;
  result.ast = std::move(ast);
  return result;
}

ParseResult parse_module(std::string_view text, std::string_view filename) {
  Source source{std::string(filename), std::string(text)};
  return parse_module(source);
}

}  // namespace ftpy::interp
