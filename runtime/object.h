// object.h: the free-threaded object header and biased reference counting (PEP 703; DESIGN.md
// "The object header"). Every ftpy object starts with Object, 32 bytes.
//
// Who writes what:
//   ob_tid        creator; cleared to 0 by the owner when it gives up ownership (merge)
//   ob_flags      creator, before the object is shared
//   ob_mutex      any thread, through critical sections
//   ob_gc_bits    owner, or the GC with the world stopped; `tracked` is cleared atomically at
//                 deallocation, `orphaned` is set under the orphan-set mutex (alloc/) and
//                 `shared` by any thread (atomic fetch_or)
//   ob_ref_local  owner thread only (relaxed loads/stores, never read-modify-write)
//   ob_ref_shared any thread, atomic: count << 2 | flags (k_shared_*)
//   ob_type       creator
// The true count is ob_ref_local + (ob_ref_shared >> 2), or for an object using per-thread
// counts ob_ref_local + its per-thread counts (runtime/local_refs.h). An object is immortal when ob_ref_local ==
// k_immortal: reference counting skips it and it is never freed.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sync/mutex.h"

namespace ftpy::runtime {

struct Type;
class ThreadState;
using ThreadId = std::uint64_t;  // never reused; 0 means "no owner"

// The thread id of the thread state attached on this OS thread (0 if none).
inline thread_local ThreadId t_current_tid = 0;

// Per-thread reference counts (runtime/local_refs.h): an object with gc_bits::k_deferred set
// is counted by its owner in ob_ref_local, as any object, and by every other thread in that
// thread's array, indexed by the object's uid, which ob_ref_shared then holds. The array of
// the thread state attached on this OS thread:
inline thread_local std::int64_t* t_local_refs = nullptr;
inline thread_local std::uint64_t t_local_refs_size = 0;
struct Object;
void local_ref_slow(Object* o, std::int64_t delta);
// Checked builds: fatal if `o` belongs to another interpreter than the calling thread state
// (runtime/isolation.h, which also says what is checked where).
void isolation_check_slow(const Object* o, const char* where);

namespace gc_bits {
inline constexpr std::uint8_t k_tracked = 1;      // the GC sees it (set once fully built)
inline constexpr std::uint8_t k_unreachable = 2;  // GC scratch, world stopped
inline constexpr std::uint8_t k_finalized = 4;
inline constexpr std::uint8_t k_deferred = 8;     // per-thread counts (local_refs.h)
// A foreign thread is handing the container over (mark_shared_locked, containers.h): writers
// treat it as shared already; lock-free readers trust only k_shared, set once the owner has
// been seen quiescent. Cleared with k_shared.
inline constexpr std::uint8_t k_sharing = 16;
inline constexpr std::uint8_t k_orphaned = 32;    // in its interpreter's orphan set (alloc/)
inline constexpr std::uint8_t k_reachable = 64;   // GC scratch, world stopped
// A container that another thread than its owner has touched: lock-free readers may hold
// uncounted pointers to its items, so unlinked items are released through QSBR
// (decref_delayed). Set by any thread (atomic fetch_or); cleared only by the GC, with the
// world stopped, on garbage no reader can reach (adopt_unreachable, brc.h).
inline constexpr std::uint8_t k_shared = 128;
}  // namespace gc_bits

struct Object {
  std::atomic<ThreadId> ob_tid;
  std::uint16_t ob_flags;
  sync::Mutex ob_mutex;
  std::atomic<std::uint8_t> ob_gc_bits;
  std::atomic<std::uint32_t> ob_ref_local;
  std::atomic<std::int64_t> ob_ref_shared;
  Type* ob_type;
};
static_assert(sizeof(Object) == 32, "the object header is 32 bytes (DESIGN.md)");
static_assert(offsetof(Object, ob_flags) == 8 && offsetof(Object, ob_mutex) == 10 &&
              offsetof(Object, ob_gc_bits) == 11 && offsetof(Object, ob_ref_local) == 12 &&
              offsetof(Object, ob_ref_shared) == 16 && offsetof(Object, ob_type) == 24);

inline constexpr std::uint32_t k_immortal = UINT32_MAX;
inline constexpr int k_shared_shift = 2;
// ob_ref_shared's low bits: CPython's four-state encoding in two bits.
inline constexpr std::int64_t k_shared_readable = 1;  // try_incref may succeed at shared == 0
inline constexpr std::int64_t k_shared_queued = 2;    // in its owner's merge queue
inline constexpr std::int64_t k_shared_merged = 3;    // owner gave up; ob_ref_shared is the count
inline constexpr std::int64_t k_shared_flags = 3;

// Type flags (Type::flags).
namespace type_flags {
inline constexpr std::uint32_t k_gc = 1;         // instances live in the Gc heap, have traverse
inline constexpr std::uint32_t k_immutable = 2;  // the type object itself cannot be changed
}  // namespace type_flags

using VisitFn = int (*)(Object* referent, void* arg);

// The slots the runtime and the GC need; interp/ extends Type with the language's slots.
struct Type {
  const char* name;
  std::size_t basic_size;
  std::uint32_t flags;
  // Releases what the object owns and frees it (runtime::free_object). Called once, when the
  // count reaches zero, by whichever thread dropped the last reference.
  void (*dealloc)(Object*);
  // Calls visit on each object this one references; stops and returns the first non-zero.
  int (*traverse)(Object*, VisitFn visit, void* arg);
  // Drops the object's references (breaks cycles).
  void (*clear)(Object*);
};

inline bool is_immortal(const Object* o) {
  return o->ob_ref_local.load(std::memory_order_relaxed) == k_immortal;
}
inline bool is_owned_by_current_thread(const Object* o) {
  return o->ob_tid.load(std::memory_order_relaxed) == t_current_tid;
}

// Slow paths (brc.cpp).
void decref_shared(Object* o);
void merge_zero_local_refcount(Object* o);
void dealloc(Object* o);

inline bool uses_local_refs(const Object* o) {
  return o->ob_gc_bits.load(std::memory_order_relaxed) & gc_bits::k_deferred;
}
// A non-owner counts `delta` references to an object using per-thread counts.
inline void local_ref_add(Object* o, std::int64_t delta) {
  std::uint64_t uid = std::uint64_t(o->ob_ref_shared.load(std::memory_order_relaxed));
  if (uid < t_local_refs_size)
    t_local_refs[uid] += delta;
  else
    local_ref_slow(o, delta);
}

inline void incref(Object* o) {
  std::uint32_t local = o->ob_ref_local.load(std::memory_order_relaxed);
  std::uint32_t next = local + 1;
  if (next == 0) return;  // immortal (k_immortal + 1 wraps)
  ThreadId tid = o->ob_tid.load(std::memory_order_relaxed);
  if (tid == t_current_tid) {
    o->ob_ref_local.store(next, std::memory_order_relaxed);
    return;
  }
  if constexpr (k_checks) isolation_check_slow(o, "incref");
  if (uses_local_refs(o)) {
    local_ref_add(o, 1);
  } else {
    // relaxed: a reference the caller already holds keeps the object alive.
    o->ob_ref_shared.fetch_add(std::int64_t(1) << k_shared_shift, std::memory_order_relaxed);
  }
}

inline void decref(Object* o) {
  std::uint32_t local = o->ob_ref_local.load(std::memory_order_relaxed);
  if (local == k_immortal) return;
  ThreadId tid = o->ob_tid.load(std::memory_order_relaxed);
  if (tid == t_current_tid) {
    local--;
    o->ob_ref_local.store(local, std::memory_order_relaxed);
    if (local == 0) merge_zero_local_refcount(o);
    return;
  }
  if constexpr (k_checks) isolation_check_slow(o, "decref");
  if (uses_local_refs(o)) {
    local_ref_add(o, -1);
  } else {
    decref_shared(o);
  }
}

inline void xdecref(Object* o) {
  if (o) decref(o);
}

// For optimistic readers that found `o` without holding a reference (a lock-free lookup; the
// memory is kept valid by QSBR): takes a reference if the object is provably alive. False
// when its count may already have reached zero; the caller then retries under a lock.
inline bool try_incref(Object* o) {
  std::uint32_t local = o->ob_ref_local.load(std::memory_order_relaxed);
  if (local + 1 == 0) return true;  // immortal
  ThreadId tid = o->ob_tid.load(std::memory_order_relaxed);
  if (tid == t_current_tid) {
    if (local == 0) return false;
    o->ob_ref_local.store(local + 1, std::memory_order_relaxed);
    return true;
  }
  if constexpr (k_checks) isolation_check_slow(o, "try_incref");
  if (uses_local_refs(o)) {  // freed only by the GC, with the world stopped
    local_ref_add(o, 1);
    return true;
  }
  std::int64_t shared = o->ob_ref_shared.load(std::memory_order_relaxed);
  for (;;) {
    // Zero (or merged at zero): the object may be on its way to deallocation.
    if (shared == 0 || shared == k_shared_merged) return false;
    if (o->ob_ref_shared.compare_exchange_weak(shared,
                                               shared + (std::int64_t(1) << k_shared_shift),
                                               std::memory_order_relaxed))
      return true;
  }
}

// Drops a reference after a QSBR grace period (ThreadState::decref_delayed); a plain decref
// when no thread state is attached.
void decref_delayed(Object* o);

// Lets try_incref from other threads succeed while the shared count is zero (the owner's
// local count keeps the object alive). Call before publishing the object to lock-free readers.
void mark_shared_readable(Object* o);

// Makes an object immortal: never counted, never freed (None, small ints, built-in types).
inline void make_immortal(Object* o) {
  o->ob_tid.store(0, std::memory_order_relaxed);
  o->ob_ref_local.store(k_immortal, std::memory_order_relaxed);
  o->ob_ref_shared.store(0, std::memory_order_relaxed);
}

// The true count (local + shared). Exact only when no other thread is changing it; for an
// object using per-thread counts see local_refs.h's local_refs_count.
inline std::int64_t refcount(const Object* o) {
  std::uint32_t local = o->ob_ref_local.load(std::memory_order_relaxed);
  if (local == k_immortal) return INT64_MAX;
  return std::int64_t(local) +
         (o->ob_ref_shared.load(std::memory_order_relaxed) >> k_shared_shift);
}

// Allocation of objects from the current thread state's heaps: the Gc heap for GC types, the
// Object heap otherwise. The header is initialised (owner = current thread, count 1,
// untracked); the rest of the block is zeroed. nullptr on out-of-memory.
Object* alloc_object(Type* type, std::size_t size);
// Frees the memory of an object whose count reached zero (called from Type::dealloc): clears
// the tracked bit, leaves the orphan set, and frees through the current thread's heaps.
void free_object(Object* o);
// Like free_object, but the memory is reused only after every attached thread passed a
// quiescent state (the object may still be read by optimistic lock-free readers).
void free_object_delayed(Object* o);

// How alloc/ reads this header (registered by the Runtime at start-up).
}  // namespace ftpy::runtime
namespace ftpy::alloc {
struct ObjectBlockOps;
}
namespace ftpy::runtime {
const alloc::ObjectBlockOps& object_block_ops();

// The GC tracks an object once it is fully built (owner thread, before sharing it).
inline void gc_track(Object* o) {
  o->ob_gc_bits.fetch_or(gc_bits::k_tracked, std::memory_order_relaxed);
}
inline void gc_untrack(Object* o) {
  o->ob_gc_bits.fetch_and(std::uint8_t(~gc_bits::k_tracked), std::memory_order_relaxed);
}
inline bool gc_is_tracked(const Object* o) {
  return o->ob_gc_bits.load(std::memory_order_relaxed) & gc_bits::k_tracked;
}

}  // namespace ftpy::runtime
