// interpreter.h: Interpreter, one isolated Python world (DESIGN.md, "Interpreters"): its
// thread states, merge queues, QSBR domain, heaps (with its own Gc arena), stop-the-world
// state, GC state and finalization flag. Nothing but immortal objects is shared with another
// interpreter.
//
// The thread-state list (m_threads) and m_stw are guarded by the runtime's head mutex; the
// GC's state and policy are gc/'s (gc/state.h): the runtime keeps only the count it batches.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "alloc/deferred.h"
#include "alloc/heaps.h"
#include "runtime/brc.h"
#include "runtime/local_refs.h"
#include "runtime/object.h"
#include "runtime/stop_the_world.h"
#include "sync/qsbr.h"

namespace ftpy::runtime {

class ThreadState;

enum class InterpStatus { Ok, OutOfMemory, NoArena };

// What the runtime keeps for the collector, which lives in gc/ (above runtime/) with its
// policy and statistics (gc/state.h). Threads count their Gc-heap allocations (net of frees)
// locally and add them to `allocations` in batches (ThreadState::count_gc_object); the batch
// that takes the count past `trigger` asks its own thread to collect (eval_breaker::k_run_gc).
// gc/ writes `trigger` from its policy whenever an input of it changes and resets
// `allocations` when it collects; the runtime only compares (a lower layer sets a flag, the
// higher one decides). Both relaxed: a stale value moves a request by one batch at most.
struct GcCount {
  static constexpr std::int64_t k_never = INT64_MAX;
  std::atomic<std::int64_t> allocations{0};    // net Gc allocations since the last collection
  std::atomic<std::int64_t> trigger{k_never};  // none is asked for until gc/ arms it
};

class Interpreter {
 public:
  std::int64_t id() const { return m_id; }
  Brc& brc() { return m_brc; }
  LocalRefTable& local_refs() { return m_local_refs; }
  // True when the interpreter has exactly one thread state (takes the head mutex).
  bool single_threaded();
  // Delayed references left by destroyed thread states (see ThreadState::decref_delayed);
  // `refs` is left empty (on out of memory its references leak: never dropped early).
  void adopt_delayed_refs(alloc::DeferredQueue& refs);
  bool has_adopted_refs() const { return m_has_adopted_refs.load(std::memory_order_relaxed); }
  // Moves those whose goal is reached to `out`, for the caller to drop.
  void take_ready_adopted_refs(alloc::DeferredQueue* out);
  // Moves all of them to `out` (the GC, with the world stopped: every grace period is over).
  void take_adopted_refs_world_stopped(alloc::DeferredQueue* out);
  alloc::InterpHeaps& heaps() { return m_heaps; }
  sync::Qsbr& qsbr() { return m_qsbr; }
  GcCount& gc_count() { return m_gc_count; }
  StwState& stw() { return m_stw; }
  bool finalizing() const { return m_finalizing.load(std::memory_order_acquire); }
  void set_finalizing() { m_finalizing.store(true, std::memory_order_release); }

  // Number of thread states (takes the head mutex).
  int thread_count();
  // Calls fn(ThreadState*) for each thread state. Requires the head mutex or the world
  // stopped.
  template <class F>
  void for_each_thread_state(F&& fn) {
    for (ThreadState* t = m_threads; t; t = next_of(t)) fn(t);
  }
  // Calls fn(Object*) once for every tracked GC object of this interpreter: the Gc heaps of
  // its thread states plus the orphans of exited ones. Requires (and asserts) that the
  // interpreter's world is stopped: other threads' heaps are read without their owners.
  template <class F>
  void visit_gc_objects_world_stopped(F&& fn) {
    FTPY_ASSERT(world_is_stopped(this));
    m_heaps.visit_gc_world_stopped([&](void* block) { fn(static_cast<Object*>(block)); });
  }

  // Opaque slot for the layers above (gc/, interp/): their per-interpreter state. Written once
  // by the thread that starts the interpreter, before any other thread state of it exists.
  void* m_upper_state = nullptr;
  // gc/'s per-interpreter state (gc::GcState), written by gc::init_interpreter at start-up.
  void* m_gc_state = nullptr;

 private:
  friend class Runtime;
  friend class ThreadState;
  friend class StopTheWorld;
  friend bool world_is_stopped(Interpreter*);
  Interpreter() = default;
  ~Interpreter() = default;
  static ThreadState* next_of(ThreadState* t);

  std::int64_t m_id = 0;
  sync::Qsbr m_qsbr;
  LocalRefTable m_local_refs;
  sync::RankedMutex m_adopted_mutex{sync::LockRank::AdoptedRefs};
  alloc::DeferredQueue m_adopted_refs FTPY_GUARDED_BY(m_adopted_mutex);
  // Written under m_adopted_mutex; read without it (relaxed) as a hint by safe points, which
  // then take the mutex: a stale false only delays the references to a later safe point.
  std::atomic<bool> m_has_adopted_refs{false};
  alloc::InterpHeaps m_heaps;
  Brc m_brc;
  GcCount m_gc_count;
  StwState m_stw;
  std::atomic<bool> m_finalizing{false};
  ThreadState* m_threads = nullptr;  // guarded by the runtime's head mutex
  Interpreter* m_next = nullptr;     // runtime's list, guarded by its head mutex
};

}  // namespace ftpy::runtime
