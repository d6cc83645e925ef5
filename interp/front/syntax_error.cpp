// syntax_error.cpp: CPython-compatible rendering of SyntaxErrorInfo (see syntax_error.h).
// Mirrors Python/pythonrun.c (3.11) print_exception / print_error_text step by step, so the
// caret lands where CPython puts it, including its quirks (offsets are code points but the
// clipping compares them with the line's UTF-8 byte length, as CPython does).
#include "interp/front/syntax_error.h"

#include <fmt/format.h>

namespace ftpy::interp {

std::string_view kind_name(SyntaxErrorKind kind) {
  switch (kind) {
    case SyntaxErrorKind::SyntaxError: return "SyntaxError";
    case SyntaxErrorKind::IndentationError: return "IndentationError";
    case SyntaxErrorKind::TabError: return "TabError";
    case SyntaxErrorKind::RecursionError: return "RecursionError";
  }
  return "SyntaxError";
}

namespace {

// print_error_text: `offset` and `end_offset` are 1-based as in SyntaxError; -1 means none.
void append_error_text(std::string& out, std::int64_t offset, std::int64_t end_offset,
                       std::string_view text) {
  std::int64_t caret_repetitions =
      (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
  offset--;
  while (!text.empty() && (text[0] == ' ' || text[0] == '\t' || text[0] == '\f')) {
    text.remove_prefix(1);
    offset--;
  }
  auto len = static_cast<std::int64_t>(text.size());
  if (offset > len) offset = len;
  out += "    ";
  out += text;
  out += '\n';
  if (offset < 0) return;
  out += "    ";
  out.append(static_cast<std::size_t>(offset), ' ');
  out.append(static_cast<std::size_t>(caret_repetitions), '^');
  out += '\n';
}

}  // namespace

std::string format_syntax_error(const SyntaxErrorInfo& error) {
  std::string out;
  if (error.kind == SyntaxErrorKind::RecursionError || error.line == 0) {
    return fmt::format("{}: {}\n", kind_name(error.kind), error.message);
  }
  out += fmt::format("  File \"{}\", line {}\n", error.filename, error.line);
  if (!error.line_text.empty() || error.column != 0) {
    std::int64_t offset = error.column == 0 ? -1 : static_cast<std::int64_t>(error.column);
    std::int64_t end_offset = -1;
    // Only SyntaxError itself carries an end position; its subclasses get one caret.
    if (error.kind == SyntaxErrorKind::SyntaxError && error.end_column != 0) {
      end_offset = static_cast<std::int64_t>(error.end_column);
    }
    // CPython's line text keeps its newline, so its size is one more than ours.
    auto line_size = static_cast<std::int64_t>(error.line_text.size()) + 1;
    if (error.kind == SyntaxErrorKind::SyntaxError && error.end_line > error.line) {
      end_offset = line_size;
    }
    if (end_offset > line_size + 1) end_offset = line_size + 1;
    append_error_text(out, offset, end_offset, error.line_text);
  }
  out += fmt::format("{}: {}\n", kind_name(error.kind), error.message);
  return out;
}

}  // namespace ftpy::interp
