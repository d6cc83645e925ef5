// arena_pool.cpp: the arena pool. One Mutex (a leaf: nothing is called with it held but
// mimalloc's reservation, which takes none of ours) guards the free list and the count of
// reserved arenas. Invariant: free + retired + leased == reserved <= k_max_arenas.
#include "alloc/arena_pool.h"

#include <mimalloc.h>
#include <sys/resource.h>

#include <algorithm>

#include "sync/check.h"
#include "sync/mutex.h"

namespace ftpy::alloc::arena_pool {
namespace {

struct Pool {
  sync::RankedMutex mutex{sync::LockRank::ArenaPool};
  bool configured FTPY_GUARDED_BY(mutex) = false;
  int reserved FTPY_GUARDED_BY(mutex) = 0;  // arenas ever reserved (never released)
  int free_count FTPY_GUARDED_BY(mutex) = 0;
  int retired FTPY_GUARDED_BY(mutex) = 0;
  ArenaId free[k_max_arenas] FTPY_GUARDED_BY(mutex) = {};
};
constinit Pool g_pool;

}  // namespace

std::size_t arena_bytes() {
  static const std::size_t bytes = [] {
    rlimit lim{};
    if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return k_max_arena_bytes;
    // Two fifths: a thread takes 32 MiB here and about 48 MiB outside (its ordinary heaps'
    // segment, its 16 MiB stack), so the two run out at about the same thread count.
    std::size_t share = std::size_t(lim.rlim_cur) / 5 * 2 & ~((std::size_t(32) << 20) - 1);
    return std::clamp(share, k_min_arena_bytes, k_max_arena_bytes);
  }();
  return bytes;
}

ArenaLease acquire() {
  sync::MutexGuard guard(g_pool.mutex);
  if (!g_pool.configured) {
    // Once per process, before the first exclusive arena exists (see the header).
    mi_option_set(mi_option_max_segment_reclaim, 1024);
    g_pool.configured = true;
  }
  if (g_pool.free_count > 0) return {ArenaStatus::Ok, g_pool.free[--g_pool.free_count]};
  if (g_pool.reserved >= k_max_arenas) return {ArenaStatus::Exhausted, -1};
  mi_arena_id_t id = 0;
  // Uncommitted (pages are committed as mimalloc hands them out), no large OS pages,
  // exclusive: only heaps created with mi_heap_new_in_arena(id) allocate here. Where the
  // address space will not hold another arena of the full size (ThreadSanitizer leaves a
  // program about 1.5 TiB of it), a smaller one: halves, down to k_min_arena_bytes.
  for (std::size_t bytes = arena_bytes();; bytes /= 2) {
    if (mi_reserve_os_memory_ex(bytes, /*commit=*/false, /*allow_large=*/false,
                                /*exclusive=*/true, &id) == 0)
      break;
    if (bytes / 2 < k_min_arena_bytes) return {ArenaStatus::OutOfMemory, -1};
  }
  g_pool.reserved++;
  return {ArenaStatus::Ok, id};
}

void release(ArenaId id, bool empty) {
  sync::MutexGuard guard(g_pool.mutex);
  if constexpr (k_checks) {
    for (int i = 0; i < g_pool.free_count; i++) FTPY_ASSERT(g_pool.free[i] != id);
  }
  // A non-empty arena is retired: it stays reserved (mimalloc cannot release it) and leased
  // to nobody, so a leaked block never meets another interpreter's objects.
  if (!empty) {
    g_pool.retired++;
    return;
  }
  FTPY_ASSERT(g_pool.free_count < k_max_arenas);
  g_pool.free[g_pool.free_count++] = id;
}

int free_count() {
  sync::MutexGuard guard(g_pool.mutex);
  return g_pool.free_count;
}

int retired_count() {
  sync::MutexGuard guard(g_pool.mutex);
  return g_pool.retired;
}

int available() {
  sync::MutexGuard guard(g_pool.mutex);
  return g_pool.free_count + (k_max_arenas - g_pool.reserved);
}

}  // namespace ftpy::alloc::arena_pool
