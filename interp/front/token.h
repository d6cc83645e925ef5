// token.h: the tokens the lexer hands the parser, one fixed-size value each (no heap).
// A token is a span of the source plus its kind and, for numbers, its value; string tokens
// are decoded later by the parser (parser.cpp), straight into the AST arena.
// Positions: `line` is 1-based, `col` a 0-based byte offset within the line (CPython's
// col_offset); `end_line`/`end_col` point one past the last byte. Plain data.
#pragma once

#include <cstdint>
#include <string_view>

namespace ftpy::interp {

enum class TokenKind : std::uint8_t {
  EndMarker,
  Newline,
  Indent,
  Dedent,
  Name,
  Int,
  Float,
  Imaginary,  // `1j`: lexed so the error is the compiler's ("complex numbers are Tier 2")
  String,
  Error,  // the lexer failed; Lexer::error() holds the SyntaxErrorInfo
  // Operators and delimiters.
  LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  Colon, Comma, Semicolon, Dot, Ellipsis, Arrow, ColonEqual,
  Plus, Minus, Star, Slash, DoubleSlash, Percent, DoubleStar, At,
  LeftShift, RightShift, Amper, VBar, Circumflex, Tilde,
  Less, Greater, LessEqual, GreaterEqual, EqEqual, NotEqual,
  Equal,
  PlusEqual, MinusEqual, StarEqual, SlashEqual, DoubleSlashEqual, PercentEqual,
  DoubleStarEqual, AtEqual, LeftShiftEqual, RightShiftEqual, AmperEqual, VBarEqual,
  CircumflexEqual,
  // Keywords (Python 3.11's hard keywords).
  KwFalse, KwNone, KwTrue, KwAnd, KwAs, KwAssert, KwAsync, KwAwait, KwBreak, KwClass,
  KwContinue, KwDef, KwDel, KwElif, KwElse, KwExcept, KwFinally, KwFor, KwFrom, KwGlobal,
  KwIf, KwImport, KwIn, KwIs, KwLambda, KwNonlocal, KwNot, KwOr, KwPass, KwRaise, KwReturn,
  KwTry, KwWhile, KwWith, KwYield,
  Count_,
};

// String token flags (Token::flags).
inline constexpr std::uint8_t k_str_raw = 1;
inline constexpr std::uint8_t k_str_bytes = 2;
inline constexpr std::uint8_t k_str_fstring = 4;
inline constexpr std::uint8_t k_str_triple = 8;
// Int token flag: the literal does not fit in int64 (`int_value` is then meaningless). The
// parser keeps the literal's text so the compiler can report it (ftpy ints are 64-bit).
inline constexpr std::uint8_t k_int_overflow = 16;

struct Token {
  TokenKind kind = TokenKind::EndMarker;
  std::uint8_t flags = 0;
  std::uint8_t prefix_len = 0;  // String: bytes of prefix letters before the quote
  std::uint32_t offset = 0;     // byte offset of the first byte in the source
  std::uint32_t length = 0;     // bytes
  std::uint32_t line = 0, col = 0;
  std::uint32_t end_line = 0, end_col = 0;
  union {
    std::int64_t int_value;
    double float_value;  // Float and Imaginary
  };

  Token() : int_value(0) {}
  bool is(TokenKind k) const { return kind == k; }
  bool is_keyword() const { return kind >= TokenKind::KwFalse && kind < TokenKind::Count_; }
};

// How the token kind is spelt in source ("(", "+=", "while"), or its class name ("NAME",
// "NEWLINE") for kinds without fixed text. Used by dumps and error messages.
std::string_view token_kind_text(TokenKind kind);

// The keyword kind spelt by `name`, or TokenKind::Name if it is not a keyword.
TokenKind keyword_kind(std::string_view name);

}  // namespace ftpy::interp
