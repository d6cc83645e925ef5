// collect.cpp: one collection (the phases listed in collect.h), its slot and statistics (the
// trigger policy is state.cpp's).
#include "gc/collect.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <new>
#include <thread>
#include <vector>

#include "gc/state.h"
#include "runtime/brc.h"
#include "runtime/interpreter.h"
#include "runtime/local_refs.h"
#include "runtime/object.h"
#include "runtime/runtime.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"
#include "runtime/wait.h"

namespace ftpy::gc {

namespace {

using runtime::Object;
using runtime::ThreadId;
namespace bits = runtime::gc_bits;

constexpr std::uint8_t k_seen = bits::k_unreachable;  // in this collection's object table
constexpr std::uint8_t k_alive = bits::k_reachable;   // reachable from outside the heap

// The language's counting rule (set_inline_part_fn); written at start-up.
std::atomic<InlinePartFn> g_inline_part{nullptr};

// All the helpers below run on the collector, with the world stopped: the header fields are
// read and written with relaxed accesses because no other thread runs (the stop itself
// orders their earlier writes before ours).
std::uint8_t gc_bits_of(const Object* o) { return o->ob_gc_bits.load(std::memory_order_relaxed); }
void set_bits(Object* o, std::uint8_t b) { o->ob_gc_bits.fetch_or(b, std::memory_order_relaxed); }
void clear_bits(Object* o, std::uint8_t b) {
  o->ob_gc_bits.fetch_and(std::uint8_t(~b), std::memory_order_relaxed);
}
// gc_refs borrow ob_tid while the world is stopped (the owner id is kept in the Entry).
std::int64_t gc_refs(const Object* o) {
  return std::int64_t(o->ob_tid.load(std::memory_order_relaxed));
}
void set_gc_refs(Object* o, std::int64_t n) {
  o->ob_tid.store(ThreadId(n), std::memory_order_relaxed);
}

struct Entry {
  Object* object;
  ThreadId tid;  // the owner, put back before the world restarts
};

class Collection {
 public:
  Collection(runtime::Interpreter* interp, runtime::ThreadId collector)
      : m_interp(interp), m_collector(collector) {}

  // World stopped. False if out of memory: everything is then back as it was and the
  // collection is abandoned (nothing is freed, nothing is corrupted).
  bool run_world_stopped() {
    try {
      merge_queues();
      take_delayed_refs();
      m_sums = runtime::sum_local_refs(m_interp);
      find_dead_untracked();
      // Reserve the table for every live Gc block so the visit itself does not reallocate
      // more than once.
      m_entries.reserve(std::size_t(std::max<std::int64_t>(
          0, m_interp->heaps().live_blocks(alloc::Tag::Gc) + 1024)));
      find_objects();
      m_delayed.for_each([](const alloc::Deferred& r) {
        auto* o = static_cast<Object*>(r.ptr);
        if (gc_bits_of(o) & k_seen) set_gc_refs(o, gc_refs(o) - 1);
      });
      m_stack.reserve(m_entries.size());
    } catch (const std::bad_alloc&) {
      restore_all();
      return false;
    }
    subtract_internal_refs();
    mark_alive();
    std::size_t garbage = 0;
    for (const Entry& e : m_entries) {
      if (gc_bits_of(e.object) & k_alive) continue;
      garbage++;
      if (is_inline_part_of_garbage(e.object)) m_inline_parts++;
    }
    try {
      m_garbage.reserve(garbage);
    } catch (const std::bad_alloc&) {
      restore_all();
      return false;
    }
    hold_garbage();
    return true;
  }

  // World running: breaks the garbage's references, then drops the collector's own.
  void free_garbage() {
    for (Object* o : m_release) runtime::decref(o);
    for (Object* o : m_garbage)
      if (o->ob_type->clear) o->ob_type->clear(o);
    m_delayed.release_all(
        [](const alloc::Deferred& r) { runtime::decref(static_cast<Object*>(r.ptr)); });
    for (Object* o : m_garbage) runtime::decref(o);
  }

  std::int64_t garbage_count() const { return std::int64_t(m_garbage.size()); }
  // What gc.collect() reports: the garbage, less the parts that CPython does not count as
  // objects of their own (set_inline_part_fn).
  std::int64_t reported_count() const { return garbage_count() - m_inline_parts; }
  std::int64_t survivor_count() const {
    return std::int64_t(m_entries.size()) - garbage_count();
  }

 private:
  // Phase 1: every reference parked in a merge queue is merged now, so that counts are exact.
  // A queued object whose count reaches zero is dead: if tracked, the visit will find it
  // unreachable (gc_refs 0) and free it with the garbage; if not, the collector keeps one
  // reference to drop when the world restarts (CPython's objs_to_decref).
  void merge_queues() {
    FTPY_DCHECK(runtime::world_is_stopped(m_interp));
    std::vector<Object*> queued;
    {
      // The head mutex too: a thread state may be created (born suspended) meanwhile.
      sync::MutexGuard head(runtime::Runtime::get().head());
      m_interp->for_each_thread_state([&](runtime::ThreadState* t) {
        m_interp->brc().take_queued_world_stopped(t, &queued);
      });
    }
    m_release.reserve(queued.size());
    for (Object* o : queued) {
      if (runtime::explicit_merge_refcount(o, -1) == 0 && !runtime::gc_is_tracked(o)) {
        o->ob_ref_shared.fetch_add(std::int64_t(1) << runtime::k_shared_shift,
                                   std::memory_order_relaxed);
        m_release.push_back(o);
      }
    }
  }

  // References waiting for a QSBR grace period (values unlinked from shared containers) are
  // the collector's now: stopping the world ended every grace period. They are dropped when
  // the world restarts, so they do not count as outside references (CPython's free-threaded
  // GC likewise processes delayed frees first). Out of memory leaves some where they were,
  // counted as outside references like any other (then dropped by their thread as usual).
  void take_delayed_refs() {
    sync::MutexGuard head(runtime::Runtime::get().head());
    m_interp->for_each_thread_state(
        [&](runtime::ThreadState* t) { (void)t->take_delayed_refs_world_stopped(&m_delayed); });
    m_interp->take_adopted_refs_world_stopped(&m_delayed);
  }

  // Objects on per-thread counts that the GC heaps do not hold (code objects, strings and
  // numbers bound in __main__ when threads started) are freed by no one else: one whose
  // counts sum to zero goes back to ordinary counting with the collector's reference.
  void find_dead_untracked() {
    std::vector<Object*> deferred = m_interp->local_refs().objects_world_stopped();
    for (Object* o : deferred) {
      if (runtime::gc_is_tracked(o) || runtime::local_refs_true_count(o, m_sums) != 0) continue;
      m_release.push_back(o);
      runtime::retire_local_refs(m_interp, o);
      runtime::adopt_unreachable(o, m_collector, 1);
    }
  }

  // Every reference to `o`: local + shared, or, on per-thread counts, the owner's share plus
  // every thread's entry (ob_tid and the scratch bits play no part).
  std::int64_t true_count(const Object* o) const {
    return runtime::uses_local_refs(o) ? runtime::local_refs_true_count(o, m_sums)
                                       : runtime::refcount(o);
  }

  // Phase 2: the object table, with each object's true count as its gc_refs.
  void find_objects() {
    m_interp->visit_gc_objects_world_stopped([&](Object* o) {
      if (runtime::is_immortal(o)) return;  // never garbage, and its references are roots
      m_entries.push_back({o, o->ob_tid.load(std::memory_order_relaxed)});
      set_gc_refs(o, true_count(o));
      set_bits(o, k_seen);
    });
  }

  // Phase 3: what is left of gc_refs counts references from outside the table.
  void subtract_internal_refs() {
    for (const Entry& e : m_entries) {
      Object* o = e.object;
      if (o->ob_type->traverse) o->ob_type->traverse(o, visit_subtract, nullptr);
    }
  }
  static int visit_subtract(Object* r, void*) {
    if (gc_bits_of(r) & k_seen) set_gc_refs(r, gc_refs(r) - 1);
    // Not in this interpreter's table: its ob_tid is still its owner's, so checked builds
    // can tell a reference into another interpreter (runtime/isolation.h).
    else if constexpr (k_checks) runtime::isolation_check_slow(r, "gc traverse");
    return 0;
  }

  // Phase 4: everything reachable from an object with outside references is alive. A
  // negative gc_refs means a traverse visited a reference it does not own (a bug): such an
  // object is kept alive rather than freed under its holders.
  void mark_alive() {
    for (const Entry& e : m_entries) {
      Object* o = e.object;
      FTPY_DCHECK(gc_refs(o) >= 0 || !"a traverse function visits a reference it does not own");
      if (gc_refs(o) == 0 || (gc_bits_of(o) & k_alive)) continue;
      set_bits(o, k_alive);
      m_stack.push_back(o);
      while (!m_stack.empty()) {
        Object* p = m_stack.back();
        m_stack.pop_back();
        if (p->ob_type->traverse) p->ob_type->traverse(p, visit_mark, this);
      }
    }
  }
  static int visit_mark(Object* r, void* arg) {
    if ((gc_bits_of(r) & (k_seen | k_alive)) != k_seen) return 0;
    set_bits(r, k_alive);
    // Each object is pushed at most once and m_stack has room for the whole table.
    static_cast<Collection*>(arg)->m_stack.push_back(r);
    return 0;
  }

  // A garbage object's inline part (its attribute dict), referred to by nothing else, counts
  // as part of the object for gc.collect()'s result. Before hold_garbage: ob_tid holds
  // gc_refs, the counts are untouched.
  bool is_inline_part_of_garbage(Object* o) const {
    InlinePartFn part = g_inline_part.load(std::memory_order_relaxed);
    Object* p = part ? part(o) : nullptr;
    if (!p || (gc_bits_of(p) & (k_seen | k_alive)) != k_seen) return false;
    return true_count(p) == 1;
  }

  // Phase 5 (still stopped): owners back, scratch bits off; each garbage object gets the
  // collector's reference and the collector as its owner (adopt_unreachable).
  void hold_garbage() {
    for (const Entry& e : m_entries) {
      Object* o = e.object;
      bool alive = gc_bits_of(o) & k_alive;
      clear_bits(o, k_seen | k_alive);
      o->ob_tid.store(e.tid, std::memory_order_relaxed);
      if (alive) continue;
      m_garbage.push_back(o);
      std::int64_t count = true_count(o);
      if (runtime::uses_local_refs(o)) runtime::retire_local_refs(m_interp, o);
      runtime::adopt_unreachable(o, m_collector, count + 1);
    }
  }

  // Out of memory part-way: undo the table's marks (merged queues stay merged: that is an
  // ordinary state; objects already in m_release are dropped when the world restarts).
  void restore_all() {
    for (const Entry& e : m_entries) {
      clear_bits(e.object, k_seen | k_alive);
      e.object->ob_tid.store(e.tid, std::memory_order_relaxed);
    }
    m_entries.clear();
  }

  runtime::Interpreter* m_interp;
  runtime::ThreadId m_collector;     // the collecting thread: garbage's owner while freed
  std::vector<std::int64_t> m_sums;  // per-thread counts summed by uid
  std::vector<Entry> m_entries;      // every tracked object found
  std::vector<Object*> m_stack;      // mark_alive's work list
  std::vector<Object*> m_garbage;    // unreachable, each holding one collector reference
  std::vector<Object*> m_release;    // dead but untracked: drop the collector's reference
  alloc::DeferredQueue m_delayed;  // delayed references (Object*), the collector's now
  std::int64_t m_inline_parts = 0;  // garbage that gc.collect() does not report
};

// Takes the interpreter's collection slot; a Manual caller waits (detached, so the collector
// in progress can stop it) until release_slot wakes it, a Threshold caller gives up.
bool acquire_slot(GcState& gc, runtime::ThreadState* ts, bool wait) {
  for (;;) {
    bool expected = false;
    // acquire: pairs with the previous collector's release, so its statistics are ours now.
    if (gc.collecting.compare_exchange_strong(expected, true, std::memory_order_acquire,
                                              std::memory_order_relaxed))
      return true;
    if (!wait) return false;
    runtime::wait_until(ts, &gc.collecting,
                        [&gc] { return !gc.collecting.load(std::memory_order_acquire); });
  }
}

// The one place that frees the slot: it wakes acquire_slot's waiters.
void release_slot(GcState& gc) {
  gc.collecting.store(false, std::memory_order_release);
  runtime::wake_waiters(&gc.collecting);
}

double median_of(std::vector<std::int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? double(v[n / 2]) : (double(v[n / 2 - 1]) + double(v[n / 2])) / 2;
}

}  // namespace

void set_inline_part_fn(InlinePartFn fn) { g_inline_part.store(fn, std::memory_order_relaxed); }

std::int64_t collect(Reason why) {
  runtime::ThreadState* ts = runtime::ThreadState::current();
  FTPY_ASSERT(ts != nullptr && ts->is_attached());
  runtime::Interpreter* interp = ts->interp();
  GcState& gc = state(interp);
  ts->clear_request(runtime::eval_breaker::k_run_gc);
  // Serve our own safe point first (the caller is at one: a call or the eval breaker): what
  // other threads queued for us to merge, or left for a grace period, is dropped now, so an
  // object whose last reference went that way is freed by reference counting, as under
  // CPython, rather than counted as garbage.
  if (ts->safe_point()) ts->handle_eval_breaker();
  if (why == Reason::Threshold && !due(interp, allocation_count(interp))) return -1;
  if (!acquire_slot(gc, ts, why == Reason::Manual)) return -1;
  // Back-to-back collections (gc.collect() in a loop) would leave the other threads only the
  // moment between one stop and the next: the world runs at least as long as it was last
  // stopped, so collections take at most half of it.
  if (!gc.pause_ns.empty()) {
    sync::Nanos resume_until = gc.last_restart_ns + gc.pause_ns.back();
    if (sync::Nanos left = resume_until - sync::monotonic_ns(); left > 0) {
      runtime::Detached detached(ts);
      std::this_thread::sleep_for(std::chrono::nanoseconds(left));
    }
  }
  Collection c(interp, ts->id());
  bool done;
  sync::Nanos t0 = sync::monotonic_ns();
  {
    runtime::StopTheWorld stw(interp);
    interp->gc_count().allocations.store(0, std::memory_order_relaxed);
    done = c.run_world_stopped();
  }
  gc.last_restart_ns = sync::monotonic_ns();
  sync::Nanos pause = gc.last_restart_ns - t0;
  c.free_garbage();
  if (done) {
    set_survivors(interp, c.survivor_count());
    gc.collections++;
    gc.collected += c.garbage_count();
    try {
      gc.pause_ns.push_back(pause);
    } catch (const std::bad_alloc&) {
      // The sample is lost; the collection itself is complete.
    }
  }
  release_slot(gc);
  return c.reported_count();
}

Stats stats(runtime::Interpreter* interp) {
  GcState& gc = state(interp);
  runtime::ThreadState* ts = runtime::ThreadState::current();
  Stats s;
  std::vector<std::int64_t> pauses;
  if (ts) acquire_slot(gc, ts, true);
  s.collections = gc.collections;
  s.collected = gc.collected;
  try {
    pauses = gc.pause_ns;
  } catch (const std::bad_alloc&) {
    pauses.clear();
  }
  if (ts) release_slot(gc);
  s.pause_count = std::int64_t(pauses.size());
  s.pause_median_ms = median_of(pauses) / 1e6;
  s.pause_max_ms = pauses.empty() ? 0 : double(*std::max_element(pauses.begin(), pauses.end())) / 1e6;
  runtime::StwStats w = runtime::stw_stats(interp);
  s.stw_requests = w.requests;
  s.stop_median_us = median_of(w.samples) / 1e3;
  s.stop_max_us = double(w.max_stop_ns) / 1e3;
  return s;
}

void print_stats(runtime::Interpreter* interp, std::FILE* out) {
  Stats s = stats(interp);
  std::fprintf(out,
               "ftpy stats:\n"
               "gc collections: %lld\n"
               "gc objects collected: %lld\n"
               "gc pause ms: count %lld median %.3f max %.3f\n"
               "stop-the-world requests: %lld\n"
               "stop-the-world time-to-stop us: median %.1f max %.1f\n",
               (long long)s.collections, (long long)s.collected, (long long)s.pause_count,
               s.pause_median_ms, s.pause_max_ms, (long long)s.stw_requests, s.stop_median_us,
               s.stop_max_us);
}

}  // namespace ftpy::gc
