// thread_state.cpp: creating, attaching, detaching and destroying thread states, and the
// safe-point handler. Transitions are described in thread_state.h.
#include "runtime/thread_state.h"

#include <algorithm>
#include <new>

#include "runtime/interpreter.h"
#include "runtime/isolation.h"
#include "runtime/runtime.h"
#include "runtime/wait.h"

namespace ftpy::runtime {

namespace {

// The stop request that covers `interp`, if any. Requires the head mutex.
StwState* active_request(Interpreter* interp) {
  Runtime& rt = Runtime::get();
  if (rt.global_stw().requested.load(std::memory_order_relaxed)) return &rt.global_stw();
  if (interp->stw().requested.load(std::memory_order_relaxed)) return &interp->stw();
  return nullptr;
}

// One thread state in scope of a request has parked. Requires the head mutex.
void count_parked(StwState* stw) {
  FTPY_ASSERT(stw->countdown > 0);
  if (--stw->countdown == 0) stw->stop_event.set();
}

}  // namespace

ThreadState* ThreadState::create(Interpreter* interp, ThreadStatus* status) {
  if (interp->finalizing()) {
    *status = ThreadStatus::Finalizing;
    return nullptr;
  }
  auto* ts = new (std::nothrow) ThreadState;
  if (!ts) {
    *status = ThreadStatus::OutOfMemory;
    return nullptr;
  }
  Runtime& rt = Runtime::get();
  ts->m_id = rt.new_thread_id();
  ts->m_interp = interp;
  isolation_register(ts->m_id, interp->id());
  ts->m_qsbr = interp->qsbr().register_thread();
  if (!ts->m_qsbr || !ts->m_heaps.init(&interp->heaps(), ts->m_qsbr)) {
    if (ts->m_qsbr) interp->qsbr().unregister_thread(ts->m_qsbr);
    delete ts;
    *status = ThreadStatus::OutOfMemory;
    return nullptr;
  }
  interp->brc().add_thread(ts);
  {
    sync::MutexGuard g(rt.head());
    // Created while the world is stopped: born suspended, released when it restarts.
    if (active_request(interp)) ts->m_state.store(int(TState::Suspended), std::memory_order_relaxed);
    ts->m_next = interp->m_threads;
    if (interp->m_threads) interp->m_threads->m_prev = ts;
    interp->m_threads = ts;
  }
  *status = ThreadStatus::Ok;
  return ts;
}

void ThreadState::destroy() {
  FTPY_ASSERT(t_current == this && is_attached());
  FTPY_ASSERT(m_critical_sections.empty());
  Interpreter* interp = m_interp;
  // Leaving the merge queues merges what others queued for us; objects we still own are
  // merged by whoever decrements them next (they will not find us).
  sync::Qsbr::quiescent(m_qsbr);
  process_delayed_refs();
  interp->adopt_delayed_refs(m_delayed_refs);
  // Our per-thread counts go into the objects (from here on this thread counts in the shared
  // field: local_ref_slow finds no array).
  interp->local_refs().flush(m_local_refs);
  std::vector<std::int64_t>().swap(m_local_refs);
  m_local_refs_flushed = true;
  t_local_refs = nullptr;
  t_local_refs_size = 0;
  interp->brc().remove_thread(this);
  sync::Qsbr::quiescent(m_qsbr);
  m_heaps.process_delayed();
  flush_gc_count();
  // Orphan hand-off; leftover delayed frees go to the interpreter.
  m_heaps.fini();
  Runtime& rt = Runtime::get();
  {
    sync::MutexGuard g(rt.head());
    if (m_prev) m_prev->m_next = m_next;
    else interp->m_threads = m_next;
    if (m_next) m_next->m_prev = m_prev;
    // Someone must serve the delayed references we left: every thread's next safe point.
    if (interp->has_adopted_refs())
      for (ThreadState* t = interp->m_threads; t; t = t->m_next)
        t->request(eval_breaker::k_delayed_free);
    // A requester counted us as a thread to stop: we are gone instead.
    StwState* stw = active_request(interp);
    if (stw && stw->requester != this) count_parked(stw);
  }
  interp->qsbr().unregister_thread(m_qsbr);
  t_current = nullptr;
  t_current_tid = 0;
  t_local_refs = nullptr;
  t_local_refs_size = 0;
  sync::set_thread_park_hook(nullptr);
  delete this;
}

void ThreadState::attach() {
  FTPY_ASSERT(t_current == nullptr);
  int expected = int(TState::Detached);
  // acquire: pairs with the release that moved us to Detached (our own detach, or the
  // requester starting the world), so we see what stopped threads' requester did.
  if (!m_state.compare_exchange_strong(expected, int(TState::Attached), std::memory_order_acquire,
                                       std::memory_order_relaxed))
    wait_attach();
  t_current = this;
  t_current_tid = m_id;
  t_local_refs = m_local_refs.data();
  t_local_refs_size = m_local_refs.size();
  sync::set_thread_park_hook(this);
  sync::Qsbr::online(m_qsbr);
  m_critical_sections.resume_top();
}

void ThreadState::wait_attach() {
  for (;;) {
    int s = m_state.load(std::memory_order_acquire);
    if (s == int(TState::Suspended)) {
      // Parked without detaching: this thread is not attached to anything yet.
      sync::parking_lot::park(&m_state, std::uint32_t(s), sizeof(m_state), sync::k_forever);
      continue;
    }
    FTPY_ASSERT(s == int(TState::Detached));
    if (m_state.compare_exchange_weak(s, int(TState::Attached), std::memory_order_acquire,
                                      std::memory_order_relaxed))
      return;
  }
}

void ThreadState::detach() {
  FTPY_ASSERT(t_current == this && is_attached());
  m_critical_sections.suspend_all();
  sync::Qsbr::offline(m_qsbr);
  t_current = nullptr;
  t_current_tid = 0;
  t_local_refs = nullptr;
  t_local_refs_size = 0;
  sync::set_thread_park_hook(nullptr);
  // With no request pending, a plain store: a requester that misses it polls again within
  // a millisecond. With one pending, park straight into Suspended so it need not poll.
  if (Runtime::get().global_stw().requested.load(std::memory_order_acquire) ||
      m_interp->stw().requested.load(std::memory_order_acquire)) {
    sync::MutexGuard g(Runtime::get().head());
    StwState* stw = active_request(m_interp);
    if (stw && stw->requester != this) {
      m_state.store(int(TState::Suspended), std::memory_order_release);
      count_parked(stw);
      return;
    }
  }
  // release: our writes to shared objects are visible to whoever stops the world next.
  m_state.store(int(TState::Detached), std::memory_order_release);
}

void ThreadState::suspend_for_stop() {
  {
    sync::MutexGuard g(Runtime::get().head());
    StwState* stw = active_request(m_interp);
    if (!stw || stw->requester == this) return;  // a stale request bit
    m_critical_sections.suspend_all();
    sync::Qsbr::offline(m_qsbr);
    t_current = nullptr;
    t_current_tid = 0;
    t_local_refs = nullptr;
    t_local_refs_size = 0;
    sync::set_thread_park_hook(nullptr);
    m_state.store(int(TState::Suspended), std::memory_order_release);
    count_parked(stw);
  }
  attach();  // waits until the world restarts
}

void ThreadState::before_park() {
  if (t_current == this && is_attached()) {
    m_detached_by_park = true;
    detach();
  }
}

void ThreadState::after_park() {
  if (m_detached_by_park) {
    m_detached_by_park = false;
    attach();
  }
}

std::uint32_t ThreadState::handle_eval_breaker() {
  using namespace eval_breaker;
  std::uint32_t bits = m_eval_breaker.load(std::memory_order_acquire);
  if (bits & k_stop_world) {
    clear_request(k_stop_world);
    suspend_for_stop();
  }
  if (bits & k_merge_refcounts) {
    clear_request(k_merge_refcounts);
    m_interp->brc().merge_queued(this);
  }
  if (bits & k_delayed_free) {
    // The caller's safe_point() has just reported our quiescent state; other threads report
    // theirs at their own safe points, so the goals here are reached without asking them.
    m_heaps.process_delayed();
    process_delayed_refs();
    if (m_heaps.delayed_pending() == 0 && m_delayed_refs.empty() &&
        !m_interp->has_adopted_refs())
      clear_request(k_delayed_free);
  }
  return m_eval_breaker.load(std::memory_order_relaxed) & ~k_runtime_bits;
}

void ThreadState::drain_delayed(sync::Nanos timeout) {
  FTPY_ASSERT(t_current == this);
  sync::Nanos deadline = sync::deadline_after(timeout);
  sync::Qsbr& qsbr = m_interp->qsbr();
  for (;;) {
    if (safe_point()) handle_eval_breaker();
    if (!(eval_breaker() & eval_breaker::k_delayed_free)) return;
    sync::QsbrSeq goal = qsbr.write_seq();  // no pending goal is later than this
    // Nobody wakes this wait: other threads reach the goal at their safe points (a store in
    // the VM's hot path, no room for an unpark) or by detaching, so it re-checks in bounded
    // timed parks of 50 us, the sleep of the loop it replaced.
    if (!wait_until(nullptr, &qsbr, [&qsbr, goal] { return qsbr.poll(goal); }, 50 * sync::k_us,
                    sync::remaining_until(deadline)))
      return;
  }
}

void ThreadState::flush_gc_count() {
  GcCount& gc = m_interp->gc_count();
  std::int64_t d = m_gc_count.take();
  if (d < 0) {
    // Frees count down, but never below zero: a collection resets the count and then frees
    // its garbage, and a count left at minus the garbage would put the next collection that
    // much further off each time (CPython's gh-142048).
    std::int64_t cur = gc.allocations.load(std::memory_order_relaxed);
    while (cur > 0 && !gc.allocations.compare_exchange_weak(cur, std::max<std::int64_t>(0, cur + d),
                                                            std::memory_order_relaxed)) {
    }
    return;
  }
  std::int64_t now = gc.allocations.fetch_add(d, std::memory_order_relaxed) + d;
  if (now > gc.trigger.load(std::memory_order_relaxed)) request(eval_breaker::k_run_gc);
}

void ThreadState::free_delayed(alloc::Tag tag, void* p) {
  m_heaps.free_delayed(tag, p);
  if (m_heaps.delayed_backlog()) {
    // Still backed up after processing: the goals wait on other threads, which report at
    // their next safe points; retry at each of ours until the queue drains.
    request(eval_breaker::k_delayed_free);
  }
}

bool ThreadState::grow_local_refs(std::uint64_t uid) {
  FTPY_ASSERT(t_current == this);
  if (m_local_refs_flushed) return false;
  if (uid < m_local_refs.size()) return true;
  try {
    m_local_refs.resize(std::max<std::size_t>(uid + 1, m_local_refs.size() * 2), 0);
  } catch (const std::bad_alloc&) {
    return false;
  }
  t_local_refs = m_local_refs.data();
  t_local_refs_size = m_local_refs.size();
  return true;
}

void ThreadState::decref_delayed(Object* o) {
  if (is_immortal(o)) return;
  // The goal is taken after the caller unlinked `o` (advance() is seq_cst), so a reader that
  // reports a quiescent state at or after it no longer holds the uncounted pointer.
  if (!m_delayed_refs.push(o, 0, m_interp->qsbr().advance()))
    return;  // out of memory: the reference leaks (the object lives on), never dropped early
  request(eval_breaker::k_delayed_free);
}

void ThreadState::process_delayed_refs() {
  // A deallocation may queue more (release_ready serves those too once ready).
  auto drop = [](const alloc::Deferred& r) { decref(static_cast<Object*>(r.ptr)); };
  m_delayed_refs.release_ready(m_interp->qsbr(), drop);
  if (m_interp->has_adopted_refs()) {
    // Taken out under the interpreter's mutex, dropped outside it.
    alloc::DeferredQueue ready;
    m_interp->take_ready_adopted_refs(&ready);
    ready.release_all(drop);
  }
}

}  // namespace ftpy::runtime
