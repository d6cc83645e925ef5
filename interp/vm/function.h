// function.h: Python functions, cells and bound methods, and CPython-compatible argument
// binding. A FunctionObject is immutable after MAKE_FUNCTION except its __dict__ and
// defaults (written by the owner thread). A cell's `ref` is read and written with plain
// loads and stores by every thread that runs a closure over it: two threads rebinding one
// nonlocal at once race (the tracker's "nothing crashes ftpy" issue covers it).
#pragma once
#include <cstddef>

#include "interp/compile/code.h"
#include "interp/objects/object.h"

namespace ftpy::interp {

struct FunctionObject {
  Object header;
  CodeObject* code;         // owned
  Value globals;            // owned dict
  TupleObject* defaults;    // owned, may be null
  DictObject* kwdefaults;   // owned, may be null
  TupleObject* closure;     // owned tuple of cells, may be null
  StrObject* name;          // owned
  StrObject* qualname;      // owned
  DictObject* dict;         // owned, may be null (function attributes)
  Value module;             // owned: __module__ (the globals' __name__), may be null
};

struct MethodObject {  // a bound method: func(self, ...)
  Object header;
  Value func;  // owned
  Value self;  // owned
};

inline FunctionObject* as_function(Value v) { return reinterpret_cast<FunctionObject*>(v.obj()); }

// New function from a code object (references borrowed and taken).
Value make_function(CodeObject* code, Value globals);
Value make_cell(Value content);  // content borrowed, may be null
Value make_method(Value func, Value self);

// Binds call arguments into `locals` (the frame's first nlocals slots, all null on entry):
// positional, keyword, defaults, *args, **kwargs, with CPython's TypeError messages. Stores
// new references. -1 on error (the slots filled so far stay for the caller to release).
int bind_arguments(FunctionObject* f, Value* locals, const Value* args, std::size_t nargs,
                   TupleObject* kwnames);

bool init_function_types();

}  // namespace ftpy::interp
