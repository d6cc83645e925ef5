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

void Interpreter::adopt_delayed_refs(std::vector<DelayedRef>& refs) {
  if (refs.empty()) return;
  sync::MutexGuard g(m_adopted_mutex);
  try {
    m_adopted_refs.insert(m_adopted_refs.end(), refs.begin(), refs.end());
  } catch (const std::bad_alloc&) {
    return;  // out of memory: those references leak (the objects live on), never dropped early
  }
  m_has_adopted_refs.store(true, std::memory_order_relaxed);
}

void Interpreter::take_adopted_refs_world_stopped(std::vector<DelayedRef>* out) {
  sync::MutexGuard g(m_adopted_mutex);
  out->insert(out->end(), m_adopted_refs.begin(), m_adopted_refs.end());
  m_adopted_refs.clear();
  m_has_adopted_refs.store(false, std::memory_order_relaxed);
}

std::vector<DelayedRef> Interpreter::take_ready_adopted_refs() {
  std::vector<DelayedRef> ready;
  sync::MutexGuard g(m_adopted_mutex);
  std::size_t kept = 0;
  for (const DelayedRef& r : m_adopted_refs) {
    if (m_qsbr.poll(r.goal)) {
      try {
        ready.push_back(r);
        continue;
      } catch (const std::bad_alloc&) {
      }
    }
    m_adopted_refs[kept++] = r;
  }
  m_adopted_refs.resize(kept);
  m_has_adopted_refs.store(kept != 0, std::memory_order_relaxed);
  return ready;
}

}  // namespace ftpy::runtime
