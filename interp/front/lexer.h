// lexer.h: turns a checked Source into tokens on demand, one at a time (single pass, no token
// buffer, no heap allocation per token).
// Implements Python's lexical rules: INDENT/DEDENT from a stack of indentation columns (tabs
// advance to multiples of 8; the same lines measured with tabs as 1 column must agree, else
// TabError), implicit joining inside brackets, `\` continuation, comments and blank lines
// skipped. Limits as CPython's tokenizer: 100 indentation levels, 200 nested brackets.
// After an error, next() keeps returning the Error token; error() describes it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "interp/front/source.h"
#include "interp/front/syntax_error.h"
#include "interp/front/token.h"

namespace ftpy::interp {

inline constexpr std::uint32_t k_max_indent_levels = 100;  // CPython's MAXINDENT
inline constexpr std::uint32_t k_max_bracket_depth = 200;  // CPython's MAXLEVEL

// Builds an error located at byte offsets [offset, end_offset) of `source`; `line` is the line
// holding `offset`. end_offset 0 gives a single caret; `caret` false prints none (CPython does
// that for IndentationError "unexpected indent" and TabError).
SyntaxErrorInfo make_error_at(const Source& source, SyntaxErrorKind kind, std::string message,
                              std::uint32_t line, std::uint32_t offset,
                              std::uint32_t end_offset = 0, bool caret = true);

class Lexer {
 public:
  // Lexes the whole module. `source` must have passed check_source() and outlive the Lexer.
  explicit Lexer(const Source& source);
  // Lexes source bytes [begin, end) as an f-string replacement field: as if inside brackets
  // (no NEWLINE/INDENT, line breaks are blanks), error messages prefixed with "f-string: ".
  // `line`/`line_start` give the position of `begin`.
  Lexer(const Source& source, std::uint32_t begin, std::uint32_t end, std::uint32_t line,
        std::uint32_t line_start);

  Token next();
  const SyntaxErrorInfo& error() const { return m_error; }
  bool failed() const { return m_failed; }

  // Called when the parser found an error on line `error_line`: CPython then tokenizes the
  // rest of the file and reports a tokenizer error instead, if there is one (an unclosed
  // bracket only when it was opened on an earlier line). Returns that error.
  std::optional<SyntaxErrorInfo> scan_rest_for_errors(std::uint32_t error_line);

 private:
  struct Bracket {
    char kind;
    std::uint32_t line;
    std::uint32_t offset;
  };

  Token make_token(TokenKind kind, std::uint32_t begin) const;
  Token fail(SyntaxErrorInfo error);
  Token fail_at(std::string message, std::uint32_t offset, std::uint32_t end_offset = 0);
  bool at_line_start_indentation(Token& out);  // true: `out` holds a token to return
  Token end_of_input();
  Token lex_name_or_string();
  Token lex_string(std::uint32_t begin, std::uint32_t prefix_len, std::uint8_t flags);
  Token lex_number();
  Token lex_number_end(Token tok, std::uint32_t begin, const char* kind_word);
  Token lex_operator();
  void new_line(std::uint32_t next_line_start);
  bool is_eof() const { return m_pos >= m_end; }
  char peek(std::uint32_t ahead = 0) const {
    return m_pos + ahead < m_end ? m_text[m_pos + ahead] : '\0';
  }

  const Source& m_source;
  std::string_view m_text;
  std::uint32_t m_pos;
  std::uint32_t m_end;
  std::uint32_t m_line = 1;
  std::uint32_t m_line_start;
  bool m_fstring_field = false;  // sub-lexer of an f-string replacement field
  bool m_at_line_start = true;
  bool m_line_has_tokens = false;
  bool m_done = false;
  bool m_failed = false;
  bool m_error_is_unclosed = false;  // m_error is "'(' was never closed" at end of input
  std::uint32_t m_pending_dedents = 0;
  std::uint32_t m_indent_depth = 0;
  std::array<std::uint32_t, k_max_indent_levels + 1> m_indent_cols{};
  std::array<std::uint32_t, k_max_indent_levels + 1> m_indent_altcols{};
  std::uint32_t m_bracket_depth = 0;
  std::array<Bracket, k_max_bracket_depth> m_brackets{};
  std::string m_digits;  // scratch for number literals with `_` (reused, no per-token alloc)
  Token m_last;
  SyntaxErrorInfo m_error;
};

// True if `cp` (>= 0x80) may appear in an identifier. ftpy's simple rule, in place of
// Unicode's XID tables: every non-ASCII code point is a letter except the blocks of spaces,
// punctuation, symbols, arrows, box drawing, private use, specials and emoji (so `é`, `π`,
// `名` are letters; `€`, `→`, `“`, NBSP are not). NFKC normalisation is not applied.
bool is_identifier_code_point(std::uint32_t cp);

}  // namespace ftpy::interp
