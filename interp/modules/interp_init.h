// interp_init.h: start-up and shutdown of the language on the main thread.
// interp_start runs once per process on the main thread: it creates the runtime's main
// interpreter and thread state, attaches it, builds the types, the builtins and sys.modules,
// and returns the VM's per-thread state. Nothing here may run concurrently with itself;
// interp_join_threads and interp_finish run on the main thread only.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "interp/objects/vm_state.h"

namespace ftpy::interp {

// Brings the language up on the calling (main) thread; null on failure (message on stderr).
VmThread* interp_start();

// The main interpreter's language state (null before interp_start).
VmInterp* main_vm_interp();

// Builds the language state an interpreter starts with: its builtins dict, sys.modules and
// __main__ (in sys.modules, with __builtins__). On a thread state of that interpreter,
// attached; false with an exception set (out of memory).
bool interp_init_state(VmInterp* vi);
// Drops all of it: every module's namespace, sys.modules, the builtins, __main__, threading's
// main Thread. What the interpreter's code built becomes garbage (cycles are the collector's).
// On a thread state of that interpreter, attached, with no other thread running in it.
void interp_clear_state(VmInterp* vi);

// Runs `text` as the __main__ module named `filename`. Returns the process exit status:
// 0, 1 after an uncaught exception or a SyntaxError (report on stderr), or SystemExit's code.
int run_main_source(std::string filename, std::string text, bool dis = false);

// After __main__ has ended (normally, by an uncaught exception or by sys.exit), as CPython's
// threading shutdown does: waits, detached, until every non-daemon thread has finished; then
// closes the subinterpreters left open (each waits for its own threads).
void interp_join_threads();

// Prints the main interpreter's collector and stop-the-world figures (gc::print_stats).
// Main thread, attached.
void interp_print_stats(std::FILE* out);

// Flushes the standard streams and detaches the main thread (objects are not all freed).
// Returns true when daemon threads are still running: the caller must then end the process
// with _exit, so that no static destructor runs under them.
bool interp_finish();

}  // namespace ftpy::interp
