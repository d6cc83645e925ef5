// heaps.cpp: tagged heaps, the orphan hand-off, the GC visit, delayed frees and counts.
//
// Life of a Gc heap: created in the interpreter's arena by a thread state (or taken back from
// this OS thread's parked heaps), visited by the GC with the world stopped, and at thread
// state teardown visited once more by its own thread, which moves every live tracked block to
// the orphan set, then parked (never deleted: mi_heap_delete would move arena pages into the
// backing heap). When the OS thread exits, mimalloc deletes its remaining heaps into the
// backing heap and abandons the thread's segments; an abandoned arena segment is later
// reclaimed only by a heap of the same arena, whose visits then meet the orphans again.
//
// mimalloc 2.0.9 facts this relies on (measured in tests/alloc): mi_heap_visit_blocks first
// collects the page's local and cross-thread free lists (_mi_page_free_collect), but blocks
// freed by other threads into *full* pages wait on the heap's delayed-free list and are still
// reported as live; a freed block's first word holds mimalloc's free-list link.
//
// Sanitizers. ThreadSanitizer: libmimalloc is not instrumented, so TSan cannot see that
// thread A's mi_free(p) happens before thread B's mi_malloc returning p again, and reports
// B's writes to the reused block as racing with A's old ones. We state that edge ourselves:
// a release before every mi_free and an acquire after every allocation, on each 64 KiB chunk
// the block covers (not on p itself: a page freed whole is reused with another block size,
// so a new block can overlap an old one that started elsewhere; mimalloc's pages start on
// 64 KiB slice boundaries, so the chunks of overlapping blocks always meet).
// mimalloc's own memset/memcpy calls (zeroing a reused thread-data block or heap, zalloc,
// realloc's copy) still reach TSan's interceptors, too early for any annotation of ours, so
// TSan builds also ignore interceptors called from libmimalloc ("called_from_lib").
// AddressSanitizer: mimalloc's memory is not poisoned, so ASan does not catch a use after
// free of a block from these heaps (the debug fill helps instead), and LeakSanitizer does not
// see these blocks (the live counts do); both are accepted.
#include "alloc/heaps.h"

#include "alloc/oom.h"

#include <mimalloc.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "sync/check.h"

#if defined(__SANITIZE_THREAD__)
#define FTPY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FTPY_TSAN 1
#endif
#endif
#if defined(FTPY_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

#if defined(FTPY_TSAN)
// TSan reads these at start-up, before TSAN_OPTIONS' own suppressions file (if any).
extern "C" const char* __tsan_default_suppressions() {
  return "called_from_lib:libmimalloc.so\n";
}
#endif

namespace ftpy::alloc {
namespace {

// Written by register_object_block_ops at start-up, before any ThreadHeaps; read-only after.
ObjectBlockOps g_ops = {};

#if defined(FTPY_TSAN)
constexpr std::uintptr_t k_tsan_chunk = 64 * 1024;
template <class F>
void for_each_chunk(void* p, F&& fn) {
  auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(k_tsan_chunk - 1);
  auto end = reinterpret_cast<std::uintptr_t>(p) + mi_usable_size(p);
  for (std::uintptr_t c = begin; c < end; c += k_tsan_chunk) fn(reinterpret_cast<void*>(c));
}
#endif
inline void tsan_acquire([[maybe_unused]] void* p) {
#if defined(FTPY_TSAN)
  for_each_chunk(p, [](void* c) { __tsan_acquire(c); });
#endif
}
inline void tsan_release([[maybe_unused]] void* p) {
#if defined(FTPY_TSAN)
  for_each_chunk(p, [](void* c) { __tsan_release(c); });
#endif
}

// Fills a block about to be freed with k_debug_fill except the ops' keep ranges.
void debug_fill(void* p) {
  auto* b = static_cast<unsigned char*>(p);
  std::size_t n = mi_usable_size(p);
  ObjectBlockOps::Range r[2] = {g_ops.keep[0], g_ops.keep[1]};
  if (r[1].offset < r[0].offset) std::swap(r[0], r[1]);
  std::size_t pos = 0;
  for (const auto& k : r) {
    if (k.length == 0) continue;
    std::size_t start = std::min<std::size_t>(k.offset, n);
    if (start > pos) std::memset(b + pos, k_debug_fill, start - pos);
    pos = std::max(pos, std::min<std::size_t>(std::size_t(k.offset) + k.length, n));
  }
  if (pos < n) std::memset(b + pos, k_debug_fill, n - pos);
}

// Frees one block for real (no count).
void free_block(Tag t, void* p) {
  if constexpr (k_checks) {
    if (t != Tag::Mem) debug_fill(p);
  }
  tsan_release(p);
  mi_free(p);
}

// Marks a Gc block orphaned if it is tracked (see ObjectBlockOps::orphan_if_tracked).
bool orphan_if_tracked(void* block) {
  if (g_ops.orphan_if_tracked) return g_ops.orphan_if_tracked(block);
  if (!g_ops.is_tracked(block) || g_ops.is_orphaned(block)) return false;
  g_ops.set_orphaned(block, true);
  return true;
}

// Parked Gc heaps of this OS thread, keyed by arena. Trivially destructible on purpose:
// at thread exit mimalloc itself deletes the heaps (into the backing heap) and abandons them.
struct Parked {
  ArenaId arena;
  mi_heap_t* heap;
};
constexpr int k_parked_slots = 2 * arena_pool::k_max_arenas;
thread_local Parked t_parked[k_parked_slots] = {};

mi_heap_t* take_parked(ArenaId arena) {
  for (Parked& p : t_parked) {
    if (p.heap && p.arena == arena) {
      mi_heap_t* h = p.heap;
      p.heap = nullptr;
      return h;
    }
  }
  return nullptr;
}

void park(ArenaId arena, mi_heap_t* heap) {
  for (Parked& p : t_parked) {
    if (!p.heap) {
      p = {arena, heap};
      return;
    }
  }
  // More heaps than slots (only with several thread states of one interpreter on one OS
  // thread): the heap stays with this thread, unused, until mimalloc deletes it at exit.
}

thread_local char t_owner_token;

}  // namespace

void register_object_block_ops(const ObjectBlockOps& ops) {
  FTPY_ASSERT(ops.is_tracked && ops.is_orphaned && ops.set_orphaned);
  g_ops = ops;
}

// ---- InterpHeaps ------------------------------------------------------------------------

InterpHeaps::~InterpHeaps() {
  if (m_has_arena) fini();
  // Without an arena no ThreadHeaps could register, and fini() emptied the shared list.
  process_shared_delayed(true);
}

ArenaStatus InterpHeaps::init(sync::Qsbr* qsbr) {
  FTPY_ASSERT(qsbr && !m_has_arena);
  ArenaLease lease = arena_pool::acquire();
  if (lease.status != ArenaStatus::Ok) return lease.status;
  m_qsbr = qsbr;
  m_arena = lease.id;
  m_has_arena = true;
  return ArenaStatus::Ok;
}

void InterpHeaps::fini() {
  if (!m_has_arena) return;
  {
    sync::MutexGuard guard(m_mutex);
    if (!m_threads.empty()) ftpy::fatal("InterpHeaps::fini with thread heaps still registered");
  }
  process_shared_delayed(true);
  bool empty = true;
  for (const auto& c : m_live) empty = empty && c.load(std::memory_order_acquire) == 0;
  arena_pool::release(m_arena, empty);
  m_has_arena = false;
  sync::MutexGuard guard(m_mutex);
  m_orphans.clear();  // any left are leaks, counted above: their arena is retired
}

bool InterpHeaps::visit_block(const mi_heap_t*, const mi_heap_area_t*, void* block, std::size_t,
                              void* arg) {
  if (!block) return true;  // mimalloc calls once per area with no block
  struct Ctx {
    InterpHeaps* self;
    void (*fn)(void*, void*);
    void* ctx;
  };
  auto* c = static_cast<Ctx*>(arg);
  c->self->m_mutex.assert_held();  // visit_gc_world_stopped_fn's; mimalloc calls us under it
  // An orphan met in a heap: its page was reclaimed, or its parked heap taken back. It is in
  // the set only if still live (a freed orphan left the set first), so the mark is cleared
  // only then: a freed block is never written.
  if (g_ops.is_orphaned(block) && c->self->m_orphans.erase(block))
    g_ops.set_orphaned(block, false);
  if (g_ops.is_tracked(block)) c->fn(c->ctx, block);
  return true;
}

void InterpHeaps::visit_gc_world_stopped_fn(void (*fn)(void* ctx, void* block), void* ctx) {
  struct Ctx {
    InterpHeaps* self;
    void (*fn)(void*, void*);
    void* ctx;
  } c{this, fn, ctx};
  sync::MutexGuard guard(m_mutex);
  // The world is stopped: every registered heap's owner is parked, so reading (and
  // free-collecting) its pages from here is race-free; the stop's handshake orders it.
  for (ThreadHeaps* t : m_threads)
    if (!t->m_handed_off) mi_heap_visit_blocks(t->heap(Tag::Gc), true, &visit_block, &c);
  m_orphans.for_each([&](void* block) {
    if (g_ops.is_tracked(block)) fn(ctx, block);
  });
}

void InterpHeaps::remove_orphan(void* block) {
  sync::MutexGuard guard(m_mutex);
  m_orphans.erase(block);
}

std::size_t InterpHeaps::orphan_count() {
  sync::MutexGuard guard(m_mutex);
  return m_orphans.size();
}

void InterpHeaps::process_shared_delayed(bool force) {
  sync::MutexGuard guard(m_mutex);
  // Exited threads' queues were merged in goal order (DeferredQueue::adopt), so the ready
  // blocks are a prefix, as in a thread's own queue.
  auto free_one = [this](const Deferred& d) {
    free_block(Tag(d.tag), d.ptr);
    // release: pairs with live_blocks()' acquire.
    m_live[d.tag].fetch_sub(1, std::memory_order_release);
  };
  if (force)
    m_shared_delayed.release_all(free_one);
  else
    m_shared_delayed.release_ready(*m_qsbr, free_one);
  m_shared_delayed.trim();
}

// ---- ThreadHeaps ------------------------------------------------------------------------

ThreadHeaps::~ThreadHeaps() {
  if (m_live) fini();
}

bool ThreadHeaps::on_owner_thread() const { return m_owner == &t_owner_token; }

bool ThreadHeaps::init(InterpHeaps* interp, sync::QsbrThread* qsbr_thread) {
  FTPY_ASSERT(!m_live && interp && interp->m_has_arena);
  FTPY_ASSERT(!qsbr_thread || qsbr_thread->m_owner == interp->m_qsbr);
  mi_heap_t* mem = mi_heap_new();
  mi_heap_t* obj = mem ? mi_heap_new() : nullptr;
  mi_heap_t* gc = nullptr;
  if (obj) {
    gc = take_parked(interp->m_arena);
    if (!gc) gc = mi_heap_new_in_arena(interp->m_arena);
  }
  if (!gc) {
    if (obj) mi_heap_delete(obj);
    if (mem) mi_heap_delete(mem);
    return false;
  }
  // Every field is set before the heap is registered: a collection may visit it at once.
  m_interp = interp;
  m_qsbr = qsbr_thread;
  m_heaps[int(Tag::Mem)] = mem;
  m_heaps[int(Tag::Object)] = obj;
  m_heaps[int(Tag::Gc)] = gc;
  m_owner = &t_owner_token;
  m_process_at = k_delayed_batch;
  bool registered = false;
  {
    sync::MutexGuard guard(interp->m_mutex);
    try {
      interp->m_threads.push_back(this);
      registered = true;
    } catch (const std::bad_alloc&) {
    }
  }
  if (!registered) {
    park(interp->m_arena, gc);
    mi_heap_delete(obj);
    mi_heap_delete(mem);
    m_interp = nullptr;
    m_qsbr = nullptr;
    for (auto& h : m_heaps) h = nullptr;
    return false;
  }
  m_live = true;
  return true;
}

void ThreadHeaps::fini() {
  if (!m_live) return;
  FTPY_ASSERT(on_owner_thread());
  InterpHeaps* interp = m_interp;
  mi_heap_t* gc = m_heaps[int(Tag::Gc)];

  // (1) Orphan hand-off. First count, so the set grows once (out of memory here would leave
  // a tracked block that no visit can find: the GC would never free it, but never free it
  // wrongly either); then mark and insert under the mutex remove_orphan() takes.
  std::size_t tracked = 0;
  mi_heap_visit_blocks(
      gc, true,
      [](const mi_heap_t*, const mi_heap_area_t*, void* block, std::size_t, void* arg) {
        if (block && g_ops.is_tracked(block)) ++*static_cast<std::size_t*>(arg);
        return true;
      },
      &tracked);
  {
    sync::MutexGuard guard(interp->m_mutex);
    (void)interp->m_orphans.reserve(interp->m_orphans.size() + tracked);
    mi_heap_visit_blocks(
        gc, true,
        [](const mi_heap_t*, const mi_heap_area_t*, void* block, std::size_t, void* arg) {
          if (!block || !orphan_if_tracked(block)) return true;
          auto* self = static_cast<InterpHeaps*>(arg);
          self->m_mutex.assert_held();  // the guard around this visit
          if (!self->m_orphans.insert(block)) g_ops.set_orphaned(block, false);
          return true;
        },
        interp);
    // This thread may yet park (detached) before it unregisters below, and a collection
    // may visit meanwhile: the set now reports these blocks, the heap must not.
    m_handed_off = true;
  }

  // (2) Delayed frees: free what is ready, hand the rest to the interpreter.
  process_delayed();
  if (!m_delayed.empty()) {
    sync::MutexGuard guard(interp->m_mutex);
    // Out of memory: these blocks leak (still counted live); freeing them early could pull
    // memory from under a lock-free reader.
    (void)interp->m_shared_delayed.adopt(m_delayed);
  }
  m_delayed.release_all([](const Deferred&) {});  // what the interpreter did not take leaks

  // (3) Counts, (4) unregister.
  flush_counts();
  {
    sync::MutexGuard guard(interp->m_mutex);
    auto& v = interp->m_threads;
    auto it = std::find(v.begin(), v.end(), this);
    FTPY_ASSERT(it != v.end());
    v.erase(it);
  }

  // (5) Mem and Object heaps: their live blocks move to the backing heap and stay valid.
  mi_heap_delete(m_heaps[int(Tag::Mem)]);
  mi_heap_delete(m_heaps[int(Tag::Object)]);
  park(interp->m_arena, gc);
  for (auto*& h : m_heaps) h = nullptr;
  m_interp = nullptr;
  m_qsbr = nullptr;
  m_owner = nullptr;
  m_live = false;
}

// A request failed: the thread's heaps and mimalloc's caches give back what they hold free
// (oom.h), once, before the retry.
void ThreadHeaps::collect_for_retry() {
  process_delayed();  // frees only what every reader is done with: safe anywhere
  for (mi_heap_t* h : m_heaps) mi_heap_collect(h, /*force=*/true);
  release_cached_memory();
}

void* ThreadHeaps::alloc_raw(Tag t, std::size_t size) {
  FTPY_DCHECK(m_live && on_owner_thread());
  if (!request_fits(size)) return nullptr;
  void* p = with_retry([&] { return mi_heap_malloc(m_heaps[int(t)], size); });
  if (p) tsan_acquire(p);
  return p;
}

void* ThreadHeaps::alloc_zeroed(Tag t, std::size_t size) {
  FTPY_DCHECK(m_live && on_owner_thread());
  if (!request_fits(size)) return nullptr;
  void* p = with_retry([&] { return mi_heap_zalloc(m_heaps[int(t)], size); });
  if (!p) return nullptr;
  tsan_acquire(p);
  count(t, +1);
  return p;
}

void* ThreadHeaps::realloc_mem(void* p, std::size_t size) {
  FTPY_DCHECK(m_live && on_owner_thread());
  if (!request_fits(size)) return nullptr;
  if (p) tsan_release(p);  // realloc may free p
  void* q = with_retry([&] { return mi_heap_realloc(m_heaps[int(Tag::Mem)], p, size); });
  if (!q) return nullptr;
  tsan_acquire(q);
  if (!p) count(Tag::Mem, +1);
  return q;
}

void ThreadHeaps::free(Tag t, void* p) {
  if (!p) return;
  FTPY_DCHECK(m_live && on_owner_thread());
  free_block(t, p);
  count(t, -1);
}

void ThreadHeaps::free_delayed(Tag t, void* p) {
  if (!p) return;
  FTPY_DCHECK(m_live && on_owner_thread());
  // A fresh goal per block. Sharing the current goal (CPython's deferred advance) would be
  // unsafe here: a reader that passed a quiescent state at the current sequence may still
  // hold p, so p's goal must be a sequence no reader has reported yet, and only advance()
  // makes one. One seq_cst fetch_add per delayed free (resizes, not every decref) is cheap.
  std::size_t bytes = mi_usable_size(p);
  if (!m_delayed.push(p, std::uint8_t(t), m_interp->m_qsbr->advance()))
    return;  // out of memory: the block leaks (still counted live), never freed early
  m_delayed_bytes += bytes;
  if (m_delayed.size() >= m_process_at || bytes >= k_delayed_bytes) process_delayed();
}

void ThreadHeaps::process_delayed() {
  FTPY_DCHECK(m_live && on_owner_thread());
  m_delayed.release_ready(*m_interp->m_qsbr, [this](const Deferred& d) {
    m_delayed_bytes -= mi_usable_size(d.ptr);
    free_block(Tag(d.tag), d.ptr);
    count(Tag(d.tag), -1);
  });
  // Hysteresis: a thread that holds goals back must not make every later free_delayed
  // rescan all QSBR slots; try again once another batch has queued.
  m_process_at = m_delayed.size() + k_delayed_batch;
}

void ThreadHeaps::flush_counts() {
  for (int t = 0; t < k_tags; t++) {
    std::int64_t d = m_counts[t].take();
    if (d == 0) continue;
    // release: pairs with live_blocks()' acquire.
    m_interp->m_live[t].fetch_add(d, std::memory_order_release);
  }
}

}  // namespace ftpy::alloc
