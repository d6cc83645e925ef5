// numfmt.h: Python's number formatting and parsing, self-contained (standard library only):
// float repr, format specs (format(), f-strings, str.format), int()/float() from text, round(),
// hex()/oct()/bin(), and the int64/float arithmetic whose Python semantics differ from C++'s.
// Every result and error message matches CPython 3.11 byte for byte (tests compare against
// tables CPython generated); where ftpy differs (int is 64-bit) the call reports it and the
// caller raises OverflowError. Stateless and locale-independent (always the "C" locale, as
// CPython's LC_NUMERIC): any thread may call anything. Text in and out is UTF-8; input text
// is assumed valid UTF-8 (an invalid byte reads as U+FFFD, never a crash).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ftpy::interp::numfmt {

// Which Python exception a failed call stands for; the message is in *error.
enum class ErrorKind {
  Value,     // ValueError
  Overflow,  // OverflowError (only format(n, 'c') with n outside range(0x110000))
  Memory,    // MemoryError: the result would exceed k_max_format_length characters
};

// Longest result a format_* call builds (width or precision beyond it is a MemoryError;
// CPython would try to allocate, which on real machines means the same).
inline constexpr std::int64_t k_max_format_length = std::int64_t{1} << 28;

// CPython's repr()/str() of a float: the shortest digits that round-trip, exponent form when
// the decimal exponent is < -4 or >= 16, else fixed with at least ".0" ('0.1', '1e+16',
// '1e-05', '123456789012345.0', 'inf', '-inf', 'nan', '-0.0').
std::string float_repr(double v);

// A parsed format spec, [[fill]align][sign][z][#][0][width][grouping][.precision][type].
// Produced by parse_format_spec for callers that want to inspect a spec; format_* parse their
// own spec with the defaults of their type (CPython checks depend on the object's type).
struct FormatSpec {
  char32_t fill = U' ';
  char align = 0;      // '<' '>' '^' '=' or 0 (not given)
  char sign = 0;       // '+' '-' ' ' or 0
  bool alternate = false;
  bool zero_pad = false;  // the '0' before the width was given (fill '0', '=' for numbers)
  int width = -1;
  char grouping = 0;   // ',' or '_' or 0
  int precision = -1;
  char type = 0;       // 0 when not given
  bool no_neg_zero = false;  // 'z' (PEP 682, new in 3.11): -0.0 formats as 0.0
};

// Parses a spec without knowing the object's type. On error returns false and sets *error to
// CPython's ValueError message; messages that name a type in CPython ("Invalid format
// specifier 'x' for object of type 'int'") are given without it ("Invalid format
// specifier"), and a width or precision above INT_MAX is "Too many decimal digits in format
// string" (CPython's limit is PY_SSIZE_T_MAX). A non-ASCII type is "Unknown format code".
bool parse_format_spec(std::string_view spec, FormatSpec* out, std::string* error);

// format(v, spec) for an int: types d x X o b c n and none; e E f F g G % convert to float
// first, as CPython does. On error returns false, sets *error to CPython's message and, if
// kind is given, *kind to the exception type. type_name names the object in messages (pass
// "bool" for a bool; an empty spec on a bool is the caller's job: it gives 'True').
// Difference: format(n, 'c') with n a surrogate (0xD800..0xDFFF) is a ValueError, because a
// UTF-8 string cannot hold one.
bool format_int(std::int64_t v, std::string_view spec, std::string* out, std::string* error,
                ErrorKind* kind = nullptr, std::string_view type_name = "int");

// format(v, spec) for a float: types e E f F g G n % and none ('' is repr; none with a
// precision is 'g' that keeps a '.0'). Correctly rounded, ties to even on the exact value.
bool format_float(double v, std::string_view spec, std::string* out, std::string* error,
                  ErrorKind* kind = nullptr);

// format(s, spec) for a str: fill, align (default left), width and precision count code
// points; precision truncates. Type 's' or none.
bool format_str(std::string_view utf8, std::string_view spec, std::string* out,
                std::string* error, ErrorKind* kind = nullptr);

// hex()/oct()/bin() and their bare digits: int_to_base(-31, 16, true) == "-0x1f". base is
// 2..36 (prefixes exist for 2, 8 and 16 only); digits are lowercase; INT64_MIN works.
std::string int_to_base(std::int64_t v, int base, bool prefix);

// Python's repr() of a str (quotes chosen as CPython does, non-printable characters escaped
// by the Unicode 14.0 tables CPython 3.11 uses). Error messages quote their input with it.
std::string str_repr(std::string_view utf8);

enum class ParseStatus {
  Ok,
  Invalid,   // ValueError; *error holds the message
  Overflow,  // valid syntax, value outside int64: caller raises OverflowError with *error
};

// int(text, base): whitespace around (Unicode spaces too), sign, '_' between digits, Unicode
// decimal digits, base 0 infers the base from the prefix and rejects '010', a prefix is
// allowed when it matches base. base outside {0, 2..36} is Invalid with "int() base must be
// >= 2 and <= 36, or 0"; more than 4300 digits in a base that is not a power of two is
// Invalid with CPython's int_max_str_digits message. Messages: "invalid literal for int()
// with base 10: 'abc'" (repr of text cut to 200 characters, as CPython's %.200R), and for
// Overflow "int too large to convert".
ParseStatus parse_int(std::string_view text, int base, std::int64_t* out, std::string* error);

// float(text): whitespace, sign, digits with '.' and exponent, 'inf' 'infinity' 'nan' in any
// case, '_' between digits; out-of-range magnitudes give inf or 0.0 (never Overflow).
// Message: "could not convert string to float: 'abc'".
ParseStatus parse_float(std::string_view text, double* out, std::string* error);

// round(x, ndigits) for a float, correctly rounded, ties to even on the exact binary value
// (round(2.675, 2) == 2.67). inf and nan come back unchanged. If the rounded value is too
// large (round(1.7e308, -308)) the result is +-inf for a finite x: the caller raises
// OverflowError("rounded value too large to represent"). Any int is fine for ndigits
// (beyond +-400 it changes nothing); callers with an int64 clamp it to that range first.
double round_float(double x, int ndigits);

// round(x) with no ndigits: nearest integer, ties to even. Returns false if x is inf, nan or
// the result is outside int64; the caller raises ("cannot convert float infinity to
// integer", "cannot convert float NaN to integer", or OverflowError for range).
bool round_to_int(double x, std::int64_t* out);

// Python's float % and // (CPython's float_rem and float_divmod). b must not be 0 (the
// caller raises ZeroDivisionError). a % b has the sign of b; a // b is the snapped floor.
double float_mod(double a, double b);
double float_floordiv(double a, double b);
void float_divmod(double a, double b, double* quotient, double* remainder);

// int64 arithmetic with Python semantics; each returns false when the exact result does not
// fit int64 (the caller raises OverflowError). floordiv and mod round toward negative
// infinity and return false when b == 0 (the caller raises ZeroDivisionError first).
// int_pow returns false for a negative exponent (the caller computes a float instead).
// int_lshift returns false for a negative count (the caller's ValueError) and on overflow;
// 0 << n is 0 for any n >= 0.
bool int_add(std::int64_t a, std::int64_t b, std::int64_t* r);
bool int_sub(std::int64_t a, std::int64_t b, std::int64_t* r);
bool int_mul(std::int64_t a, std::int64_t b, std::int64_t* r);
bool int_floordiv(std::int64_t a, std::int64_t b, std::int64_t* r);
bool int_mod(std::int64_t a, std::int64_t b, std::int64_t* r);
bool int_pow(std::int64_t base, std::int64_t exp, std::int64_t* r);
bool int_lshift(std::int64_t a, std::int64_t n, std::int64_t* r);
bool int_neg(std::int64_t a, std::int64_t* r);  // false only for -INT64_MIN
// a >> n for n >= 0 (never overflows; n >= 64 gives 0 or -1). A negative n is the caller's
// ValueError ("negative shift count"); here it returns a unchanged.
std::int64_t int_rshift(std::int64_t a, std::int64_t n);

}  // namespace ftpy::interp::numfmt
