// heaps.h: tagged heaps (DESIGN.md, "Memory"). Each thread state owns a ThreadHeaps: one
// mimalloc heap per Tag. Mem (raw buffers) and Object (untracked objects) are ordinary heaps;
// Gc (objects the collector tracks) is a heap in its interpreter's exclusive arena, so Gc
// blocks never share a page with other memory or another interpreter's objects.
//
// Thread rules (mimalloc's): a ThreadHeaps allocates only on the thread that created it;
// any thread may free any block (free() goes through mi_free). visit_gc_world_stopped() reads
// other threads' heaps and is only valid while every other thread state of the interpreter is
// stopped. Never mi_heap_delete a Gc heap (it would move arena pages into the backing heap):
// a torn-down ThreadHeaps hands its live Gc blocks to the orphan set and parks the mimalloc
// heap in a per-OS-thread cache for the next ThreadHeaps of the same arena on this thread.
//
// Counts: live blocks per tag are counted per interpreter, exactly: each ThreadHeaps keeps
// local deltas and adds them to the interpreter's atomics in batches (and on flush/teardown).
// Invariant: InterpHeaps::live_blocks(t) == allocated - freed once every ThreadHeaps flushed.
//
// Orphans: a block is in the orphan set iff its orphaned bit is set and it is live. The
// runtime frees a Gc block by clearing its tracked bit with one atomic read-modify-write that
// returns the old bits and, if orphaned was set, calling remove_orphan() before free(): the
// hand-off in fini() marks a block orphaned only while it is tracked (orphan_if_tracked) and
// inserts it under the same mutex remove_orphan() takes, so the two never cross.
// mimalloc writes its free-list link into the first 8 bytes of a freed block, so the header
// bits alloc reads must not live there (visits report freed-but-uncollected blocks too).
// Lock: InterpHeaps::m_mutex is a leaf (internal queues' level in sync/mutex.h's order).
// Fork: nothing is reset; a thread state lost in the child keeps its heaps as they are.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "alloc/arena_pool.h"
#include "alloc/batched_counter.h"
#include "alloc/deferred.h"
#include "alloc/ptr_set.h"
#include "sync/mutex.h"
#include "sync/qsbr.h"

struct mi_heap_s;
struct mi_heap_area_s;

namespace ftpy::alloc {

enum class Tag : std::uint8_t { Mem = 0, Object = 1, Gc = 2 };
inline constexpr int k_tags = 3;

// How alloc reads the object header it knows nothing about (runtime/ registers these once at
// start-up; alloc sits below runtime). The functions take a Gc block's address.
struct ObjectBlockOps {
  bool (*is_tracked)(const void* block);   // a live object the collector must see
  bool (*is_orphaned)(const void* block);  // in its interpreter's orphan set
  void (*set_orphaned)(void* block, bool orphaned);
  // With internal checks on, freed Object and Gc blocks are filled with k_debug_fill except
  // these byte ranges (the owner and refcount fields), so a racing reader that still holds
  // a pointer sees a valid count (zero) rather than garbage.
  struct Range {
    std::uint16_t offset, length;
  } keep[2];
  // Atomically with a concurrent untrack (see "Orphans" above): if the block is tracked and
  // not orphaned, sets orphaned and returns true. Optional: when null, fini() uses
  // is_tracked + set_orphaned, which is only right if no other thread frees the thread's
  // Gc blocks while it tears down.
  bool (*orphan_if_tracked)(void* block) = nullptr;
};
// Once at start-up, before any ThreadHeaps exists (a later call replaces the ops; tests).
void register_object_block_ops(const ObjectBlockOps& ops);
inline constexpr unsigned char k_debug_fill = 0xDD;

class ThreadHeaps;

// Per-interpreter allocation state: its arena, its thread states' heaps, its orphan set, its
// block counts, and the delayed frees left behind by exited threads.
class InterpHeaps {
 public:
  InterpHeaps() = default;
  ~InterpHeaps();  // asserts no ThreadHeaps remain; frees leftover delayed blocks
  InterpHeaps(const InterpHeaps&) = delete;
  InterpHeaps& operator=(const InterpHeaps&) = delete;

  // Leases an arena from the pool. Ok, Exhausted or OutOfMemory.
  ArenaStatus init(sync::Qsbr* qsbr);
  // Gives the arena back (empty if no block of any tag is live).
  void fini();

  std::int64_t live_blocks(Tag t) const {
    return m_live[int(t)].load(std::memory_order_acquire);
  }
  ArenaId arena() const { return m_arena; }
  sync::Qsbr* qsbr() const { return m_qsbr; }

  // Calls fn(block) for every tracked Gc block of this interpreter: every live ThreadHeaps'
  // Gc heap, then the orphans not met in a heap. An orphan met in a heap (its page was
  // reclaimed) leaves the orphan set, so each block is reported exactly once.
  // Requires: the interpreter's world is stopped (no ThreadHeaps of it allocates or exits).
  // fn runs with m_mutex held: it must not free blocks nor call into this InterpHeaps.
  // Visiting collects other threads' pending frees into the visited pages' free lists
  // (mimalloc's _mi_page_free_collect), which is safe only because their owners are stopped.
  template <class F>
  void visit_gc_world_stopped(F&& fn) {
    using Fn = std::remove_reference_t<F>;
    visit_gc_world_stopped_fn(
        [](void* ctx, void* block) { (*static_cast<Fn*>(ctx))(block); }, &fn);
  }
  void visit_gc_world_stopped_fn(void (*fn)(void* ctx, void* block), void* ctx);

  // Removes a block from the orphan set (called when an orphaned object is freed); waits
  // for a hand-off in progress. No-op if the block is not in the set. Any thread.
  void remove_orphan(void* block);
  std::size_t orphan_count();

  // Frees every block that exited threads left queued by free_delayed() whose QSBR goal has
  // been reached (all of them when `force`, used at interpreter teardown when no thread can
  // read them).
  void process_shared_delayed(bool force);

 private:
  friend class ThreadHeaps;
  static bool visit_block(const mi_heap_s*, const mi_heap_area_s*, void* block,
                          std::size_t size, void* arg);

  sync::Qsbr* m_qsbr = nullptr;
  ArenaId m_arena = -1;
  bool m_has_arena = false;
  std::atomic<std::int64_t> m_live[k_tags] = {};  // added to by ThreadHeaps::flush_counts
  sync::RankedMutex m_mutex{sync::LockRank::Orphans};  // guards the lists below
  std::vector<ThreadHeaps*> m_threads FTPY_GUARDED_BY(m_mutex);
  PtrSet m_orphans FTPY_GUARDED_BY(m_mutex);
  DeferredQueue m_shared_delayed FTPY_GUARDED_BY(m_mutex);  // from exited threads
};

// One thread state's heaps. Created and torn down on the thread that uses it.
class ThreadHeaps {
 public:
  ThreadHeaps() = default;
  ~ThreadHeaps();  // calls fini() if init() succeeded
  ThreadHeaps(const ThreadHeaps&) = delete;
  ThreadHeaps& operator=(const ThreadHeaps&) = delete;

  // Creates the three heaps on the calling thread and registers with `interp`. False on
  // out-of-memory (nothing registered). `qsbr_thread` is the thread state's QSBR slot (may
  // be null; must belong to the interpreter's Qsbr, whose advance() gives free_delayed goals).
  bool init(InterpHeaps* interp, sync::QsbrThread* qsbr_thread);
  // Orphan hand-off (every live tracked Gc block moves to the orphan set, marked orphaned,
  // exactly once), delayed frees handed to the interpreter, counts flushed, unregistered.
  // Must run on the owning thread, with the world not stopped.
  void fini();

  // nullptr on out-of-memory. Allocate only from the owning thread. A Gc block's header
  // bits are garbage until the caller writes them, and visits read every allocated block:
  // clear the tracked bit before the next safe point.
  void* alloc(Tag t, std::size_t size) {
    void* p = alloc_raw(t, size);
    if (p) count(t, +1);
    return p;
  }
  void* alloc_zeroed(Tag t, std::size_t size);
  // Mem tag only. On failure returns nullptr and leaves `p` untouched.
  void* realloc_mem(void* p, std::size_t size);
  // Frees at once; any thread state of the same interpreter may free any of its blocks,
  // each through its own ThreadHeaps (the count goes to the caller's deltas).
  void free(Tag t, void* p);
  // Frees once every thread that was attached has passed a quiescent state (QSBR), for
  // memory a lock-free reader may still be reading. Processed at safe points and when the
  // queue grows past k_delayed_batch blocks or k_delayed_bytes (one big block must not wait
  // for 255 more: a freed gigabyte string would stay mapped). Owning thread only. Each call takes a fresh goal
  // (Qsbr::advance); see heaps.cpp for why goals are not shared. If the queue cannot grow
  // (out of memory) the block is leaked, never freed early.
  void free_delayed(Tag t, void* p);
  // Frees the queued blocks whose goal has been reached. Called at safe points. Owning thread
  // only. It does not report a quiescent state for this thread: its caller decides.
  void process_delayed();
  std::size_t delayed_pending() const { return m_delayed.size(); }
  // The queue is long or big enough that its owner should process it at its next safe point.
  bool delayed_backlog() const {
    return m_delayed.size() >= k_delayed_batch || m_delayed_bytes >= k_delayed_bytes;
  }

  // Adds local count deltas to the interpreter's totals.
  void flush_counts();

  InterpHeaps* interp() const { return m_interp; }
  mi_heap_s* heap(Tag t) const { return m_heaps[int(t)]; }

  static constexpr std::size_t k_delayed_batch = 256;
  static constexpr std::size_t k_delayed_bytes = std::size_t(1) << 20;
  static constexpr std::int64_t k_count_batch = 512;

 private:
  friend class InterpHeaps;
  void* alloc_raw(Tag t, std::size_t size);
  void collect_for_retry();  // on a failed request, before the retry
  // alloc() (a mimalloc call), once more after collect_for_retry if it failed.
  template <class F>
  void* with_retry(F&& alloc) {
    if (void* p = alloc()) [[likely]] return p;
    collect_for_retry();
    return alloc();
  }
  bool on_owner_thread() const;
  void count(Tag t, std::int64_t d) {
    if (m_counts[int(t)].add(d)) flush_counts();
  }

  InterpHeaps* m_interp = nullptr;
  sync::QsbrThread* m_qsbr = nullptr;
  mi_heap_s* m_heaps[k_tags] = {};
  BatchedCounter<k_count_batch> m_counts[k_tags];  // owner thread only
  DeferredQueue m_delayed;  // owner thread only; Deferred::tag is the block's Tag
  std::size_t m_process_at = k_delayed_batch;  // queue length that triggers processing
  std::size_t m_delayed_bytes = 0;  // usable bytes of m_delayed's blocks; owner thread only
  const void* m_owner = nullptr;  // a token of the owning OS thread (for checks)
  bool m_live = false;
  bool m_handed_off = false;  // fini() moved the Gc blocks to the orphan set (under m_mutex)
};

}  // namespace ftpy::alloc
