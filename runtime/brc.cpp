// brc.cpp: biased reference counting's slow paths and merge queues (see brc.h, object.h).
#include "runtime/brc.h"

#include <cstdlib>

#include "runtime/interpreter.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

void dealloc(Object* o) {
  FTPY_DCHECK(!is_immortal(o));
  o->ob_type->dealloc(o);
}

void merge_zero_local_refcount(Object* o) {
  // The owner's share of a per-thread-counted object reached zero: others may hold some, and
  // the owner may yet drop references others took (its share must not go below zero). It
  // gives up ownership and counts in its array from now on. Only the GC frees such an object.
  if (uses_local_refs(o)) {
    o->ob_tid.store(0, std::memory_order_relaxed);
    return;
  }
  // The owner's local count just reached zero. acquire: pairs with other threads' release
  // decrements, so a dealloc here sees everything they did to the object.
  std::int64_t shared = o->ob_ref_shared.load(std::memory_order_acquire);
  if (shared == 0) {
    dealloc(o);  // nobody else ever held a reference
    return;
  }
  // Give up ownership, then fold the flags into "merged": from now on ob_ref_shared alone is
  // the count and every thread uses the shared path.
  o->ob_tid.store(0, std::memory_order_relaxed);
  std::int64_t merged;
  do {
    merged = (shared & ~k_shared_flags) | k_shared_merged;
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, merged, std::memory_order_acq_rel,
                                                   std::memory_order_acquire));
  if (merged == k_shared_merged) dealloc(o);
}

void decref_shared(Object* o) {
  if constexpr (k_checks) isolation_check_slow(o, "decref");
  if (uses_local_refs(o)) {
    local_ref_add(o, -1);
    return;
  }
  std::int64_t shared = o->ob_ref_shared.load(std::memory_order_relaxed);
  std::int64_t next;
  bool queue;
  do {
    // A decrement that would take a plain (unmerged) shared count below zero means the
    // reference being dropped is counted in the owner's local count: instead of going
    // negative, keep it as "the queue's reference" and let the owner merge.
    queue = shared == 0 || shared == k_shared_readable;
    next = queue ? k_shared_queued : shared - (std::int64_t(1) << k_shared_shift);
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, next, std::memory_order_acq_rel,
                                                   std::memory_order_relaxed));
  if (queue) {
    ThreadState* ts = ThreadState::current();
    FTPY_ASSERT(ts != nullptr);
    ts->interp()->brc().queue_object(o);
  } else if (next == k_shared_merged) {
    dealloc(o);  // merged and the count reached zero
  }
}

void mark_shared_readable(Object* o) {
  std::int64_t expected = 0;
  o->ob_ref_shared.compare_exchange_strong(expected, k_shared_readable,
                                           std::memory_order_relaxed);
}

std::int64_t explicit_merge_refcount(Object* o, std::int64_t extra) {
  FTPY_DCHECK(!is_immortal(o));
  std::int64_t shared = o->ob_ref_shared.load(std::memory_order_relaxed);
  std::int64_t count, next;
  do {
    count = (shared >> k_shared_shift) + o->ob_ref_local.load(std::memory_order_relaxed) + extra;
    next = (count << k_shared_shift) | k_shared_merged;
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, next, std::memory_order_acq_rel,
                                                   std::memory_order_relaxed));
  o->ob_ref_local.store(0, std::memory_order_relaxed);
  o->ob_tid.store(0, std::memory_order_relaxed);
  return count;
}

void adopt_unreachable(Object* o, ThreadId owner, std::int64_t count) {
  FTPY_DCHECK(!is_immortal(o) && !uses_local_refs(o));
  if (count >= std::int64_t(k_immortal)) {  // cannot be a local count: stay merged
    o->ob_tid.store(0, std::memory_order_relaxed);
    o->ob_ref_local.store(0, std::memory_order_relaxed);
    o->ob_ref_shared.store((count << k_shared_shift) | k_shared_merged, std::memory_order_relaxed);
    return;
  }
  o->ob_gc_bits.fetch_and(std::uint8_t(~(gc_bits::k_shared | gc_bits::k_sharing)),
                          std::memory_order_relaxed);
  o->ob_tid.store(owner, std::memory_order_relaxed);
  o->ob_ref_local.store(std::uint32_t(count), std::memory_order_relaxed);
  o->ob_ref_shared.store(0, std::memory_order_relaxed);
}

sync::QsbrThread* Brc::qsbr_slot(ThreadId tid) {
  Bucket& b = bucket_for(tid);
  sync::MutexGuard g(b.mutex);
  ThreadState* ts = find(b, tid);
  return ts ? ts->qsbr() : nullptr;
}

ThreadState* Brc::find(Bucket& b, ThreadId tid) {
  for (ThreadState* t = b.threads; t; t = t->m_brc_next)
    if (t->m_id == tid) return t;
  return nullptr;
}

void Brc::add_thread(ThreadState* ts) {
  Bucket& b = bucket_for(ts->m_id);
  sync::MutexGuard g(b.mutex);
  ts->m_brc_next = b.threads;
  b.threads = ts;
}

namespace {
struct Taken {
  Object** objects;
  std::size_t count;
};

void merge_all(Taken t) {
  for (std::size_t i = 0; i < t.count; i++) {
    // The queue held one reference: drop it while merging.
    if (explicit_merge_refcount(t.objects[i], -1) == 0) dealloc(t.objects[i]);
  }
  std::free(t.objects);
}
}  // namespace

void Brc::remove_thread(ThreadState* ts) {
  Bucket& b = bucket_for(ts->m_id);
  // CPython's order: merge until the queue is empty, and only then leave the bucket, under
  // the same lock that found it empty. Merging may deallocate objects whose children this
  // thread owns, and other threads may queue more for us meanwhile; while we are in the
  // bucket they queue (we merge them here), and only once we are out do decrements of our
  // objects merge at once in the decrementing thread, when we no longer touch them.
  for (;;) {
    Taken taken;
    {
      sync::MutexGuard g(b.mutex);
      if (ts->m_brc_count == 0) {
        ThreadState** p = &b.threads;
        while (*p != ts) p = &(*p)->m_brc_next;
        *p = ts->m_brc_next;
        ts->m_brc_next = nullptr;
        std::free(ts->m_brc_objects);  // an empty queue's array (free takes none of our locks)
        ts->m_brc_objects = nullptr;
        ts->m_brc_capacity = 0;
        return;
      }
      taken = {ts->m_brc_objects, ts->m_brc_count};
      ts->m_brc_objects = nullptr;
      ts->m_brc_count = ts->m_brc_capacity = 0;
    }
    merge_all(taken);
  }
}

void Brc::merge_queued(ThreadState* ts) {
  FTPY_DCHECK(ts == ThreadState::current());
  Bucket& b = bucket_for(ts->m_id);
  Taken taken;
  {
    sync::MutexGuard g(b.mutex);
    taken = {ts->m_brc_objects, ts->m_brc_count};
    ts->m_brc_objects = nullptr;
    ts->m_brc_count = ts->m_brc_capacity = 0;
  }
  merge_all(taken);
}

void Brc::take_queued_world_stopped(ThreadState* ts, std::vector<Object*>* out) {
  // The caller checked that the world is stopped (and may hold the head mutex, which
  // world_is_stopped takes).
  Bucket& b = bucket_for(ts->m_id);
  sync::MutexGuard g(b.mutex);
  out->insert(out->end(), ts->m_brc_objects, ts->m_brc_objects + ts->m_brc_count);
  std::free(ts->m_brc_objects);
  ts->m_brc_objects = nullptr;
  ts->m_brc_count = ts->m_brc_capacity = 0;
  ts->clear_request(eval_breaker::k_merge_refcounts);
}

void Brc::queue_object(Object* o) {
  ThreadId tid = o->ob_tid.load(std::memory_order_acquire);
  if (tid == 0) {
    // The owner gave up ownership meanwhile (merged): an ordinary shared decrement now.
    decref(o);
    return;
  }
  Bucket& b = bucket_for(tid);
  b.mutex.lock();
  ThreadState* owner = find(b, tid);
  if (!owner) {
    // The owner has exited: nobody writes its local count any more, so merge here.
    std::int64_t count = explicit_merge_refcount(o, -1);
    b.mutex.unlock();
    if (count == 0) dealloc(o);
    return;
  }
  if (owner->m_brc_count == owner->m_brc_capacity) {
    std::size_t cap = owner->m_brc_capacity ? owner->m_brc_capacity * 2 : 16;
    auto* grown = static_cast<Object**>(std::realloc(owner->m_brc_objects, cap * sizeof(Object*)));
    if (!grown) {
      // Out of memory for the queue: merge with the owner stopped, as CPython does.
      b.mutex.unlock();
      Interpreter* interp = ThreadState::current()->interp();
      std::int64_t count;
      {
        StopTheWorld stw(interp);
        count = explicit_merge_refcount(o, -1);
      }
      if (count == 0) dealloc(o);
      return;
    }
    owner->m_brc_objects = grown;
    owner->m_brc_capacity = cap;
  }
  owner->m_brc_objects[owner->m_brc_count++] = o;
  owner->request(eval_breaker::k_merge_refcounts);
  b.mutex.unlock();
}

}  // namespace ftpy::runtime
