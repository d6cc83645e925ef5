// lexer.cpp: the tokenizer (see lexer.h). Error messages and their positions follow CPython
// 3.11's Parser/tokenizer.c so that a malformed program reports what CPython reports.
#include "interp/front/lexer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace ftpy::interp {

SyntaxErrorInfo make_error_at(const Source& source, SyntaxErrorKind kind, std::string message,
                              std::uint32_t line, std::uint32_t offset, std::uint32_t end_offset,
                              bool caret) {
  SyntaxErrorInfo error;
  error.kind = kind;
  error.message = std::move(message);
  error.filename = source.filename();
  error.line = line;
  std::string_view text = source.text();
  std::string_view line_text = source.line_at(offset);
  auto line_start = static_cast<std::uint32_t>(line_text.data() - text.data());
  error.line_text = std::string(line_text);
  error.end_line = line;
  if (!caret) return error;
  error.column = count_code_points(text, line_start, offset) + 1;
  if (end_offset > offset) {
    auto line_end = line_start + static_cast<std::uint32_t>(line_text.size());
    if (end_offset <= line_end) {
      error.end_column = count_code_points(text, line_start, end_offset) + 1;
    } else {
      for (std::uint32_t i = offset; i < end_offset && i < text.size(); i++) {
        if (text[i] == '\n') error.end_line++;
      }
      error.end_column = count_code_points(text, line_start, line_end) + 1;
    }
  }
  return error;
}

bool is_identifier_code_point(std::uint32_t cp) {
  struct Range {
    std::uint32_t lo, hi;
  };
  // Non-letter blocks (inclusive). Latin-1's letters ª µ º and À..ÿ (less × ÷) stay letters.
  static constexpr Range k_not_letters[] = {
      {0x80, 0xA9},     {0xAB, 0xB4},     {0xB6, 0xB9},     {0xBB, 0xBF},
      {0xD7, 0xD7},     {0xF7, 0xF7},     {0x2000, 0x206F},  // spaces, general punctuation
      {0x20A0, 0x20CF},                                     // currency
      {0x2190, 0x23FF},                                     // arrows, math operators, technical
      {0x2400, 0x2BFF},  // control pictures .. miscellaneous symbols and arrows
      {0x2E00, 0x2E7F},  // supplemental punctuation
      {0x3000, 0x3003},  {0x3008, 0x3020},  // CJK spaces and punctuation
      {0xD800, 0xF8FF},  // surrogates, private use
      {0xFE10, 0xFE1F},  {0xFE30, 0xFE4F},  // vertical forms, CJK compatibility forms
      {0xFEFF, 0xFEFF},  {0xFF01, 0xFF0F},  {0xFF1A, 0xFF20}, {0xFFF0, 0xFFFF},
      {0x1F000, 0x1FAFF},  // mahjong, cards, emoji, pictographs
      {0xF0000, 0x10FFFF},  // private use planes
  };
  for (const Range& r : k_not_letters) {
    if (cp >= r.lo && cp <= r.hi) return false;
  }
  return true;
}

namespace {

bool is_ascii_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ascii_ident_char(char c) { return is_ascii_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Valid string prefixes (any case): r u f b rb br fr rf. Returns the flags, or -1.
int string_prefix_flags(std::string_view prefix) {
  int flags = 0;
  for (char c : prefix) {
    char lc = static_cast<char>(c | 0x20);
    int bit = lc == 'r' ? k_str_raw : lc == 'b' ? k_str_bytes : lc == 'f' ? k_str_fstring
              : lc == 'u' ? 0x80 : -1;
    if (bit < 0 || (flags & bit)) return -1;
    flags |= bit;
  }
  if ((flags & 0x80) && prefix.size() != 1) return -1;  // `u` stands alone
  if ((flags & k_str_bytes) && (flags & k_str_fstring)) return -1;
  return flags & ~0x80;
}

}  // namespace

Lexer::Lexer(const Source& source)
    : m_source(source),
      m_text(source.text()),
      m_pos(source.body_offset()),
      m_end(static_cast<std::uint32_t>(source.text().size())),
      m_line_start(source.body_offset()) {}

Lexer::Lexer(const Source& source, std::uint32_t begin, std::uint32_t end, std::uint32_t line,
             std::uint32_t line_start)
    : m_source(source),
      m_text(source.text()),
      m_pos(begin),
      m_end(end),
      m_line(line),
      m_line_start(line_start),
      m_fstring_field(true),
      m_at_line_start(false) {}

Token Lexer::make_token(TokenKind kind, std::uint32_t begin) const {
  Token tok;
  tok.kind = kind;
  tok.offset = begin;
  tok.length = m_pos - begin;
  tok.end_line = m_line;
  tok.end_col = m_pos - m_line_start;
  tok.line = m_line;
  tok.col = begin >= m_line_start ? begin - m_line_start : 0;
  return tok;
}

Token Lexer::fail(SyntaxErrorInfo error) {
  if (m_fstring_field && error.message.rfind("f-string", 0) != 0) {
    error.message = "f-string: " + error.message;
  }
  m_error = std::move(error);
  m_failed = true;
  m_done = true;
  m_last = Token();
  m_last.kind = TokenKind::Error;
  m_last.offset = m_pos;
  m_last.line = m_line;
  m_last.col = m_pos - m_line_start;
  m_last.end_line = m_line;
  m_last.end_col = m_last.col;
  return m_last;
}

Token Lexer::fail_at(std::string message, std::uint32_t offset, std::uint32_t end_offset) {
  return fail(make_error_at(m_source, SyntaxErrorKind::SyntaxError, std::move(message), m_line,
                            offset, end_offset));
}

void Lexer::new_line(std::uint32_t next_line_start) {
  m_line++;
  m_line_start = next_line_start;
}

// At the start of a logical line: measures the indentation, skips blank and comment-only
// lines, and queues INDENT/DEDENT. Returns true with `out` set when a token is ready.
bool Lexer::at_line_start_indentation(Token& out) {
  for (;;) {
    std::uint32_t col = 0;
    std::uint32_t altcol = 0;
    std::uint32_t begin = m_pos;
    for (; m_pos < m_end; m_pos++) {
      char c = m_text[m_pos];
      if (c == ' ') {
        col++;
        altcol++;
      } else if (c == '\t') {
        col = (col / 8 + 1) * 8;
        altcol++;
      } else if (c == '\f') {
        col = altcol = 0;
      } else {
        break;
      }
    }
    char c = peek();
    if (is_eof()) return false;  // trailing blanks: end_of_input() takes over
    if (c == '#') {
      while (m_pos < m_end && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') m_pos++;
      c = peek();
      if (is_eof()) return false;
    }
    if (c == '\n' || c == '\r') {  // blank or comment-only line: no tokens at all
      m_pos += (c == '\r' && peek(1) == '\n') ? 2 : 1;
      new_line(m_pos);
      continue;
    }
    m_at_line_start = false;
    std::uint32_t top = m_indent_cols[m_indent_depth];
    std::uint32_t alttop = m_indent_altcols[m_indent_depth];
    auto tab_error = [&] {
      out = fail(make_error_at(m_source, SyntaxErrorKind::TabError,
                               "inconsistent use of tabs and spaces in indentation", m_line,
                               m_pos, 0, false));
      return true;
    };
    if (col == top) {
      if (altcol != alttop) return tab_error();
      return false;
    }
    if (col > top) {
      if (m_indent_depth + 1 >= k_max_indent_levels) {
        out = fail(make_error_at(m_source, SyntaxErrorKind::IndentationError,
                                 "too many levels of indentation", m_line, m_pos, 0, false));
        return true;
      }
      if (altcol <= alttop) return tab_error();
      m_indent_depth++;
      m_indent_cols[m_indent_depth] = col;
      m_indent_altcols[m_indent_depth] = altcol;
      out = make_token(TokenKind::Indent, begin);
      return true;
    }
    while (m_indent_depth > 0 && col < m_indent_cols[m_indent_depth]) {
      m_indent_depth--;
      m_pending_dedents++;
    }
    if (col != m_indent_cols[m_indent_depth]) {
      std::string_view line = m_source.line_at(m_pos);
      auto line_end = static_cast<std::uint32_t>(line.data() - m_text.data() + line.size());
      // CPython puts the caret just past the end of the line.
      SyntaxErrorInfo e = make_error_at(m_source, SyntaxErrorKind::IndentationError,
                                        "unindent does not match any outer indentation level",
                                        m_line, line_end);
      out = fail(std::move(e));
      return true;
    }
    if (altcol != m_indent_altcols[m_indent_depth]) return tab_error();
    m_pending_dedents--;
    out = make_token(TokenKind::Dedent, m_pos);
    return true;
  }
}

Token Lexer::end_of_input() {
  if (m_fstring_field) {
    m_done = true;
    m_last = make_token(TokenKind::EndMarker, m_pos);
    return m_last;
  }
  if (m_bracket_depth > 0) {
    const Bracket& b = m_brackets[m_bracket_depth - 1];
    Token t = fail(make_error_at(m_source, SyntaxErrorKind::SyntaxError,
                                 fmt::format("'{}' was never closed", b.kind), b.line, b.offset));
    m_error_is_unclosed = true;
    return t;
  }
  if (m_line_has_tokens) {  // the last line lacks its line break: CPython adds a NEWLINE
    m_line_has_tokens = false;
    return make_token(TokenKind::Newline, m_pos);
  }
  if (m_indent_depth > 0) {
    m_indent_depth--;
    return make_token(TokenKind::Dedent, m_pos);
  }
  m_done = true;
  m_last = make_token(TokenKind::EndMarker, m_pos);
  return m_last;
}

Token Lexer::next() {
  if (m_done) return m_last;
  if (m_pending_dedents > 0) {
    m_pending_dedents--;
    return make_token(TokenKind::Dedent, m_pos);
  }
  if (m_at_line_start && m_bracket_depth == 0) {
    Token out;
    if (at_line_start_indentation(out)) return out;
  }
  for (;;) {
    while (m_pos < m_end && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                             m_text[m_pos] == '\f')) {
      m_pos++;
    }
    if (is_eof()) return end_of_input();
    char c = m_text[m_pos];
    if (c == '#') {
      if (m_fstring_field) return fail_at("f-string expression part cannot include '#'", m_pos);
      while (m_pos < m_end && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') m_pos++;
      continue;
    }
    if (c == '\n' || c == '\r') {
      std::uint32_t begin = m_pos;
      m_pos += (c == '\r' && peek(1) == '\n') ? 2 : 1;
      if (m_bracket_depth > 0 || m_fstring_field || !m_line_has_tokens) {
        new_line(m_pos);
        if (m_bracket_depth == 0 && !m_fstring_field) {
          m_at_line_start = true;
          Token out;
          if (at_line_start_indentation(out)) return out;
        }
        continue;
      }
      Token tok = make_token(TokenKind::Newline, begin);
      new_line(m_pos);
      m_line_has_tokens = false;
      m_at_line_start = true;
      return tok;
    }
    if (c == '\\') {
      char n = peek(1);
      if (n == '\n' || n == '\r') {
        m_pos += (n == '\r' && peek(2) == '\n') ? 3 : 2;
        new_line(m_pos);
        if (is_eof()) {
          return fail(make_error_at(m_source, SyntaxErrorKind::SyntaxError,
                                    "unexpected EOF while parsing", m_line - 1, m_pos - 1));
        }
        continue;
      }
      if (m_pos + 1 >= m_end) {
        return fail_at("unexpected EOF while parsing", m_pos + 1);
      }
      return fail_at("unexpected character after line continuation character", m_pos + 1);
    }
    m_line_has_tokens = true;
    if (is_ascii_ident_start(c) || static_cast<unsigned char>(c) >= 0x80) {
      return lex_name_or_string();
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number();
    if (c == '\'' || c == '"') return lex_string(m_pos, 0, 0);
    return lex_operator();
  }
}

Token Lexer::lex_name_or_string() {
  std::uint32_t begin = m_pos;
  bool ascii = true;
  while (m_pos < m_end) {
    char c = m_text[m_pos];
    if (is_ascii_ident_char(c)) {
      m_pos++;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) break;
    std::uint32_t len = 0;
    std::uint32_t cp = decode_utf8(m_text, m_pos, len);
    if (!is_identifier_code_point(cp)) {
      std::string ch(m_text.substr(m_pos, len));
      return fail_at(fmt::format("invalid character '{}' (U+{:04X})", ch, cp), m_pos);
    }
    ascii = false;
    m_pos += len;
  }
  char q = peek();
  if (ascii && (q == '\'' || q == '"') && m_pos - begin <= 2) {
    int flags = string_prefix_flags(m_text.substr(begin, m_pos - begin));
    if (flags >= 0) {
      return lex_string(begin, m_pos - begin, static_cast<std::uint8_t>(flags));
    }
  }
  Token tok = make_token(TokenKind::Name, begin);
  if (ascii) tok.kind = keyword_kind(m_text.substr(begin, m_pos - begin));
  return tok;
}

Token Lexer::lex_string(std::uint32_t begin, std::uint32_t prefix_len, std::uint8_t flags) {
  std::uint32_t start_line = m_line;
  std::uint32_t start_line_start = m_line_start;
  char quote = m_text[m_pos];
  bool triple = peek(1) == quote && peek(2) == quote;
  m_pos += triple ? 3 : 1;
  auto unterminated = [&] {
    // Reported at the literal's start; "detected at" names the line where lexing gave up.
    std::uint32_t detected = m_line;
    if (triple && m_end > 0 && m_text[m_end - 1] == '\n' && m_line > start_line) detected--;
    std::string msg = fmt::format("unterminated {}string literal (detected at line {})",
                                  triple ? "triple-quoted " : "", detected);
    return fail(make_error_at(m_source, SyntaxErrorKind::SyntaxError, std::move(msg), start_line,
                              begin));
  };
  for (;;) {
    if (m_pos >= m_end) return unterminated();
    char c = m_text[m_pos];
    if (c == '\\') {
      if (m_pos + 1 >= m_end) {
        m_pos++;
        return unterminated();
      }
      char n = m_text[m_pos + 1];
      m_pos += 2;
      if (n == '\r' && peek() == '\n') m_pos++;
      if (n == '\n' || n == '\r') new_line(m_pos);
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!triple) return unterminated();
      m_pos += (c == '\r' && peek(1) == '\n') ? 2 : 1;
      new_line(m_pos);
      continue;
    }
    if (c == quote && (!triple || (peek(1) == quote && peek(2) == quote))) {
      m_pos += triple ? 3 : 1;
      break;
    }
    m_pos++;
  }
  Token tok = make_token(TokenKind::String, begin);
  tok.line = start_line;
  tok.col = begin - start_line_start;
  tok.flags = static_cast<std::uint8_t>(flags | (triple ? k_str_triple : 0));
  tok.prefix_len = static_cast<std::uint8_t>(prefix_len);
  return tok;
}

// After a number: CPython accepts a keyword that can follow a number in valid code (`1if x
// else y`) and rejects any other identifier character ("invalid decimal literal").
Token Lexer::lex_number_end(Token tok, std::uint32_t begin, const char* kind_word) {
  char c = peek();
  if (is_ascii_ident_char(c) || static_cast<unsigned char>(c) >= 0x80) {
    std::string_view rest = m_text.substr(m_pos, std::min<std::uint32_t>(m_end - m_pos, 4));
    auto starts = [&](std::string_view kw) { return rest.substr(0, kw.size()) == kw; };
    bool keyword_follows = starts("and") || starts("else") || starts("for") || starts("if") ||
                           starts("in") || starts("is") || starts("or") || starts("not");
    if (!keyword_follows) {
      return fail_at(fmt::format("invalid {} literal", kind_word), begin);
    }
  }
  tok.length = m_pos - begin;
  tok.end_col = m_pos - m_line_start;
  return tok;
}

Token Lexer::lex_number() {
  std::uint32_t begin = m_pos;
  char c = m_text[m_pos];
  if (c == '0' && (peek(1) == 'x' || peek(1) == 'X' || peek(1) == 'o' || peek(1) == 'O' ||
                   peek(1) == 'b' || peek(1) == 'B')) {
    char base_char = static_cast<char>(peek(1) | 0x20);
    int base = base_char == 'x' ? 16 : base_char == 'o' ? 8 : 2;
    const char* word = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    m_pos += 2;
    std::uint64_t value = 0;
    bool overflow = false;
    bool any = false;
    for (;;) {
      char d = peek();
      if (d == '_') {
        m_pos++;
        d = peek();
        bool ok = base == 16 ? is_hex_digit(d) : is_digit(d);
        if (!ok) return fail_at(fmt::format("invalid {} literal", word), m_pos - 1);
        continue;
      }
      bool is_valid = base == 16 ? is_hex_digit(d) : (d >= '0' && d < '0' + base);
      if (!is_valid) {
        if (base != 16 && is_digit(d)) {
          return fail_at(fmt::format("invalid digit '{}' in {} literal", d, word), m_pos);
        }
        break;
      }
      any = true;
      auto dv = static_cast<std::uint64_t>(digit_value(d));
      if (value > (std::numeric_limits<std::uint64_t>::max() - dv) / static_cast<unsigned>(base)) {
        overflow = true;
      } else {
        value = value * static_cast<unsigned>(base) + dv;
      }
      m_pos++;
    }
    if (!any) return fail_at(fmt::format("invalid {} literal", word), m_pos - 1);
    Token tok = make_token(TokenKind::Int, begin);
    if (overflow || value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      tok.flags = k_int_overflow;
    } else {
      tok.int_value = static_cast<std::int64_t>(value);
    }
    return lex_number_end(tok, begin, word);
  }
  // Decimal integer or float: digits [. digits] [e [+-] digits] [j].
  auto digits = [&]() -> bool {  // false: a `_` not followed by a digit (error already set)
    while (is_digit(peek())) {
      m_pos++;
      if (peek() == '_') {
        m_pos++;
        if (!is_digit(peek())) {
          fail_at("invalid decimal literal", m_pos - 1);
          return false;
        }
      }
    }
    return true;
  };
  bool is_float = false;
  if (c != '.') {
    if (!digits()) return m_last;
  }
  if (peek() == '.') {
    is_float = true;
    m_pos++;
    if (peek() == '_') return fail_at("invalid decimal literal", m_pos - 1);
    if (!digits()) return m_last;
  }
  if (peek() == 'e' || peek() == 'E') {
    m_pos++;
    if (peek() == '+' || peek() == '-') {
      m_pos++;
      if (!is_digit(peek())) return fail_at("invalid decimal literal", m_pos - 1);
    } else if (!is_digit(peek())) {
      return fail_at("invalid decimal literal", begin);
    }
    is_float = true;
    if (!digits()) return m_last;
  }
  bool imaginary = false;
  if (peek() == 'j' || peek() == 'J') {
    imaginary = true;
    m_pos++;
  }
  std::string_view text = m_text.substr(begin, (imaginary ? m_pos - 1 : m_pos) - begin);
  Token tok = make_token(TokenKind::Int, begin);
  if (!is_float && !imaginary) {
    // Leading zeros are only allowed when every digit is zero (`00`, `0_0`).
    if (text.size() > 1 && text[0] == '0') {
      for (std::size_t k = 0; k < text.size(); k++) {
        if (text[k] != '0' && text[k] != '_') {
          // CPython underlines the leading zeros, up to the first other digit.
          auto zeros_end = begin + static_cast<std::uint32_t>(k);
          return fail(make_error_at(
              m_source, SyntaxErrorKind::SyntaxError,
              "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
              "for octal integers",
              m_line, begin, zeros_end));
        }
      }
    }
    std::uint64_t value = 0;
    bool overflow = false;
    for (char d : text) {
      if (d == '_') continue;
      auto dv = static_cast<std::uint64_t>(d - '0');
      if (overflow || value > (static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - dv) / 10) {
        overflow = true;
      } else {
        value = value * 10 + dv;
      }
    }
    if (overflow) {
      tok.flags = k_int_overflow;
    } else {
      tok.int_value = static_cast<std::int64_t>(value);
    }
    return lex_number_end(tok, begin, "decimal");
  }
  // Floats: strip `_` and let from_chars round correctly (exact round-trip with repr).
  m_digits.clear();
  for (char d : text) {
    if (d != '_') m_digits += d;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(m_digits.data(), m_digits.data() + m_digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Overflow gives inf and underflow 0.0, as CPython's float parsing does. Decide by the
    // decimal exponent: where the first nonzero digit sits, plus the explicit exponent.
    std::int64_t exp10 = 0;
    std::size_t epos = m_digits.find_first_of("eE");
    std::string_view mant = std::string_view(m_digits).substr(0, epos);
    if (epos != std::string::npos) {
      std::string_view e = std::string_view(m_digits).substr(epos + 1);
      bool neg = !e.empty() && e[0] == '-';
      if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
      for (char d : e) {
        if (exp10 < 1'000'000'000) exp10 = exp10 * 10 + (d - '0');
      }
      if (neg) exp10 = -exp10;
    }
    std::size_t dot = mant.find('.');
    std::size_t first = mant.find_first_of("123456789");
    std::int64_t int_digits = static_cast<std::int64_t>(dot == std::string_view::npos ? mant.size() : dot);
    if (first != std::string_view::npos) {
      std::int64_t pos = static_cast<std::int64_t>(first);
      exp10 += (dot != std::string_view::npos && first > dot) ? int_digits - pos : int_digits - pos - 1;
    }
    value = exp10 < 0 ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (ec != std::errc() || ptr != m_digits.data() + m_digits.size()) {
    return fail_at("invalid decimal literal", begin);
  }
  tok.kind = imaginary ? TokenKind::Imaginary : TokenKind::Float;
  tok.float_value = value;
  return lex_number_end(tok, begin, imaginary ? "imaginary" : "decimal");
}

Token Lexer::lex_operator() {
  std::uint32_t begin = m_pos;
  char c = m_text[m_pos];
  char c1 = peek(1);
  char c2 = peek(2);
  TokenKind kind;
  std::uint32_t len = 1;
  auto two = [&](char second, TokenKind k2, TokenKind k1) {
    if (c1 == second) {
      len = 2;
      return k2;
    }
    return k1;
  };
  switch (c) {
    case '(': case '[': case '{': {
      if (m_bracket_depth >= k_max_bracket_depth) {
        return fail_at("too many nested parentheses", m_pos);
      }
      m_brackets[m_bracket_depth++] = Bracket{c, m_line, m_pos};
      kind = c == '(' ? TokenKind::LParen : c == '[' ? TokenKind::LBracket : TokenKind::LBrace;
      break;
    }
    case ')': case ']': case '}': {
      if (m_bracket_depth == 0) {
        if (m_fstring_field && c == '}') return fail_at("single '}' is not allowed", m_pos);
        return fail_at(fmt::format("unmatched '{}'", c), m_pos);
      }
      const Bracket& open = m_brackets[m_bracket_depth - 1];
      char expected = open.kind == '(' ? ')' : open.kind == '[' ? ']' : '}';
      if (c != expected) {
        std::string msg =
            open.line != m_line
                ? fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}' "
                              "on line {}", c, open.kind, open.line)
                : fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}'",
                              c, open.kind);
        return fail_at(std::move(msg), m_pos);
      }
      m_bracket_depth--;
      kind = c == ')' ? TokenKind::RParen : c == ']' ? TokenKind::RBracket : TokenKind::RBrace;
      break;
    }
    case ':': kind = two('=', TokenKind::ColonEqual, TokenKind::Colon); break;
    case ',': kind = TokenKind::Comma; break;
    case ';': kind = TokenKind::Semicolon; break;
    case '.':
      if (c1 == '.' && c2 == '.') {
        kind = TokenKind::Ellipsis;
        len = 3;
      } else {
        kind = TokenKind::Dot;
      }
      break;
    case '+': kind = two('=', TokenKind::PlusEqual, TokenKind::Plus); break;
    case '-':
      kind = c1 == '>' ? (len = 2, TokenKind::Arrow) : two('=', TokenKind::MinusEqual, TokenKind::Minus);
      break;
    case '*':
      if (c1 == '*') {
        len = c2 == '=' ? 3 : 2;
        kind = c2 == '=' ? TokenKind::DoubleStarEqual : TokenKind::DoubleStar;
      } else {
        kind = two('=', TokenKind::StarEqual, TokenKind::Star);
      }
      break;
    case '/':
      if (c1 == '/') {
        len = c2 == '=' ? 3 : 2;
        kind = c2 == '=' ? TokenKind::DoubleSlashEqual : TokenKind::DoubleSlash;
      } else {
        kind = two('=', TokenKind::SlashEqual, TokenKind::Slash);
      }
      break;
    case '%': kind = two('=', TokenKind::PercentEqual, TokenKind::Percent); break;
    case '@': kind = two('=', TokenKind::AtEqual, TokenKind::At); break;
    case '&': kind = two('=', TokenKind::AmperEqual, TokenKind::Amper); break;
    case '|': kind = two('=', TokenKind::VBarEqual, TokenKind::VBar); break;
    case '^': kind = two('=', TokenKind::CircumflexEqual, TokenKind::Circumflex); break;
    case '~': kind = TokenKind::Tilde; break;
    case '=': kind = two('=', TokenKind::EqEqual, TokenKind::Equal); break;
    case '<':
      if (c1 == '<') {
        len = c2 == '=' ? 3 : 2;
        kind = c2 == '=' ? TokenKind::LeftShiftEqual : TokenKind::LeftShift;
      } else if (c1 == '>') {
        return fail_at("invalid syntax", m_pos);  // `<>` is Barry-as-FLUFL only
      } else {
        kind = two('=', TokenKind::LessEqual, TokenKind::Less);
      }
      break;
    case '>':
      if (c1 == '>') {
        len = c2 == '=' ? 3 : 2;
        kind = c2 == '=' ? TokenKind::RightShiftEqual : TokenKind::RightShift;
      } else {
        kind = two('=', TokenKind::GreaterEqual, TokenKind::Greater);
      }
      break;
    case '!':
      if (c1 == '=') {
        kind = TokenKind::NotEqual;
        len = 2;
        break;
      }
      return fail_at("invalid syntax", m_pos);
    default: {
      auto uc = static_cast<unsigned char>(c);
      if (uc < 0x20 || uc == 0x7F) {
        return fail_at(fmt::format("invalid non-printable character U+{:04X}", uc), m_pos);
      }
      return fail_at("invalid syntax", m_pos, m_pos + 1);  // `$`, `?`, backquote
    }
  }
  m_pos += len;
  return make_token(kind, begin);
}

std::optional<SyntaxErrorInfo> Lexer::scan_rest_for_errors(std::uint32_t error_line) {
  while (!m_done) next();
  if (!m_failed) return std::nullopt;
  if (m_error_is_unclosed && m_error.line >= error_line) return std::nullopt;
  return m_error;
}

}  // namespace ftpy::interp
