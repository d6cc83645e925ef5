// thread_state.h: ThreadState, one per (OS thread, interpreter) pair (DESIGN.md, "Thread
// states and stopping the world"). An OS thread that runs code in another interpreter
// (interp/modules/subinterp.h) has a thread state there too, attached while its first is
// detached; one that comes back into the first interpreter through the second gets another
// thread state of it, for that call, the earlier one staying detached.
//
// States: Attached (may touch Python objects), Detached (in a blocking call), Suspended
// (paused by a stop-the-world request). Transitions:
//   Detached -> Attached     the owner, attach() (CAS; waits while Suspended)
//   Attached -> Detached     the owner, detach() (or -> Suspended if a stop is requested)
//   Detached -> Suspended    a stop-the-world requester (CAS)
//   Suspended -> Detached    the requester, when it starts the world (then wakes the owner)
// A ThreadState is created, attached, detached and destroyed on its own OS thread; while
// attached it is t_current on that thread and its id is t_current_tid. Detaching suspends the
// thread's critical sections and takes it offline in QSBR; attaching resumes them.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "alloc/batched_counter.h"
#include "alloc/deferred.h"
#include "alloc/heaps.h"
#include "runtime/eval_breaker.h"
#include "runtime/object.h"
#include "sync/critical_section.h"
#include "sync/parking_lot.h"
#include "sync/qsbr.h"

namespace ftpy::runtime {

class Interpreter;

enum class ThreadStatus { Ok, OutOfMemory, Finalizing };

enum class TState : int { Detached = 0, Attached = 1, Suspended = 2 };

class ThreadState final : sync::ParkHook {
 public:
  // Creates a thread state of `interp` for the calling OS thread, Detached (or Suspended if
  // the world is stopped), not yet attached. nullptr with *status set on failure.
  static ThreadState* create(Interpreter* interp, ThreadStatus* status);
  // Tears down the calling thread's attached thread state: merges its queued refcounts,
  // hands its GC objects to the orphan set, leaves the interpreter. On its own thread.
  void destroy();

  // The calling OS thread's attached thread state, or null: the one thread-local that says
  // where this OS thread runs. t_current_tid and t_local_refs (runtime/object.h) are copies
  // of its fields, set and cleared with it, for the refcount fast paths. Unchecked: for fast
  // paths and for code that accepts "none".
  static ThreadState* current() { return t_current; }
  // The same where one must be attached: checked builds verify that it is, and that the
  // copies agree with it.
  static ThreadState* current_checked() {
    FTPY_DCHECK(t_current && t_current->is_attached() && t_current_tid == t_current->m_id);
    return t_current;
  }

  void attach();
  void detach();
  bool is_attached() const { return state() == TState::Attached; }
  TState state() const { return TState(m_state.load(std::memory_order_acquire)); }

  // The VM's check on backward jumps and calls (CPython's CHECK_EVAL_BREAKER): reports a
  // quiescent state (one load of the shared QSBR sequence, one store to this thread's own
  // slot) and says whether a request is pending; if so, call handle_eval_breaker().
  bool safe_point() {
    sync::Qsbr::quiescent(m_qsbr);
    return m_eval_breaker.load(std::memory_order_relaxed) != 0;
  }

  // Serves this thread's safe point until no delayed free or reference of its own or of
  // exited threads is pending, or `timeout` has passed (at exit, so that what the program
  // freed is freed). Waits attached, as the loop it replaced did. Owner thread, attached.
  void drain_delayed(sync::Nanos timeout);

  // The safe point: handles the runtime's requests (stop, merge, delayed frees, QSBR) and
  // returns the bits left for the caller. Call when eval_breaker() is non-zero.
  std::uint32_t handle_eval_breaker();
  std::uint32_t eval_breaker() const { return m_eval_breaker.load(std::memory_order_relaxed); }
  void request(std::uint32_t bits) { m_eval_breaker.fetch_or(bits, std::memory_order_release); }
  void clear_request(std::uint32_t bits) {
    m_eval_breaker.fetch_and(~bits, std::memory_order_relaxed);
  }

  ThreadId id() const { return m_id; }
  Interpreter* interp() const { return m_interp; }
  alloc::ThreadHeaps& heaps() { return m_heaps; }
  sync::CriticalSectionStack& critical_sections() { return m_critical_sections; }
  sync::QsbrThread* qsbr() const { return m_qsbr; }

  // The language layer's per-thread state (interp/vm_state.h); owner thread only.
  void* m_upper_state = nullptr;

  // Frees memory through QSBR (see free_object_delayed); when the queue stays backed up, the
  // k_delayed_free request makes each safe point of this thread retry it.
  void free_delayed(alloc::Tag tag, void* p);
  // Drops a reference to `o` once every attached thread has passed a quiescent state: for a
  // value unlinked from a shared container, which lock-free readers may have loaded but not
  // yet counted (they count it before their next safe point). Processed at safe points (the
  // k_delayed_free request stays set while any are pending); destroy() hands what is left to
  // the interpreter, whose list any thread's safe point then serves.
  void decref_delayed(Object* o);
  // Counts one Gc-heap object allocated (+1) or freed (-1) by this thread; every
  // k_gc_count_batch of them go to the interpreter's count (GcCount), and the batch that takes
  // it past gc/'s trigger sets k_run_gc on this thread. Owner thread.
  void count_gc_object(int delta) {
    if (m_gc_count.add(delta)) flush_gc_count();
  }
  void flush_gc_count();
  static constexpr int k_gc_count_batch = 64;
  // With the world stopped (the GC): moves this thread's pending delayed references to `out`
  // (each entry's ptr is an Object*). Every thread has passed a safe point (or detached)
  // since they were queued, so their grace period is over; the caller now owns the
  // references. False on out of memory: they stay queued here.
  bool take_delayed_refs_world_stopped(alloc::DeferredQueue* out) {
    return out->adopt(m_delayed_refs);
  }
  // This thread's per-thread counts (local_refs.h), for the GC with the world stopped.
  std::vector<std::int64_t>& local_refs_world_stopped() { return m_local_refs; }
  // Makes this thread's per-thread count array (runtime/local_refs.h) cover `uid`; false on
  // out-of-memory. Owner thread, attached.
  bool grow_local_refs(std::uint64_t uid);

 private:
  friend class Interpreter;
  friend class StopTheWorld;
  friend class Brc;
  ThreadState() = default;
  ~ThreadState() = default;

  void before_park() override;
  void after_park() override;
  void wait_attach();
  void suspend_for_stop();  // Attached -> Suspended at a safe point, then back to Attached
  // Drops the delayed references whose goal is reached, ours and the interpreter's. Owner
  // thread, attached.
  void process_delayed_refs();

  static inline thread_local ThreadState* t_current = nullptr;

  std::atomic<int> m_state{int(TState::Detached)};  // see the transitions above
  std::atomic<std::uint32_t> m_eval_breaker{0};     // any thread sets, owner clears
  ThreadId m_id = 0;
  Interpreter* m_interp = nullptr;
  sync::QsbrThread* m_qsbr = nullptr;
  sync::CriticalSectionStack m_critical_sections;  // owner only
  alloc::ThreadHeaps m_heaps;                      // owner allocates; see alloc/heaps.h
  bool m_detached_by_park = false;                 // owner only: before_park detached us
  alloc::DeferredQueue m_delayed_refs;  // owner only (the GC with the world stopped)
  // Per-thread counts by uid (local_refs.h); t_local_refs points here while attached. Owner
  // only (the GC reads it with the world stopped).
  std::vector<std::int64_t> m_local_refs;
  bool m_local_refs_flushed = false;  // destroy() has flushed them: count in the objects now
  alloc::BatchedCounter<k_gc_count_batch> m_gc_count;  // owner only: see count_gc_object

  // Interpreter's thread-state list; guarded by the runtime's head mutex.
  ThreadState* m_next = nullptr;
  ThreadState* m_prev = nullptr;

  // Biased refcounting: objects other threads queued for this owner to merge. Guarded by the
  // merge-queue bucket's mutex (runtime/brc.h).
  ThreadState* m_brc_next = nullptr;
  Object** m_brc_objects = nullptr;
  std::size_t m_brc_count = 0;
  std::size_t m_brc_capacity = 0;
};

// RAII: detaches the current thread state around a blocking call.
class [[nodiscard]] Detached {
 public:
  explicit Detached(ThreadState* ts) : m_ts(ts) {
    if (m_ts) m_ts->detach();
  }
  ~Detached() {
    if (m_ts) m_ts->attach();
  }
  Detached(const Detached&) = delete;
  Detached& operator=(const Detached&) = delete;

 private:
  ThreadState* m_ts;
};

}  // namespace ftpy::runtime
