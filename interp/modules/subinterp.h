// subinterp.h: interpreters beside the main one, as the language sees them (DESIGN.md,
// "Interpreters"): creating one, running source in it on the calling OS thread, binding values
// in its __main__, and closing it. The `interpreters` module (interpreters.cpp) is the Python
// face of these; the tests call them directly.
//
// Registry: every live interpreter has an entry, found by id (the runtime's: the main
// interpreter is 0). An entry's `running` (an exec is in progress), `users` (threads inside
// it for exec or prepare_main) and `closing` flags are read and written under the registry
// mutex (rank Interpreters), which is held for nothing else. close() refuses an interpreter
// that is running or in use; an interpreter being closed is no longer found. The main
// interpreter counts as always running (its __main__ is), so it is never exec'd into nor
// closed from here.
//
// Switching (InterpSwitch): the calling OS thread detaches its thread state in its current
// interpreter, then creates and attaches a thread state of the target, used for the whole
// call and destroyed at its end, when the first one is attached again. While the thread is
// away its first thread state is Detached, so the interpreter it came from never waits for it
// (stop-the-world, QSBR). Nothing of either interpreter's objects crosses: values go as
// XiData (crossinterp.h), exceptions as an ExcSnapshot of strings.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interp/modules/crossinterp.h"
#include "interp/objects/vm_state.h"

namespace ftpy::interp {

// The module's exceptions, static types shared by every interpreter (interpreters.cpp).
extern TypeObject g_InterpreterError, g_InterpreterNotFoundError, g_NotShareableError,
    g_QueueError, g_QueueEmpty, g_QueueFull;

enum class XiStatus {
  Ok,
  Failed,    // the code raised (SystemExit too): see the ExcSnapshot
  NotFound,  // no interpreter has that id (never created, or closed)
  Running,   // it is running code (exec) or in use by another thread
  Current,   // close(): it is the calling thread's own interpreter
  Main,      // close(): the main interpreter is closed only by the process ending
  NoMemory,
  NoArena,   // every Gc arena is leased (alloc/arena_pool.h)
};

// An exception that escaped exec, as strings: its class name, str() of it, and the text
// CPython would print for it uncaught (traceback and last line, no final newline).
struct ExcSnapshot {
  std::string type;
  std::string msg;
  std::string formatted;
};

// Runs the calling OS thread in `target` for the scope's duration (see the top). With the
// calling thread already in target it does nothing. ok() false: no thread state could be
// made (out of memory, or the interpreter is finalizing); the thread is back where it was.
class [[nodiscard]] InterpSwitch {
 public:
  explicit InterpSwitch(VmInterp* target);
  ~InterpSwitch();
  InterpSwitch(const InterpSwitch&) = delete;
  InterpSwitch& operator=(const InterpSwitch&) = delete;
  bool ok() const { return m_ok; }

 private:
  VmThread* m_outer;
  VmThread* m_inner = nullptr;
  bool m_ok = false;
};

// Enters the main interpreter in the registry (interp_start, once). False on out of memory.
bool interp_register_main(VmInterp* vi);
// A new interpreter (its own heaps and Gc arena, collector, builtins, sys.modules and
// __main__): Ok with *id set, NoMemory or NoArena. Any thread, attached or not.
XiStatus interp_create(std::int64_t* id);
// Runs `source` (named "<string>") in interpreter id's __main__ on the calling thread.
XiStatus interp_exec(std::int64_t id, std::string_view source, ExcSnapshot* exc);
// Binds each name to its value, built in interpreter id, in that interpreter's __main__.
XiStatus interp_prepare_main(std::int64_t id, std::vector<std::pair<std::string, XiData>>* items);
// Waits for the interpreter's non-daemon threads, drops its modules and __main__, collects
// its garbage and destroys it (its arena goes back to the pool).
XiStatus interp_close(std::int64_t id);
// Ok (*running set) or NotFound.
XiStatus interp_is_running(std::int64_t id, bool* running);
// The ids of the live interpreters, ascending (the main one first).
std::vector<std::int64_t> interp_list();
// Closes every subinterpreter left at the end of the process that is not running, in id order.
void interp_close_all();

}  // namespace ftpy::interp
