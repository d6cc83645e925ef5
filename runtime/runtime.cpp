// runtime.cpp: the process-wide Runtime: interpreter creation and destruction.
#include "runtime/runtime.h"

#include <new>

#include "runtime/thread_state.h"

namespace ftpy::runtime {

Runtime& Runtime::get() {
  static Runtime* rt = new Runtime;  // never destroyed: daemon threads may outlive main()
  return *rt;
}

Runtime::Runtime() { alloc::register_object_block_ops(object_block_ops()); }

InterpStatus Runtime::init_main() {
  if (m_main) return InterpStatus::Ok;
  InterpStatus st;
  m_main = create_interpreter(&st);
  return st;
}

Interpreter* Runtime::create_interpreter(InterpStatus* status) {
  auto* interp = new (std::nothrow) Interpreter;
  if (!interp) {
    *status = InterpStatus::OutOfMemory;
    return nullptr;
  }
  switch (interp->m_heaps.init(&interp->m_qsbr)) {
    case alloc::ArenaStatus::Ok:
      break;
    case alloc::ArenaStatus::Exhausted:
      delete interp;
      *status = InterpStatus::NoArena;
      return nullptr;
    case alloc::ArenaStatus::OutOfMemory:
      delete interp;
      *status = InterpStatus::OutOfMemory;
      return nullptr;
  }
  interp->m_id = m_next_interp_id.fetch_add(1, std::memory_order_relaxed);
  {
    sync::MutexGuard g(m_head);
    interp->m_next = m_interps;
    m_interps = interp;
  }
  *status = InterpStatus::Ok;
  return interp;
}

void Runtime::destroy_interpreter(Interpreter* interp) {
  {
    sync::MutexGuard g(m_head);
    FTPY_ASSERT(interp->m_threads == nullptr);
    Interpreter** p = &m_interps;
    while (*p != interp) p = &(*p)->m_next;
    *p = interp->m_next;
  }
  if (interp == m_main) m_main = nullptr;
  interp->m_heaps.fini();
  delete interp;
}

int Runtime::interpreter_count() {
  sync::MutexGuard g(m_head);
  int n = 0;
  for_each_interpreter([&](Interpreter*) { n++; });
  return n;
}

const char* to_string(InterpStatus s) {
  switch (s) {
    case InterpStatus::Ok: return "ok";
    case InterpStatus::OutOfMemory: return "out of memory";
    case InterpStatus::NoArena:
      static_assert(alloc::arena_pool::k_max_arenas == 60, "the message states the limit");
      return "no free arena: at most 60 interpreters can be alive at once";
  }
  return "?";
}

}  // namespace ftpy::runtime
