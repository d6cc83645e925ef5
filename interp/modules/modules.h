// modules.h: the built-in modules, one file each: builtins.cpp, sys.cpp, time.cpp, math.cpp,
// gc_module.cpp, os.cpp, threading.cpp (with threading.py), queue.cpp (with queue.py) and
// interpreters.cpp (with interpreters.py). Each
// create_NAME builds a fresh module object when `import NAME` first runs; interp_init.cpp
// registers them (vm/import.h) at start-up. Module state that outlives one import is named in
// the module's own file, with the thread that writes it.
#pragma once
#include <string>
#include <vector>

#include "interp/objects/object.h"
#include "interp/objects/vm_state.h"
#include "sync/clock.h"

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

// The static types of sys (its stream objects) and of threading (Lock, RLock, the thread
// handle). Start-up, before any import: a static type's dict is immortal, so it must not be
// built in a subinterpreter's heaps.
bool init_sys_types();
bool init_threading_types();
// Sets sys.argv (call before running the main script).
int set_sys_argv(const std::vector<std::string>& argv);

// threading's shutdown, after __main__ ends or when a subinterpreter closes: waits, detached,
// until every non-daemon thread of interpreter `vi` has finished (threading.py's _shutdown in
// CPython).
void join_non_daemon_threads(VmInterp* vi);
// Threads started by threading and not yet finished, daemon or not: of interpreter `vi`, or
// of every interpreter when vi is null.
long running_thread_count(const VmInterp* vi = nullptr);

// Timeout arguments of the blocking calls (threading.cpp; interpreters.cpp's queues too): a
// number of seconds (int or float), false with TypeError otherwise; and seconds to sync/'s
// convention (<= 0: do not wait; NaN or past 9.2e9: for ever).
bool seconds_arg(Value v, double* out);
sync::Nanos seconds_to_nanos(double secs);

// `interpreters` and `concurrent.interpreters` (interpreters.cpp with interpreters.py), and
// the `concurrent` package that holds the second name. init_interpreters_types: the module's
// static types and exceptions, once per process at start-up.
bool init_interpreters_types();
Value create_interpreters_module();
Value create_concurrent_package();

}  // namespace ftpy::interp
