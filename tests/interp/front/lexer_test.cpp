// lexer_test.cpp: tokens, indentation, numbers, string boundaries and the lexer's errors
// (messages and positions as CPython 3.11 reports them).
#include "interp/front/lexer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "interp/front/parser.h"

using namespace ftpy::interp;

namespace {

// All tokens of `text`, space-separated: names, numbers and strings as spelt, INDENT/DEDENT/
// NEWLINE/ENDMARKER by name, operators as spelt; "ERROR" on failure.
std::string lex(const std::string& text) {
  Source source("t.py", text);
  REQUIRE_FALSE(check_source(source).has_value());
  Lexer lexer(source);
  std::string out;
  for (int guard = 0; guard < 100000; guard++) {
    Token t = lexer.next();
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case TokenKind::Name: case TokenKind::Int: case TokenKind::Float:
      case TokenKind::Imaginary: case TokenKind::String:
        out += text.substr(t.offset, t.length);
        break;
      case TokenKind::Error: return out + "ERROR";
      default:
        out += std::string(token_kind_text(t.kind));
    }
    if (t.kind == TokenKind::EndMarker) break;
  }
  return out;
}

Token first_token(const std::string& text, const Source*& keep) {
  static std::vector<std::unique_ptr<Source>> sources;  // tokens refer to the source
  sources.push_back(std::make_unique<Source>("t.py", text));
  keep = sources.back().get();
  Lexer lexer(*keep);
  return lexer.next();
}

SyntaxErrorInfo lex_error(const std::string& text) {
  Source source("t.py", text);
  Lexer lexer(source);
  for (int guard = 0; guard < 100000; guard++) {
    Token t = lexer.next();
    if (t.kind == TokenKind::Error) return lexer.error();
    if (t.kind == TokenKind::EndMarker) break;
  }
  FAIL("no lexer error for: " << text);
  return {};
}

}  // namespace

TEST_CASE("lexer: simple statement tokens and positions", "[interp]") {
  CHECK(lex("x = 1\n") == "x = 1 NEWLINE ENDMARKER");
  CHECK(lex("x=1") == "x = 1 NEWLINE ENDMARKER");  // NEWLINE added at end of input
  CHECK(lex("") == "ENDMARKER");
  CHECK(lex("\n\n  \n# only a comment\n") == "ENDMARKER");
  CHECK(lex("a.b(c)[d] ** -e // f") ==
        "a . b ( c ) [ d ] ** - e // f NEWLINE ENDMARKER");
  CHECK(lex("a += 1; b <<= 2; c //= 3; d **= 4; e @= 5; f := 6") ==
        "a += 1 ; b <<= 2 ; c //= 3 ; d **= 4 ; e @= 5 ; f := 6 NEWLINE ENDMARKER");
  CHECK(lex("a != b <= c >= d == e < f > g -> h ... ~i") ==
        "a != b <= c >= d == e < f > g -> h ... ~ i NEWLINE ENDMARKER");
  CHECK(lex("if not x and y or z: pass") ==
        "if not x and y or z : pass NEWLINE ENDMARKER");

  Source source("t.py", "abc = 12\n  \n(d)\n");
  Lexer lexer(source);
  Token t = lexer.next();
  CHECK(t.kind == TokenKind::Name);
  CHECK((t.line == 1 && t.col == 0 && t.end_col == 3));
  t = lexer.next();
  CHECK(t.kind == TokenKind::Equal);
  CHECK(t.col == 4);
  t = lexer.next();
  CHECK(t.kind == TokenKind::Int);
  CHECK(t.int_value == 12);
  CHECK((t.col == 6 && t.end_col == 8));
  CHECK(lexer.next().kind == TokenKind::Newline);
  t = lexer.next();
  CHECK(t.kind == TokenKind::LParen);
  CHECK((t.line == 3 && t.col == 0));
}

TEST_CASE("lexer: keywords versus names, non-ASCII identifiers", "[interp]") {
  const Source* s = nullptr;
  CHECK(first_token("while", s).kind == TokenKind::KwWhile);
  CHECK(first_token("None", s).kind == TokenKind::KwNone);
  CHECK(first_token("nonlocal", s).kind == TokenKind::KwNonlocal);
  CHECK(first_token("whilex", s).kind == TokenKind::Name);
  CHECK(first_token("match", s).kind == TokenKind::Name);  // soft keywords are names
  CHECK(first_token("_", s).kind == TokenKind::Name);
  CHECK(lex("café = π + 名前") == "café = π + 名前 NEWLINE ENDMARKER");
  SyntaxErrorInfo e = lex_error("x = 1 € 2");
  CHECK(e.message == "invalid character '€' (U+20AC)");
  CHECK(e.column == 7);
  CHECK(lex_error("a → b").message == "invalid character '→' (U+2192)");
  CHECK(lex_error("x = \x01").message == "invalid non-printable character U+0001");
  CHECK(lex_error("x = $").message == "invalid syntax");
  CHECK(lex_error("x = a ? b").message == "invalid syntax");
}

TEST_CASE("lexer: indentation produces INDENT and DEDENT", "[interp]") {
  CHECK(lex("if x:\n    y\n    z\nw\n") ==
        "if x : NEWLINE INDENT y NEWLINE z NEWLINE DEDENT w NEWLINE ENDMARKER");
  CHECK(lex("if a:\n  if b:\n    c\nd") ==
        "if a : NEWLINE INDENT if b : NEWLINE INDENT c NEWLINE DEDENT DEDENT d NEWLINE "
        "ENDMARKER");
  // Dedents at end of input, blank and comment lines ignored at any indentation.
  CHECK(lex("if a:\n    b\n\n  # c\n        \n") ==
        "if a : NEWLINE INDENT b NEWLINE DEDENT ENDMARKER");
  CHECK(lex("if a:\n\tb\n\tc\n") ==
        "if a : NEWLINE INDENT b NEWLINE c NEWLINE DEDENT ENDMARKER");
  // Inside brackets there is no indentation and no NEWLINE.
  CHECK(lex("x = (1,\n  2,\n        3)\ny") ==
        "x = ( 1 , 2 , 3 ) NEWLINE y NEWLINE ENDMARKER");
  // Backslash continuation joins lines.
  CHECK(lex("x = 1 + \\\n      2\n") == "x = 1 + 2 NEWLINE ENDMARKER");
  // CRLF line endings.
  CHECK(lex("if a:\r\n    b\r\n") == "if a : NEWLINE INDENT b NEWLINE DEDENT ENDMARKER");
}

TEST_CASE("lexer: indentation errors", "[interp]") {
  SyntaxErrorInfo e = lex_error("if x:\n        a\n    b\n");
  CHECK(e.kind == SyntaxErrorKind::IndentationError);
  CHECK(e.message == "unindent does not match any outer indentation level");
  CHECK(e.line == 3);
  CHECK(e.column == 6);  // past the end of "    b", as CPython
  // A tab and 8 spaces reach the same column, but not when tabs count as 1: TabError.
  CHECK(lex_error("if a:\n\tb\n        c\n").kind == SyntaxErrorKind::TabError);
  e = lex_error("if 1:\n  if 2:\n\tpass\n");
  CHECK(e.kind == SyntaxErrorKind::TabError);
  CHECK(e.message == "inconsistent use of tabs and spaces in indentation");
  CHECK(e.line == 3);
  std::string deep;
  for (int i = 0; i < 120; i++) deep += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
  e = lex_error(deep);
  CHECK(e.kind == SyntaxErrorKind::IndentationError);
  CHECK(e.message == "too many levels of indentation");
  CHECK(e.line == 101);
}

TEST_CASE("lexer: integer literals", "[interp]") {
  const Source* s = nullptr;
  auto int_of = [&](const std::string& text) {
    Token t = first_token(text, s);
    REQUIRE(t.kind == TokenKind::Int);
    REQUIRE((t.flags & k_int_overflow) == 0);
    return t.int_value;
  };
  CHECK(int_of("0") == 0);
  CHECK(int_of("00") == 0);
  CHECK(int_of("0_0") == 0);
  CHECK(int_of("1_000_000") == 1000000);
  CHECK(int_of("0x_FF") == 255);
  CHECK(int_of("0XdeadBEEF") == 0xdeadbeef);
  CHECK(int_of("0o777") == 511);
  CHECK(int_of("0b1010_1010") == 170);
  CHECK(int_of("9223372036854775807") == INT64_MAX);
  Token big = first_token("9223372036854775808", s);
  CHECK(big.kind == TokenKind::Int);
  CHECK((big.flags & k_int_overflow) != 0);
  CHECK((first_token("0x1_0000_0000_0000_0000", s).flags & k_int_overflow) != 0);
  CHECK((first_token(std::string(100000, '7'), s).flags & k_int_overflow) != 0);
  // A keyword may follow a number directly (CPython warns, but accepts).
  CHECK(lex("1if x else 2") == "1 if x else 2 NEWLINE ENDMARKER");
  CHECK(lex("[0x1for x in y]") == "[ 0x1f or x in y ] NEWLINE ENDMARKER");
}

TEST_CASE("lexer: float and imaginary literals", "[interp]") {
  const Source* s = nullptr;
  auto float_of = [&](const std::string& text) {
    Token t = first_token(text, s);
    REQUIRE(t.kind == TokenKind::Float);
    return t.float_value;
  };
  CHECK(float_of("1.5") == 1.5);
  CHECK(float_of(".5") == 0.5);
  CHECK(float_of("1.") == 1.0);
  CHECK(float_of("1e-3") == 0.001);
  CHECK(float_of("1E+3") == 1000.0);
  CHECK(float_of("1_000.000_1") == 1000.0001);
  CHECK(float_of("0.1") == 0.1);  // correctly rounded
  CHECK(float_of("09.5") == 9.5);
  CHECK(float_of("0e0") == 0.0);
  CHECK(float_of("2.2250738585072014e-308") == 2.2250738585072014e-308);
  CHECK(std::isinf(float_of("1e999999")));
  CHECK(std::isinf(float_of("1" + std::string(400, '0') + ".0")));
  CHECK(float_of("1e-999999") == 0.0);
  CHECK(float_of("0." + std::string(400, '0') + "1") == 0.0);
  Token j = first_token("1.5j", s);
  CHECK(j.kind == TokenKind::Imaginary);
  CHECK(j.float_value == 1.5);
  CHECK(first_token("10J", s).kind == TokenKind::Imaginary);
}

TEST_CASE("lexer: malformed numbers", "[interp]") {
  struct Case {
    const char* text;
    const char* message;
    std::uint32_t column;
  };
  const Case cases[] = {
      {"x = 1abc", "invalid decimal literal", 5},
      {"x = 1__0", "invalid decimal literal", 6},
      {"x = 1_", "invalid decimal literal", 6},
      {"x = 1e", "invalid decimal literal", 5},
      {"x = 1e+", "invalid decimal literal", 7},
      {"x = 1._5", "invalid decimal literal", 6},
      {"x = 0x", "invalid hexadecimal literal", 6},
      {"x = 0o", "invalid octal literal", 6},
      {"x = 0b", "invalid binary literal", 6},
      {"x = 0b12", "invalid digit '2' in binary literal", 8},
      {"x = 0o8", "invalid digit '8' in octal literal", 7},
      {"x = 09", "leading zeros in decimal integer literals are not permitted; use an 0o "
                 "prefix for octal integers", 5},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    SyntaxErrorInfo e = lex_error(c.text);
    CHECK(e.kind == SyntaxErrorKind::SyntaxError);
    CHECK(e.message == c.message);
    CHECK(e.line == 1);
    CHECK(e.column == c.column);
  }
}

TEST_CASE("lexer: string tokens, prefixes and flags", "[interp]") {
  const Source* s = nullptr;
  Token t = first_token("'abc'", s);
  CHECK(t.kind == TokenKind::String);
  CHECK(t.flags == 0);
  CHECK(t.length == 5);
  t = first_token("rb'\\d'", s);
  CHECK(t.flags == (k_str_raw | k_str_bytes));
  CHECK(t.prefix_len == 2);
  t = first_token("Rf\"\"\"a\nb\"\"\"", s);
  CHECK(t.flags == (k_str_raw | k_str_fstring | k_str_triple));
  CHECK(t.end_line == 2);
  CHECK(first_token("fR'x'", s).flags == (k_str_raw | k_str_fstring));
  CHECK(first_token("u'x'", s).flags == 0);
  CHECK(first_token("bf'x'", s).kind == TokenKind::Name);  // not a prefix: name then string
  CHECK(lex("'a' \"b\" '''c''' \"\"\"d\"\"\"") ==
        "'a' \"b\" '''c''' \"\"\"d\"\"\" NEWLINE ENDMARKER");
  CHECK(lex("'it\\'s'") == "'it\\'s' NEWLINE ENDMARKER");
  CHECK(lex("'a\\\nb'") == "'a\\\nb' NEWLINE ENDMARKER");  // continuation inside a string
  CHECK(lex("r'\\'' x") == "r'\\'' x NEWLINE ENDMARKER");  // raw strings still escape quotes
}

TEST_CASE("lexer: unterminated strings and bracket errors", "[interp]") {
  SyntaxErrorInfo e = lex_error("s = 'abc\ny = 1\n");
  CHECK(e.message == "unterminated string literal (detected at line 1)");
  CHECK((e.line == 1 && e.column == 5));
  e = lex_error("s = \"\"\"abc\n\ndef\n");
  CHECK(e.message == "unterminated triple-quoted string literal (detected at line 3)");
  CHECK((e.line == 1 && e.column == 5));
  e = lex_error("x = 'a\\");
  CHECK(e.message == "unterminated string literal (detected at line 1)");
  e = lex_error("x = 1)");
  CHECK(e.message == "unmatched ')'");
  CHECK(e.column == 6);
  e = lex_error("x = [1, 2)");
  CHECK(e.message ==
        "closing parenthesis ')' does not match opening parenthesis '['");
  e = lex_error("x = [1,\n 2)");
  CHECK(e.message ==
        "closing parenthesis ')' does not match opening parenthesis '[' on line 1");
  e = lex_error("foo(1,\n  2\n");
  CHECK(e.message == "'(' was never closed");
  CHECK((e.line == 1 && e.column == 4));
  e = lex_error("x = " + std::string(300, '('));
  CHECK(e.message == "too many nested parentheses");
  CHECK(e.column == 205);  // the 201st bracket
  e = lex_error("x = 1 \\ 2");
  CHECK(e.message == "unexpected character after line continuation character");
  e = lex_error("x = 1 \\");
  CHECK(e.message == "unexpected EOF while parsing");
}

TEST_CASE("source: UTF-8 and NUL checks", "[interp]") {
  Source bad("x.py", "x = 1\ny = '\xff'\n");
  auto e = check_source(bad);
  REQUIRE(e.has_value());
  CHECK(e->message ==
        "Non-UTF-8 code starting with '\\xff' in file x.py on line 2, but no encoding "
        "declared; see https://peps.python.org/pep-0263/ for details");
  CHECK(format_syntax_error(*e) == "SyntaxError: " + e->message + "\n");
  CHECK(check_source(Source("x.py", "'\xc3\x28'")).has_value());          // bad continuation
  CHECK(check_source(Source("x.py", "'\xed\xa0\x80'")).has_value());      // surrogate
  CHECK(check_source(Source("x.py", "'\xc0\xaf'")).has_value());          // overlong
  CHECK(check_source(Source("x.py", "'\xf4\x90\x80\x80'")).has_value());  // > U+10FFFF
  CHECK_FALSE(check_source(Source("x.py", "'\xf0\x9f\x98\x80 é'")).has_value());
  Source nul("x.py", "x = 1\0 + 2\n");
  Source nul2("x.py", std::string("x = 1\0 + 2\n", 11));
  e = check_source(nul2);
  REQUIRE(e.has_value());
  CHECK(e->message == "source code cannot contain null bytes");
  CHECK(format_syntax_error(*e) ==
        "  File \"x.py\", line 1\n    x = 1\nSyntaxError: source code cannot contain null bytes\n");
  // A byte order mark is skipped.
  Source bom("x.py", "\xEF\xBB\xBFx = 1\n");
  CHECK_FALSE(check_source(bom).has_value());
  CHECK(parse_module(bom).ok());
}
