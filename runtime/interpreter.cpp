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

void Interpreter::request_quiescence() {
  sync::MutexGuard g(Runtime::get().head());
  for_each_thread_state([](ThreadState* t) {
    if (t->is_attached()) t->request(eval_breaker::k_qsbr_report);
  });
}

}  // namespace ftpy::runtime
