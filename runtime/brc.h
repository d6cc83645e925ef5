// brc.h: biased reference counting's merge queues (CPython's Python/brc.c).
//
// When a non-owner's decrement would take an object's shared count below zero, it sets the
// queued flag instead (keeping its reference, "the queue's reference") and pushes the object
// onto its owner's queue: per-interpreter buckets keyed by thread id, each a Mutex and the
// list of the interpreter's thread states in that bucket. It then sets the owner's
// k_merge_refcounts eval-breaker bit; the owner merges at its next safe point (dropping the
// queue's reference). If the owner is not in its bucket (it exited), the decrementing thread
// merges at once. Lock order: a bucket mutex is a leaf; objects are deallocated only after it
// is released.
#pragma once
#include <cstddef>
#include <vector>

#include "runtime/object.h"
#include "sync/mutex.h"
#include "sync/qsbr.h"

namespace ftpy::runtime {

class ThreadState;

class Brc {
 public:
  static constexpr std::size_t k_buckets = 257;

  // Registers / unregisters a thread state (unregistering merges what is queued for it).
  void add_thread(ThreadState* ts);
  void remove_thread(ThreadState* ts);
  // A non-owner queues `o` (its decrement was kept as the queue's reference).
  void queue_object(Object* o);
  // The owner merges everything queued for it. At safe points and before exit.
  void merge_queued(ThreadState* ts);
  // With the interpreter's world stopped (the GC): appends everything queued for `ts` to
  // `out` and empties its queue. Each object still holds the queue's reference.
  void take_queued_world_stopped(ThreadState* ts, std::vector<Object*>* out);
  // Thread `tid`'s QSBR slot, or nullptr when it is gone (for mark_shared_locked's hand-over
  // from owner-only to locked writes, which waits on it lock-free). Slots live as long as the
  // Qsbr (sync/qsbr.h); when the thread exits its slot reads offline, and a thread that
  // reuses it comes online at the write sequence of then: so for a goal taken before this
  // call, Qsbr::passed(slot, goal) is true exactly when the thread is gone, detached, or has
  // passed a quiescent state at or after the goal.
  sync::QsbrThread* qsbr_slot(ThreadId tid);

 private:
  struct Bucket {
    sync::RankedMutex mutex{sync::LockRank::MergeQueue};
    ThreadState* threads FTPY_GUARDED_BY(mutex) = nullptr;
  };
  Bucket& bucket_for(ThreadId tid) { return m_buckets[tid % k_buckets]; }
  static ThreadState* find(Bucket& b, ThreadId tid) FTPY_REQUIRES(b.mutex);

  Bucket m_buckets[k_buckets];
};

// With the world stopped, for the GC: `o` is unreachable (nothing outside the garbage refers
// to it), so it becomes `owner`'s with `count` references, all in ob_ref_local, and loses its
// shared mark: no lock-free reader can hold it any more (every thread has passed a safe
// point since it became unreachable), so its new owner clears it without locks and releases
// what it unlinks at once, and the last decrement frees it on the spot.
void adopt_unreachable(Object* o, ThreadId owner, std::int64_t count);

// Merges an object's two counts into ob_ref_shared (giving up ownership) and returns the
// true count plus `extra`. Only the owner, or anyone once the owner has exited.
std::int64_t explicit_merge_refcount(Object* o, std::int64_t extra);

}  // namespace ftpy::runtime
