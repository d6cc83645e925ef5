// arena_pool.h: the process-wide pool of exclusive mimalloc arenas that back interpreters'
// Gc heaps (DESIGN.md, "Memory").
//
// mimalloc never releases an arena and allows at most 64 per process, so arenas are reserved
// lazily (uncommitted address space, arena_bytes() each), at most k_max_arenas of them, and
// recycled: an interpreter takes a free arena when it is created and gives it back when it is
// destroyed with no live Gc blocks left. An arena given back with live blocks (a leak) is
// retired for good, so a leak can never mix two interpreters' objects. With every arena in
// use, acquire() fails with ArenaStatus::Exhausted: the caller raises InterpreterError("no
// free arena: at most 60 interpreters can be alive at once"). Thread-safe (one Mutex, a leaf in the
// lock order). Survives fork as it is.
// The first acquire() also sets mimalloc's mi_option_max_segment_reclaim to 1024 (from 8), so
// a Gc heap that needs a segment looks through many abandoned ones and takes back those of
// its arena (DESIGN.md): exited threads' Gc pages come back into live heaps quickly.
#pragma once
#include <cstddef>

namespace ftpy::alloc {

using ArenaId = int;  // mimalloc's mi_arena_id_t

enum class ArenaStatus { Ok, Exhausted, OutOfMemory };

struct ArenaLease {
  ArenaStatus status;
  ArenaId id;  // valid only when status == Ok
};

namespace arena_pool {

// mimalloc 2.0.9 has 64 arena slots (MI_MAX_ARENAS) and reserves none itself unless told to
// by MIMALLOC_RESERVE_OS_MEMORY or MIMALLOC_RESERVE_HUGE_OS_PAGES, which take one or a few:
// the pool keeps four slots for those.
inline constexpr int k_max_arenas = 60;
// An arena's size. Every thread's Gc heap takes at least one 32 MiB mimalloc segment from
// its interpreter's arena (segments are per thread), so the arena bounds both the live
// threads of an interpreter and its Gc objects: 64 GiB without an address-space limit
// (about 2,000 threads, or 60 GiB of objects; reserved, not committed: it costs no memory).
// Under RLIMIT_AS (ulimit -v, prlimit --as) it is two fifths of the limit, at least 64 MiB,
// so the process still starts and has room for its other mappings. Read once.
inline constexpr std::size_t k_max_arena_bytes = std::size_t(64) << 30;
inline constexpr std::size_t k_min_arena_bytes = std::size_t(64) << 20;
std::size_t arena_bytes();

// Takes a free arena, reserving a new one if none is free and fewer than k_max_arenas exist
// (arena_bytes() of address space, or less where that much is not to be had).
// OutOfMemory when mimalloc cannot reserve even k_min_arena_bytes (address space, or its own
// 64-arena limit).
ArenaLease acquire();
// Gives an arena back. `empty` says no live block remains in it; otherwise it is retired.
void release(ArenaId id, bool empty);
// Arenas currently free for acquire() without reserving (for tests and error messages).
int free_count();
// Arenas given back with live blocks and never leased again (a leak kept them; for tests).
int retired_count();
// Arenas that could still be handed out (free, plus not yet reserved).
int available();

}  // namespace arena_pool
}  // namespace ftpy::alloc
