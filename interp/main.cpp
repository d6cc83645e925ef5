// main.cpp: the `ftpy` command line: `ftpy script.py [args]`, `ftpy -c code [args]`,
// `ftpy --version`; before the script, `-X stats` (or FTPY_STATS=1 in the environment) prints
// the GC's and stop-the-world figures to stderr at exit (gc/collect.h), and `-X dis` prints
// the compiled bytecode (code.h's disassemble) to stderr before running. Exit status as
// CPython's: 0, 1 after an uncaught exception or a SyntaxError, SystemExit's code, 2 for usage
// errors and unreadable scripts. At exit the main thread waits for non-daemon threads, as
// CPython does.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "interp/front/source.h"
#include "interp/modules/interp_init.h"
#include "interp/modules/modules.h"
#include "interp/objects/object.h"

namespace {

constexpr const char* k_usage =
    "usage: ftpy [--version] [-X stats] [-X dis] (-c cmd | file) [arg] ...\n"
    "  -c cmd   run the program passed in as a string\n"
    "  -X stats print collector and stop-the-world figures to stderr at exit\n"
    "  -X dis   print the compiled bytecode to stderr before running\n"
    "  file     run the program read from a script file\n";

bool read_file(const char* path, std::string* out, int* err) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) {
    *err = errno;
    return false;
  }
  std::string data;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool ok = !std::ferror(f);
  *err = ok ? 0 : errno;
  std::fclose(f);
  *out = std::move(data);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ftpy::interp;
  if (argc < 2) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  // -X options come first; like CPython, unknown -X options are ignored.
  const char* env_stats = std::getenv("FTPY_STATS");
  bool print_stats = env_stats && *env_stats && std::strcmp(env_stats, "0") != 0;
  bool dis = false;  // -X dis: the compiled bytecode to stderr before running
  while (argc >= 2 && std::strncmp(argv[1], "-X", 2) == 0) {
    const char* opt = argv[1] + 2;
    int used = 1;
    if (*opt == 0) {
      if (argc < 3) {
        std::fputs("Argument expected for the -X option\n", stderr);
        std::fputs(k_usage, stderr);
        return 2;
      }
      opt = argv[2];
      used = 2;
    }
    if (std::strcmp(opt, "stats") == 0) print_stats = true;
    if (std::strcmp(opt, "dis") == 0) dis = true;
    argv[used] = argv[0];
    argv += used;
    argc -= used;
  }
  if (argc < 2) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  std::string first = argv[1];
  if (first == "--version" || first == "-V") {
    std::puts("ftpy 0.1.0");
    return 0;
  }
  if (first == "-h" || first == "--help") {
    std::fputs(k_usage, stdout);
    return 0;
  }
  std::string filename, text;
  std::vector<std::string> sys_argv;
  if (first == "-c") {
    if (argc < 3) {
      std::fputs("Argument expected for the -c option\n", stderr);
      std::fputs(k_usage, stderr);
      return 2;
    }
    filename = "<string>";
    text = argv[2];
    sys_argv.push_back("-c");
    for (int i = 3; i < argc; i++) sys_argv.push_back(decode_os_bytes(argv[i]));
  } else if (first.size() > 1 && first[0] == '-') {
    std::fprintf(stderr, "Unknown option: %s\n", first.c_str());
    std::fputs(k_usage, stderr);
    return 2;
  } else {
    int err = 0;
    if (!read_file(argv[1], &text, &err)) {
      std::fprintf(stderr, "ftpy: can't open file '%s': [Errno %d] %s\n", argv[1], err,
                   std::strerror(err));
      return 2;
    }
    filename = decode_os_bytes(argv[1]);
    for (int i = 1; i < argc; i++) sys_argv.push_back(decode_os_bytes(argv[i]));
  }
  if (!interp_start()) return 1;
  if (set_sys_argv(sys_argv) < 0) return 1;
  int status = run_main_source(std::move(filename), std::move(text), dis);
  interp_join_threads();
  if (print_stats) interp_print_stats(stderr);
  bool daemons_running = interp_finish();
  std::fflush(stdout);
  // Daemon threads may still be running Python code, and nothing stops them yet (DESIGN.md's
  // shutdown, with its stop-the-world, is not built): end the process without running
  // static destructors (the runtime's, the allocator's) underneath them; the streams are
  // flushed.
  if (daemons_running) ::_exit(status);
  return status;
}
