// source.cpp: source text validation (UTF-8, NUL bytes), line access for error reports and
// the registry of compiled sources. UTF-8 validation follows RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF.
#include "interp/front/source.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <unordered_map>

namespace ftpy::interp {

Source::Source(std::string filename, std::string text)
    : m_filename(std::move(filename)), m_text(std::move(text)) {
  if (m_text.size() >= 3 && std::memcmp(m_text.data(), "\xEF\xBB\xBF", 3) == 0) {
    m_body_offset = 3;
  }
}

std::string_view Source::line_text(std::uint32_t line) const {
  std::string_view text = m_text;
  std::size_t pos = m_body_offset;
  for (std::uint32_t l = 1; l < line; l++) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return {};
    pos = nl + 1;
  }
  if (pos > text.size()) return {};
  return line_at(static_cast<std::uint32_t>(pos));
}

std::string_view Source::line_at(std::uint32_t offset) const {
  std::string_view text = m_text;
  if (offset > text.size()) offset = static_cast<std::uint32_t>(text.size());
  std::size_t begin = offset == 0 ? 0 : text.rfind('\n', offset - 1);
  begin = (begin == std::string_view::npos || offset == 0) ? 0 : begin + 1;
  if (begin < m_body_offset) begin = m_body_offset;
  std::size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  if (end > begin && text[end - 1] == '\r') end--;
  return text.substr(begin, end - begin);
}

namespace {

// Length of the valid UTF-8 sequence at text[pos], or 0 if it is malformed.
std::uint32_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t i) -> unsigned {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
  };
  unsigned c = byte(pos);
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i) { return (byte(i) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(pos + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned c1 = byte(pos + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return cont(pos + 1) && cont(pos + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned c1 = byte(pos + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // past U+10FFFF
    return cont(pos + 1) && cont(pos + 2) && cont(pos + 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string decode_os_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    if (std::uint32_t n = utf8_sequence_length(bytes, i)) {
      out.append(bytes.substr(i, n));
      i += n;
      continue;
    }
    char esc[4];
    out.append(esc, encode_utf8(0xDC00 + static_cast<unsigned char>(bytes[i]), esc));
    i++;
  }
  return out;
}

namespace {
// U+DC80..U+DCFF, the escapes of bytes 0x80..0xFF, are ED B2 80..ED B3 BF.
bool os_byte_escape_at(std::string_view text, std::size_t i) {
  return text[i] == '\xED' && i + 2 < text.size() &&
         (text[i + 1] == '\xB2' || text[i + 1] == '\xB3');
}
}  // namespace

bool has_os_byte_escapes(std::string_view text) {
  for (std::size_t i = text.find('\xED'); i != std::string_view::npos; i = text.find('\xED', i + 1))
    if (os_byte_escape_at(text, i)) return true;
  return false;
}

std::string encode_os_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); i++) {
    if (os_byte_escape_at(text, i)) {
      // The byte's top two bits are the low bits of B2 / B3 (10 / 11), the rest the third byte's.
      auto b1 = static_cast<unsigned char>(text[i + 1]);
      auto b2 = static_cast<unsigned char>(text[i + 2]);
      out.push_back(static_cast<char>(((b1 & 0x03) << 6) | (b2 & 0x3F)));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::optional<SyntaxErrorInfo> check_source(const Source& source) {
  std::string_view text = source.text();
  SyntaxErrorInfo error;
  error.filename = source.filename();
  if (text.size() >= UINT32_MAX) {
    error.message = "source code is too large (ftpy accepts less than 4 GiB)";
    return error;
  }
  // CPython reports the first NUL byte before looking at the encoding of later bytes, but an
  // invalid byte on an earlier line wins: the decoder stops there first.
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t pos = source.body_offset(); pos < text.size();) {
    auto c = static_cast<unsigned char>(text[pos]);
    if (c == '\n') {
      line++;
      pos++;
      line_start = pos;
      continue;
    }
    if (c == 0) {
      error.message = "source code cannot contain null bytes";
      error.line = line;
      error.line_text = std::string(text.substr(line_start, pos - line_start));
      return error;
    }
    if (c < 0x80) {
      pos++;
      continue;
    }
    std::uint32_t len = utf8_sequence_length(text, pos);
    if (len == 0) {
      // No location: CPython prints only the message, which names the file and line.
      error.message = fmt::format(
          "Non-UTF-8 code starting with '\\x{:02x}' in file {} on line {}, but no encoding "
          "declared; see https://peps.python.org/pep-0263/ for details",
          c, source.filename(), line);
      return error;
    }
    pos += len;
  }
  return std::nullopt;
}

std::uint32_t decode_utf8(std::string_view text, std::uint32_t pos, std::uint32_t& length) {
  auto b = [&](std::uint32_t i) -> std::uint32_t {
    return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
  };
  std::uint32_t c = b(0);
  if (c < 0x80) {
    length = 1;
    return c;
  }
  if (c < 0xE0) {
    length = 2;
    return ((c & 0x1F) << 6) | (b(1) & 0x3F);
  }
  if (c < 0xF0) {
    length = 3;
    return ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  }
  length = 4;
  return ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

std::uint32_t count_code_points(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  std::uint32_t n = 0;
  if (end > text.size()) end = static_cast<std::uint32_t>(text.size());
  for (std::uint32_t i = begin; i < end; i++) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) n++;
  }
  return n;
}

std::uint32_t encode_utf8(std::uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

namespace {

// The registry: written by the compiler (any thread, under the mutex), read by reports.
std::mutex g_sources_mutex;
std::unordered_map<std::string, std::shared_ptr<const Source>> g_sources;

}  // namespace

std::string source_line(std::string_view filename, std::uint32_t line) {
  std::shared_ptr<const Source> src;
  {
    std::lock_guard<std::mutex> lock(g_sources_mutex);
    auto it = g_sources.find(std::string(filename));
    if (it != g_sources.end()) src = it->second;
  }
  std::string text;
  if (src) {
    text = std::string(src->line_text(line));
  } else {
    if (filename.empty() || filename.front() == '<') return "";
    std::ifstream in{std::string(filename)};
    if (!in) return "";
    std::string l;
    for (std::uint32_t i = 1; std::getline(in, l); i++)
      if (i == line) {
        text = l;
        break;
      }
  }
  std::size_t b = text.find_first_not_of(" \t\f\r\n");
  if (b == std::string::npos) return "";
  std::size_t e = text.find_last_not_of(" \t\f\r\n");
  return text.substr(b, e - b + 1);
}

void register_source(std::shared_ptr<const Source> source) {
  // Text with no file (`-c`, exec'd strings, frozen modules: names in <...>) is not quoted,
  // as CPython 3.11's tracebacks do not quote it; nor would one name stand for one text.
  if (source->filename().starts_with("<")) return;
  std::lock_guard<std::mutex> lock(g_sources_mutex);
  g_sources[source->filename()] = std::move(source);
}

}  // namespace ftpy::interp
