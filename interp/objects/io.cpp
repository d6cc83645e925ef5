// io.cpp: buffered standard output and unbuffered standard error for print() and
// sys.stdout/stderr.write. Any thread may write; g_out_mutex guards the stdout buffer and
// orders whole writes (one print call's pieces may interleave with another thread's, as in
// CPython). stdout is flushed before every stderr write so the two streams interleave as a
// terminal would show them, when the buffer passes k_buffer_size, and at flush_std_streams
// (exit, fork). A thread blocked in write(2) holds only this leaf mutex.
#include <unistd.h>

#include <cerrno>
#include <string>

#include "interp/front/source.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {
constexpr std::size_t k_buffer_size = 8192;
sync::RankedMutex g_out_mutex{sync::LockRank::Io};
std::string g_out FTPY_GUARDED_BY(g_out_mutex);

void write_all(int fd, const char* p, std::size_t n) {
  while (n) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;  // a closed pipe: drop the output, as CPython does at exit
    }
    p += w;
    n -= std::size_t(w);
  }
}

// Lone surrogates standing for undecodable bytes (a path or argument: front/source.h) go out
// as those bytes: `text` itself, or its re-encoding in *raw.
std::string_view os_bytes(std::string_view text, std::string* raw) {
  if (!has_os_byte_escapes(text)) return text;
  *raw = encode_os_bytes(text);
  return *raw;
}

void flush_locked() FTPY_REQUIRES(g_out_mutex) {
  if (g_out.empty()) return;
  write_all(1, g_out.data(), g_out.size());
  g_out.clear();
}
}  // namespace

void write_stdout(std::string_view text) {
  std::string raw;
  std::string_view s = os_bytes(text, &raw);
  sync::MutexGuard g(g_out_mutex);
  if (g_out.size() + s.size() > k_buffer_size) {
    flush_locked();
    if (s.size() >= k_buffer_size) {
      write_all(1, s.data(), s.size());
      return;
    }
  }
  g_out.append(s);
}

void write_stderr(std::string_view text) {
  std::string raw;
  std::string_view s = os_bytes(text, &raw);
  sync::MutexGuard g(g_out_mutex);
  flush_locked();
  write_all(2, s.data(), s.size());
}

void flush_std_streams() {
  sync::MutexGuard g(g_out_mutex);
  flush_locked();
}

}  // namespace ftpy::interp
