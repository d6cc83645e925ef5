// syntax_error.h: the value a failed parse returns (STYLE rule 10: errors are values, no C++
// exceptions) and its CPython 3.11 rendering.
// Invariants: `line` is 1-based, 0 when the error has no location (then only "Kind: message" is
// printed, as CPython does for a non-UTF-8 file); `column`/`end_column` are 1-based code-point
// offsets into `line_text` like SyntaxError.offset/end_offset, 0 meaning "none".
// Plain data: any thread may copy it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ftpy::interp {

enum class SyntaxErrorKind : std::uint8_t {
  SyntaxError,
  IndentationError,
  TabError,
  // CPython raises RecursionError ("maximum recursion depth exceeded during compilation") for
  // expressions nested past its limits; ftpy's parser reports the same at its own depth limit.
  RecursionError,
};

struct SyntaxErrorInfo {
  SyntaxErrorKind kind = SyntaxErrorKind::SyntaxError;
  std::string message;
  std::string filename;
  std::uint32_t line = 0;
  std::uint32_t column = 0;      // 1-based code-point offset of the caret, 0: none
  std::uint32_t end_line = 0;    // 0: same as line
  std::uint32_t end_column = 0;  // 1-based, exclusive; 0: a single caret
  std::string line_text;         // the physical line, without its newline
};

// "SyntaxError", "IndentationError", ...: the Python class name.
std::string_view kind_name(SyntaxErrorKind kind);

// The text CPython 3.11 writes to stderr for this error when uncaught, ending in "\n":
//   File "x.py", line 3
//     print(1 +)
//              ^
// SyntaxError: invalid syntax
// Reproduces pythonrun.c's print_error_text: leading blanks are stripped from the line, the
// caret is clipped to the line, and IndentationError/TabError always get a single caret.
std::string format_syntax_error(const SyntaxErrorInfo& error);

}  // namespace ftpy::interp
