// interpreter.cpp: per-interpreter helpers (creation and destruction are the Runtime's).
#include "runtime/interpreter.h"

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

}  // namespace ftpy::runtime
