// modules.h: the built-in modules, one file each: builtins.cpp, sys.cpp, time.cpp, math.cpp,
// gc_module.cpp, os.cpp, threading.cpp (with threading.py) and queue.cpp (with queue.py). Each
// create_NAME builds a fresh module object when `import NAME` first runs; interp_init.cpp
// registers them (vm/import.h) at start-up. Module state that outlives one import is named in
// the module's own file, with the thread that writes it.
#pragma once
#include <string>
#include <vector>

#include "interp/objects/object.h"

namespace ftpy::interp {

// Fills the builtins module's namespace (print, len, range, the exception classes, ...).
int init_builtins_module(Value dict);

Value create_sys();
Value create_time();
Value create_math();
Value create_gc();
Value create_os();
Value create_threading_module();
Value create_queue_module();

// The static types of sys (its stream objects). Start-up, before any import.
bool init_sys_types();
// Sets sys.argv (call before running the main script).
int set_sys_argv(const std::vector<std::string>& argv);

// threading's shutdown, on the main thread after __main__ ends: waits, detached, until every
// non-daemon thread has finished (threading.py's _shutdown in CPython).
void join_non_daemon_threads();
// Threads started by threading and not yet finished, daemon or not.
long running_thread_count();

}  // namespace ftpy::interp
