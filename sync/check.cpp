// check.cpp: ftpy::fatal, the last resort for a broken invariant.
#include "sync/check.h"

#include <cstdio>
#include <cstdlib>

namespace ftpy {

void fatal(const char* msg, const char* file, int line) {
  std::fprintf(stderr, "ftpy: fatal error: %s (%s:%d)\n", msg, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace ftpy
