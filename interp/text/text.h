// text.h: the algorithms behind Python's `str` on UTF-8 text, with CPython 3.11 semantics.
// Owns no state and depends on nothing but the C++ standard library; the VM wraps these in
// str methods and raises the Python errors (empty separator, zero step) before calling.
// Invariants the callers keep: every input is valid UTF-8 (a str is checked once when made).
// Indexes and lengths are in code points unless a name says bytes. Unicode properties and
// case mappings are tables generated from CPython 3.11 (Unicode 14.0.0), so they match it
// for every code point, not just Latin-1. Pure functions: any thread may call any of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftpy::interp::text {

// --- UTF-8 primitives ------------------------------------------------------------------------

// True when every byte is below 0x80 (then bytes are code points). Reads 8 bytes at a time.
bool is_ascii(std::string_view s);
// Number of code points: bytes minus continuation bytes, counted 8 bytes at a time.
std::size_t length(std::string_view s);
// Byte offset of code point `cp_index`; s.size() when the index is at or past the end.
std::size_t byte_offset(std::string_view s, std::size_t cp_index);
// The out-of-line halves of decode_at and append_utf8 (any code point, not just non-ASCII).
char32_t decode_multibyte(std::string_view s, std::size_t byte_off, std::size_t* next_off);
void append_utf8_multibyte(std::string& out, char32_t cp);

// Decodes the code point starting at `byte_off` (< s.size(), on a code point boundary) and
// stores the offset of the next one in `*next_off` when it is not null. ASCII inline.
inline char32_t decode_at(std::string_view s, std::size_t byte_off, std::size_t* next_off) {
  auto b = static_cast<unsigned char>(s[byte_off]);
  if (b >= 0x80) return decode_multibyte(s, byte_off, next_off);
  if (next_off) *next_off = byte_off + 1;
  return b;
}
// Appends `cp` (<= 0x10FFFF; a lone surrogate only as decode_os_bytes makes) as UTF-8.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else {
    append_utf8_multibyte(out, cp);
  }
}
// Code points [start, stop) as a view of `s` (the step-1 slice, no copy); clamps to the end.
std::string_view substr(std::string_view s, std::size_t start, std::size_t stop);

// --- Unicode properties of one code point (exact for Unicode 14.0.0) ---------------------------

bool is_alpha_cp(char32_t cp);      // general category Lu Ll Lt Lm Lo
bool is_digit_cp(char32_t cp);      // has a digit value (CPython's str.isdigit)
bool is_space_cp(char32_t cp);      // CPython's Py_UNICODE_ISSPACE: bidi WS/B/S or category Zs
bool is_printable_cp(char32_t cp);  // not Cc Cf Cs Co Cn Zl Zp, nor Zs other than ' '

// --- Slicing ---------------------------------------------------------------------------------

// A slice resolved against a sequence length: the code points start, start+step, ... (length
// of them).
struct SliceIndices {
  std::int64_t start;
  std::int64_t stop;
  std::int64_t step;
  std::int64_t length;
};
// CPython's PySlice_Unpack followed by PySlice_AdjustIndices: None bounds default by the sign
// of `step`, negative bounds count from the end, and out-of-range bounds clamp. `step` must
// not be 0 (the caller raises "slice step cannot be zero"); INT64_MIN is treated as -INT64_MAX
// as CPython does, so -step never overflows.
SliceIndices adjust_slice(std::int64_t len, std::optional<std::int64_t> start,
                          std::optional<std::int64_t> stop, std::int64_t step);
// The code points `si` selects from `s` (si must come from adjust_slice(length(s), ...)).
std::string slice(std::string_view s, const SliceIndices& si);

// --- Case and classification -------------------------------------------------------------------

// str.upper / str.lower with CPython's full case mapping (SpecialCasing included: 'ß' -> "SS",
// 'ŉ' -> "ʼN", 'İ' -> "i̇") and, for lower, the Final_Sigma rule ('ΟΔΟΣ' -> 'οδος').
std::string upper(std::string_view s);
std::string lower(std::string_view s);
// str.isdigit / isalpha / isspace: true when `s` is non-empty and every code point qualifies.
bool isdigit(std::string_view s);
bool isalpha(std::string_view s);
bool isspace(std::string_view s);

// --- Splitting and stripping (results are views into `s`) ---------------------------------------

// str.split() / str.rsplit() with sep=None: runs of whitespace separate, leading and trailing
// whitespace yields no empty fields. maxsplit < 0 means no limit.
std::vector<std::string_view> split_whitespace(std::string_view s, std::int64_t maxsplit);
std::vector<std::string_view> rsplit_whitespace(std::string_view s, std::int64_t maxsplit);
// str.split(sep) / str.rsplit(sep): `sep` must be non-empty (the caller raises "empty
// separator"). maxsplit < 0 means no limit.
std::vector<std::string_view> split(std::string_view s, std::string_view sep,
                                    std::int64_t maxsplit);
std::vector<std::string_view> rsplit(std::string_view s, std::string_view sep,
                                     std::int64_t maxsplit);
// str.strip / lstrip / rstrip: `chars` is a set of code points; nullopt strips whitespace.
std::string_view strip(std::string_view s, std::optional<std::string_view> chars);
std::string_view lstrip(std::string_view s, std::optional<std::string_view> chars);
std::string_view rstrip(std::string_view s, std::optional<std::string_view> chars);

// --- Searching: start/end are Python's optional bounds, clamped as CPython's ADJUST_INDICES ---

// Lowest / highest code point index of `sub` within s[start:end], or -1. An empty `sub` is
// found at start (find) or end (rfind) unless start lies past the clamped end.
std::int64_t find(std::string_view s, std::string_view sub, std::optional<std::int64_t> start,
                  std::optional<std::int64_t> end);
std::int64_t rfind(std::string_view s, std::string_view sub, std::optional<std::int64_t> start,
                   std::optional<std::int64_t> end);
// Non-overlapping occurrences of `sub` in s[start:end]; an empty `sub` counts end-start+1.
std::int64_t count(std::string_view s, std::string_view sub, std::optional<std::int64_t> start,
                   std::optional<std::int64_t> end);
// str.startswith / endswith for one prefix (the VM loops over a tuple). As CPython, an empty
// prefix matches unless start lies past the clamped end.
bool startswith(std::string_view s, std::string_view prefix, std::optional<std::int64_t> start,
                std::optional<std::int64_t> end);
bool endswith(std::string_view s, std::string_view suffix, std::optional<std::int64_t> start,
              std::optional<std::int64_t> end);

// --- Building new strings --------------------------------------------------------------------

// str.replace: the first `count` occurrences (count < 0: all). An empty `old` inserts `repl`
// before every code point and at the end, at most `count` times ("ab" -> "-a-b-").
std::string replace(std::string_view s, std::string_view old, std::string_view repl,
                    std::int64_t count);
// str.ljust / rjust / center / zfill: `s` unchanged when width <= length(s). center puts
// pad/2 + (pad & width & 1) fill characters on the left, exactly as CPython's pad().
// The caller bounds `width` (CPython gives MemoryError for absurd widths); here, as for every
// function returning std::string, allocation failure throws std::bad_alloc.
std::string ljust(std::string_view s, std::int64_t width, char32_t fill);
std::string rjust(std::string_view s, std::int64_t width, char32_t fill);
std::string center(std::string_view s, std::int64_t width, char32_t fill);
// Pads with '0' on the left, after a leading '+' or '-' sign.
std::string zfill(std::string_view s, std::int64_t width);
// repr(s) as CPython's unicode_repr: quotes, backslash escapes, \xNN / \uNNNN / \UNNNNNNNN for
// non-printable code points (is_printable_cp), printable non-ASCII kept as is.
std::string repr(std::string_view s);

// --- Hashing and ordering ----------------------------------------------------------------------

// A fast unseeded 64-bit hash (8 bytes per multiply, then a murmur3 finaliser). Never returns
// the bits of -1 as int64 (CPython reserves -1 for errors; it becomes -2). Equal strings hash
// equal; not flood resistant, and not CPython's value (LANGUAGE.md allows that).
std::uint64_t hash(std::string_view s);
// -1, 0 or 1 as a compares to b in code point order. UTF-8 keeps code point order under
// bytewise comparison (a longer encoding starts with a larger lead byte, and equal lead bytes
// mean equal lengths whose bits follow in order), so this is memcmp plus the length tie-break.
int compare(std::string_view a, std::string_view b);

}  // namespace ftpy::interp::text
