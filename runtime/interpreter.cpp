// interpreter.cpp: per-interpreter helpers (creation and destruction are the Runtime's).
#include "runtime/interpreter.h"

#include <new>

#include "runtime/runtime.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

ThreadState* Interpreter::next_of(ThreadState* t) { return t->m_next; }

int Interpreter::thread_count() {
  sync::MutexGuard g(Runtime::get().head());
  int n = 0;
  for_each_thread_state([&](ThreadState*) { n++; });
  return n;
}

bool Interpreter::single_threaded() {
  sync::MutexGuard g(Runtime::get().head());
  return m_threads && !m_threads->m_next;
}

void Interpreter::adopt_delayed_refs(alloc::DeferredQueue& refs) {
  if (refs.empty()) return;
  {
    sync::MutexGuard g(m_adopted_mutex);
    if (m_adopted_refs.adopt(refs)) m_has_adopted_refs.store(true, std::memory_order_relaxed);
  }
  // Out of memory: those references leak (the objects live on), never dropped early.
  refs.release_all([](const alloc::Deferred&) {});
}

void Interpreter::take_adopted_refs_world_stopped(alloc::DeferredQueue* out) {
  sync::MutexGuard g(m_adopted_mutex);
  // Out of memory: they stay here, to be dropped at a later safe point.
  if (!out->adopt(m_adopted_refs)) return;
  m_adopted_refs.trim();
  m_has_adopted_refs.store(false, std::memory_order_relaxed);
}

void Interpreter::take_ready_adopted_refs(alloc::DeferredQueue* out) {
  sync::MutexGuard g(m_adopted_mutex);
  // Out of memory: nothing moves; a later safe point tries again.
  (void)m_adopted_refs.take_ready(m_qsbr, out);
  m_adopted_refs.trim();
  m_has_adopted_refs.store(!m_adopted_refs.empty(), std::memory_order_relaxed);
}

}  // namespace ftpy::runtime
