// stop_the_world.cpp: the requester's side of stopping and starting the world (the parked
// threads' side is ThreadState::suspend_for_stop / detach / attach).
#include "runtime/stop_the_world.h"

#include <new>

#include "runtime/interpreter.h"
#include "runtime/runtime.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

namespace {

template <class F>
void for_each_in_scope(Runtime& rt, Interpreter* only, F&& fn) FTPY_REQUIRES(rt.head()) {
  if (only) {
    only->for_each_thread_state(fn);
  } else {
    rt.for_each_interpreter([&](Interpreter* i) { i->for_each_thread_state(fn); });
  }
}

}  // namespace

// Moves Detached thread states to Suspended and asks Attached ones to stop. Requires head
// (said here: the header cannot name it, Runtime is incomplete there).
// Returns true when every thread in scope has parked.
bool StopTheWorld::park_detached(Runtime& rt, Interpreter* only, StwState& stw)
    FTPY_REQUIRES(rt.head()) {
  int parked = 0;
  for_each_in_scope(rt, only, [&](ThreadState* t) {
    if (t == stw.requester) return;
    int s = t->m_state.load(std::memory_order_relaxed);
    if (s == int(TState::Detached)) {
      // acquire: the thread's work before it detached happens before ours.
      if (t->m_state.compare_exchange_strong(s, int(TState::Suspended),
                                             std::memory_order_acquire,
                                             std::memory_order_relaxed))
        parked++;
    } else if (s == int(TState::Attached)) {
      t->request(eval_breaker::k_stop_world);
    }
  });
  stw.countdown -= parked;
  FTPY_ASSERT(stw.countdown >= 0);
  return stw.countdown == 0;
}

StopTheWorld::StopTheWorld(Interpreter* interp) : m_interp(interp) {
  Runtime& rt = Runtime::get();
  StwState& stw = interp ? interp->m_stw : rt.m_stw;
  // Another request may be in force: wait for it like any thread (detached, so it can stop
  // us too).
  rt.m_stw_mutex.lock(sync::LockFlags::Detach);
  sync::Nanos t0 = sync::monotonic_ns();
  rt.m_head.lock();
  stw.requested.store(true, std::memory_order_release);
  stw.requester = ThreadState::current();
  stw.countdown = 0;
  stw.stop_event.reset();
  for_each_in_scope(rt, interp, [&](ThreadState* t) {
    if (t != stw.requester) stw.countdown++;
  });
  for (;;) {
    bool all = park_detached(rt, interp, stw);
    rt.m_head.unlock();
    if (all) break;
    // Attached threads park at their next safe point and the last one sets the event; the
    // timeout covers threads that detached without seeing the request.
    if (stw.stop_event.wait_for(sync::k_ms)) break;
    rt.m_head.lock();
  }
  stw.world_stopped = true;
  sync::Nanos took = sync::monotonic_ns() - t0;
  stw.stats.requests++;
  stw.stats.total_stop_ns += took;
  stw.stats.last_stop_ns = took;
  if (took > stw.stats.max_stop_ns) stw.stats.max_stop_ns = took;
  if (stw.stats.samples.size() < StwStats::k_max_samples) {
    try {
      stw.stats.samples.push_back(took);
    } catch (const std::bad_alloc&) {
      // The sample is lost; the request itself is unaffected.
    }
  }
}

StopTheWorld::StopTheWorld(All) : StopTheWorld(static_cast<Interpreter*>(nullptr)) {}

StopTheWorld::~StopTheWorld() {
  Runtime& rt = Runtime::get();
  StwState& stw = m_interp ? m_interp->m_stw : rt.m_stw;
  {
    sync::MutexGuard g(rt.m_head);
    FTPY_ASSERT(stw.world_stopped);
    stw.world_stopped = false;
    stw.requested.store(false, std::memory_order_release);
    for_each_in_scope(rt, m_interp, [&](ThreadState* t) {
      if (t == stw.requester) return;
      FTPY_ASSERT(t->m_state.load(std::memory_order_relaxed) == int(TState::Suspended));
      // release: pairs with the parked thread's acquire in attach().
      t->m_state.store(int(TState::Detached), std::memory_order_release);
      sync::parking_lot::unpark_all(&t->m_state);
    });
    stw.requester = nullptr;
  }
  rt.m_stw_mutex.unlock();
}

StwStats stw_stats(Interpreter* interp) {
  Runtime& rt = Runtime::get();
  // The requester writes the stats while it holds the stop-the-world mutex.
  rt.m_stw_mutex.lock(sync::LockFlags::Detach);
  StwStats copy = interp ? interp->stw().stats : rt.m_stw.stats;
  rt.m_stw_mutex.unlock();
  return copy;
}

bool world_is_stopped(Interpreter* interp) {
  Runtime& rt = Runtime::get();
  sync::MutexGuard g(rt.head());
  return rt.global_stw().world_stopped || (interp && interp->m_stw.world_stopped);
}

}  // namespace ftpy::runtime
