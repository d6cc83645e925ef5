// import.h: `import name` for the built-in modules. The table of built-in module factories is
// filled at start-up, before a second thread exists, and only read afterwards; sys.modules is
// the interpreter's dict (VmInterp::modules), written through the dict's own locking.
#pragma once
#include "interp/objects/object.h"

namespace ftpy::interp {

// Registers a built-in module: `create` builds it on first import. Call before any import
// runs.
using ModuleFactory = Value (*)();
void register_builtin_module(const char* name, ModuleFactory create);
// `import name`: sys.modules, else a built-in module, else ModuleNotFoundError. A dotted name
// ("concurrent.interpreters") imports its package first and is bound as an attribute of it.
Value import_module(StrObject* name);
// `from package import name` when the package has no such attribute: the submodule
// package.name if there is one (imported now if need be), else null. An error while
// importing it is left set; null with none set means "no such submodule".
Value import_submodule(Value package, StrObject* name);
// Compiles `source` (a built-in module written in the Python subset, named `<frozen NAME>` in
// tracebacks) and runs it in module m's namespace. Consumes m: returns it, or null with an
// exception set (a SyntaxError in the source becomes RuntimeError).
Value run_frozen_module(Value m, const char* name, const char* source);

}  // namespace ftpy::interp
