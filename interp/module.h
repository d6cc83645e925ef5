// module.h: module objects and the built-in modules (sys, time, math, gc), and import.
// A module's dict is written while the module is built and later by its own code (any thread,
// through the dict's own locking); the table of built-in module factories is filled at
// start-up, before a second thread exists, and only read afterwards.
#pragma once
#include <string>
#include <vector>

#include "interp/object.h"

namespace ftpy::interp {

// A new module named `name` with an empty dict holding __name__.
Value make_module(std::string_view name);

// Registers a built-in module: `create` builds it on first import (later issues add
// threading, queue, os this way). Call before any import runs.
using ModuleFactory = Value (*)();
void register_builtin_module(const char* name, ModuleFactory create);

// `import name`: sys.modules, else a built-in module, else ModuleNotFoundError.
Value import_module(StrObject* name);

// Sets sys.argv (call before running the main script).
int set_sys_argv(const std::vector<std::string>& argv);

// Called when a thread is about to start running code of the module whose namespace is
// `globals`: the module's data becomes shared data, so the objects bound in it, their items
// (lists, tuples, dicts) and class attributes, if owned by the calling thread, switch to
// per-thread reference counts (runtime/local_refs.h: a thread reading them does not write
// the owner's cache line). Bounded: at most k_share_limit objects per call.
void share_module_data(Value globals);

// Compiles `source` (a built-in module written in the Python subset, named `<frozen NAME>` in
// tracebacks) and runs it in module m's namespace. Consumes m: returns it, or null with an
// exception set (a SyntaxError in the source becomes RuntimeError).
Value run_frozen_module(Value m, const char* name, const char* source);

bool init_module_types();
// Registers sys, time, math and gc.
void register_core_modules();

}  // namespace ftpy::interp
