// thread_module.h: the `threading` module and the process's Python threads. Each Python thread
// is an OS thread with its own runtime::ThreadState and VmThread; no global lock exists. The
// native core (thread_module.cpp) starts threads, provides the lock types and thread identity;
// the rest of the module (Thread, Condition, Event, Semaphore, Barrier) is Python source
// compiled on first import, so that user classes can subclass Thread. The registry of running
// threads is guarded by its own leaf mutex; any thread may read it.
#pragma once

#include "interp/object.h"

namespace ftpy::interp {

// Builds the `threading` module (registered as a built-in module factory).
Value create_threading_module();

// At exit, on the main thread with its thread state attached: waits (detached) until every
// non-daemon thread has finished, including ones started while waiting (CPython's threading
// shutdown).
void join_non_daemon_threads();

// Python threads started and not yet finished (daemon threads still running at exit).
long running_thread_count();

}  // namespace ftpy::interp
