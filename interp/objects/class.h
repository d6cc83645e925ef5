// class.h: `type` and `object`, user classes (class statements), instances, super(), the
// special-method slots of user classes and the type attribute cache behind type_lookup.
// Heap types (classes) are built by the thread running the class statement and then shared
// read-mostly: their dict changes only through type_setattr, which bumps the version tags of
// the class and its subclasses so that every cache keyed by a version misses afterwards.
// Version tags, the built-in types' and the classes' alike, come from one process-wide
// counter (next_type_version, from 1) and are never reused:
// when the counter runs out, new tags are 0 and those types are no longer cached. The cache
// is safe for lock-free readers racing a class change (class.cpp says how).
#pragma once
#include <cstdint>

#include "interp/objects/object.h"

namespace ftpy::interp {

// setup_type (types_internal.h) with object's generic slots (getattr with the instance
// dict and descriptors, repr, str, hash, richcompare), and base `object` unless t->base is
// set. For the static types that behave like plain objects (object, type, super, module,
// function, code, ...).
bool init_static_type(TypeObject* t, const char* name, std::size_t size, bool gc,
                      void (*dealloc)(Object*));

// A new version tag for a type (never reused), or 0 once all are used. Any thread.
std::uint32_t next_type_version();
// The type's version tag, assigning one if it has none yet.
std::uint32_t type_version(TypeObject* t);

// Generic attribute access with the instance __dict__ (at InstanceObject::dict) and the
// descriptor protocol; CPython's AttributeError messages.
Value object_generic_getattr(Value self, StrObject* name);
int object_generic_setattr(Value self, StrObject* name, Value value);
// The instance dict slot of `v`'s type, or null when its instances have none.
DictObject** instance_dict_slot(Value v);

// The Python __init__ function (borrowed) that type_call would run on a fresh instance when
// t(...) is a plain allocation followed by that __init__ (a heap type with object's __new__),
// else null. Lets the VM run __init__ in its own loop instead of a nested eval_frame.
Value type_python_init(TypeObject* t);

// `super().name` when it names a Python function found past the super object's class, for
// an instance: the function (borrowed), *self set to the instance (borrowed, kept alive by
// the super object). Else null, no error: the caller takes the generic getattr path. Lets
// LOAD_METHOD call super().__init__(...) without a bound method and a nested eval_frame.
Value super_method(Value super, StrObject* name, Value* self);

// The Python __len__ function (borrowed) behind t's len slot, or null: len(x) runs it as a
// frame of the VM's loop and converts the result as slot_len does.
Value type_python_len(TypeObject* t);

// super(type, obj): the proxy that looks attributes up past `type` in obj's MRO (obj an
// instance or a subclass of type, else TypeError). The no-argument form, which reads the
// running frame, is the VM's (vm/frame_builtins.cpp installs super's constructor).
extern TypeObject g_super_type;
Value make_super(TypeObject* type, Value obj);

// type(name, bases, ns): a new class. bases is a tuple (borrowed), ns a dict (borrowed).
Value make_class(Value name, Value bases, Value ns);

// A bound wrapper around the slot that implements `name` on `owner` (e.g. BaseException's
// init for `super().__init__`), or null (no error) when the slot is absent.
Value slot_wrapper(TypeObject* owner, StrObject* name, Value self);

// The builtins this file provides: super, type and object (types).
int add_class_builtins(Value builtins);

bool init_class_types();

}  // namespace ftpy::interp
