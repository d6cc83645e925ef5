// oom.cpp: the request bound and the replaced global operator new/delete (oom.h). The
// replacements allocate with malloc and free with free, which mimalloc provides when it is
// linked (and a sanitizer's runtime intercepts under ASan or TSan), so every block new hands
// out goes back through the matching free.
#include "alloc/oom.h"

#include <mimalloc.h>
#include <sys/sysinfo.h>

#include <cstdlib>
#include <new>

namespace ftpy::alloc {

std::size_t max_request() {
  static const std::size_t bound = [] {
    struct sysinfo si {};
    if (sysinfo(&si) != 0) return ~std::size_t(0);
    return (std::size_t(si.totalram) + std::size_t(si.totalswap)) * si.mem_unit;
  }();
  return bound;
}

bool request_fits(std::size_t bytes) { return bytes <= max_request(); }

void release_cached_memory() { mi_collect(/*force=*/true); }

namespace {

void* allocate(std::size_t bytes) {
  if (!request_fits(bytes)) return nullptr;
  if (void* p = std::malloc(bytes ? bytes : 1)) return p;
  release_cached_memory();
  return std::malloc(bytes ? bytes : 1);
}

void* allocate_aligned(std::size_t bytes, std::align_val_t align) {
  if (!request_fits(bytes)) return nullptr;
  std::size_t a = std::size_t(align) < sizeof(void*) ? sizeof(void*) : std::size_t(align);
  void* p = nullptr;
  if (posix_memalign(&p, a, bytes ? bytes : 1) == 0) return p;
  release_cached_memory();
  return posix_memalign(&p, a, bytes ? bytes : 1) == 0 ? p : nullptr;
}

}  // namespace
}  // namespace ftpy::alloc

// The replaceable global allocation functions ([new.delete]): throwing forms throw
// std::bad_alloc, nothrow forms return null. No new_handler is consulted: nothing installs one.
void* operator new(std::size_t n) {
  if (void* p = ftpy::alloc::allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = ftpy::alloc::allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return ftpy::alloc::allocate(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return ftpy::alloc::allocate(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = ftpy::alloc::allocate_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = ftpy::alloc::allocate_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return ftpy::alloc::allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return ftpy::alloc::allocate_aligned(n, a);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
