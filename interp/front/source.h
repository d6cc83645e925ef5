// source.h: one program text and its file name, checked once before lexing.
// Invariants after check_source() succeeds: the text is valid UTF-8 with no NUL byte and is
// shorter than 4 GiB, so every byte offset fits a uint32_t. A leading UTF-8 BOM is skipped
// (body_offset() is 3), and "# coding:" declarations are ignored: ftpy source is always UTF-8.
// Immutable after construction: any thread may read it; it must outlive Lexers over it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "interp/front/syntax_error.h"

namespace ftpy::interp {

class Source {
 public:
  Source(std::string filename, std::string text);

  const std::string& filename() const { return m_filename; }
  std::string_view text() const { return m_text; }
  // Where lexing starts: 0, or 3 after a UTF-8 byte order mark.
  std::uint32_t body_offset() const { return m_body_offset; }

  // The text of 1-based line `line`, without its line break; empty past the end. Linear in
  // the offset of the line: meant for error reports, not for hot paths.
  std::string_view line_text(std::uint32_t line) const;
  // The physical line holding byte `offset`, without its line break.
  std::string_view line_at(std::uint32_t offset) const;

 private:
  std::string m_filename;
  std::string m_text;
  std::uint32_t m_body_offset = 0;
};

// Checks what CPython checks before tokenizing: no NUL byte ("source code cannot contain null
// bytes"), valid UTF-8 ("Non-UTF-8 code starting with '\xff' in file x.py on line 1, ..."),
// and (ftpy's own limit) a size below 4 GiB. Returns the error, or nothing when the text is fine.
std::optional<SyntaxErrorInfo> check_source(const Source& source);

// Decodes one UTF-8 sequence at `pos` (which must be valid, as check_source guarantees);
// sets `length` to its byte count. Returns the code point.
std::uint32_t decode_utf8(std::string_view text, std::uint32_t pos, std::uint32_t& length);

// Code points in text[begin, end): converts a byte column to CPython's character offset.
std::uint32_t count_code_points(std::string_view text, std::uint32_t begin, std::uint32_t end);

// Appends code point `cp` (<= 0x10FFFF) to `out` as UTF-8; returns the bytes written.
std::uint32_t encode_utf8(std::uint32_t cp, char* out);

// Bytes from the operating system (the script's path, its arguments) as text, with CPython's
// surrogateescape: valid UTF-8 is kept, and each byte of a malformed sequence becomes the lone
// surrogate U+DC00 + byte (3 bytes, ED B2 80 .. ED B3 BF), so the str is well formed and
// encode_os_bytes gives the original bytes back.
std::string decode_os_bytes(std::string_view bytes);
// Text on its way out (standard output and error): U+DC80..U+DCFF back to the bytes they
// stand for, everything else unchanged (CPython's surrogateescape error handler).
std::string encode_os_bytes(std::string_view text);
// Whether `text` holds any of those escapes (a quick scan: callers skip encode_os_bytes).
bool has_os_byte_escapes(std::string_view text);

// The source registry, CPython's linecache: the compiler registers every text it compiles
// from a file (keyed by file name, the newest wins) so that tracebacks can quote its lines;
// names in <...> are not files and are not kept. Any thread.
void register_source(std::shared_ptr<const Source> source);
// Line `line` of `filename` with surrounding white space stripped: from the registered text,
// else read from the file on disk (names in <...> never are); empty when there is none.
std::string source_line(std::string_view filename, std::uint32_t line);

}  // namespace ftpy::interp
