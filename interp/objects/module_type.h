// module_type.h: module objects: a name and a namespace dict, read by every thread. A
// module's dict is written while the module is built and later by its own code (any thread,
// through the dict's own locking). Built-in modules are put together with module_set and
// module_add_functions; import itself is the VM's (vm/import.h).
#pragma once
#include <string_view>

#include "interp/objects/object.h"

namespace ftpy::interp {

// A new module named `name` with an empty dict holding __name__.
Value make_module(std::string_view name);
// The module's namespace (borrowed).
Value module_dict(Value module);
// Binds `name` to v in the module; steals v, which may be null (a failed constructor): then
// -1, as for any failure, with the exception set.
int module_set(Value module, const char* name, Value v);
// Binds a builtin function per row of `defs` (ending with {nullptr, nullptr}).
int module_add_functions(Value module, const NativeMethodDef* defs);
// make_module(name) with the functions of `defs` bound: a built-in module's usual start.
Value make_native_module(std::string_view name, const NativeMethodDef* defs);

// Called when a thread is about to start running code of the module whose namespace is
// `globals`: the module's data becomes shared data, so the objects bound in it, their items
// (lists, tuples, dicts) and class attributes, if owned by the calling thread, switch to
// per-thread reference counts (runtime/local_refs.h: a thread reading them does not write
// the owner's cache line). Bounded: at most k_share_limit objects per call.
void share_module_data(Value globals);

bool init_module_type();

}  // namespace ftpy::interp
