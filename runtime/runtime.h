// runtime.h: Runtime, the process: its interpreters, the main interpreter, the thread-id
// counter, and the global stop-the-world state.
//
// m_head guards the interpreter list, every interpreter's thread-state list and every
// StwState (CPython's HEAD_LOCK); it is held only for short, non-blocking work. m_stw_mutex
// serialises stop-the-world requests. Lock order: m_stw_mutex > m_head > merge-queue buckets.
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime/interpreter.h"
#include "runtime/object.h"
#include "runtime/stop_the_world.h"
#include "sync/mutex.h"

namespace ftpy::runtime {

class Runtime {
 public:
  static Runtime& get();

  // Creates the main interpreter (once). Ok, OutOfMemory or NoArena.
  InterpStatus init_main();
  Interpreter* main_interpreter() const { return m_main; }

  // A new interpreter, or nullptr with *status = OutOfMemory / NoArena ("no free arena": at
  // most alloc::arena_pool::k_max_arenas interpreters can be alive at once).
  Interpreter* create_interpreter(InterpStatus* status);
  // Destroys an interpreter with no thread states left; its arena goes back to the pool if
  // no block is live in it.
  void destroy_interpreter(Interpreter* interp);

  ThreadId new_thread_id() { return m_next_tid.fetch_add(1, std::memory_order_relaxed); }
  int interpreter_count();

  sync::RankedMutex& head() FTPY_RETURN_CAPABILITY(m_head) { return m_head; }
  StwState& global_stw() { return m_stw; }

  template <class F>
  void for_each_interpreter(F&& fn) FTPY_REQUIRES(m_head) {
    for (Interpreter* i = m_interps; i; i = i->m_next) fn(i);
  }

 private:
  friend class StopTheWorld;
  friend StwStats stw_stats(Interpreter*);
  Runtime();

  std::atomic<ThreadId> m_next_tid{1};  // 0 means "no owner"
  std::atomic<std::int64_t> m_next_interp_id{0};
  sync::RankedMutex m_head{sync::LockRank::Head};
  sync::RankedMutex m_stw_mutex{sync::LockRank::StopTheWorld};
  StwState m_stw;                     // global requests; guarded by m_head
  Interpreter* m_interps FTPY_GUARDED_BY(m_head) = nullptr;
  Interpreter* m_main = nullptr;      // set once by init_main
};

const char* to_string(InterpStatus s);

}  // namespace ftpy::runtime
