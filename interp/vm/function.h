// function.h: Python functions, cells and bound methods, and CPython-compatible argument
// binding. A FunctionObject is immutable after MAKE_FUNCTION except its __dict__ and
// defaults (written by the owner thread).
// Cells follow the container protocol (objects/containers.h), as a one-slot container: any
// thread reads `ref` lock-free (cell_load: an acquire load, counted before the next safe
// point); the owner rebinds an unshared cell with a plain store and releases the old value at
// once; once another thread has touched it, every write holds the cell's critical section and
// the old value is released through QSBR, so a racing reader never counts a freed object.
#pragma once
#include <cstddef>

#include "interp/compile/code.h"
#include "interp/objects/containers.h"
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

// The cell's content, borrowed (null: empty); count it before the next safe point.
inline Value cell_load(Value cell) {
  auto* c = reinterpret_cast<CellObject*>(cell.obj());
  ensure_shared(&c->header);
  return slot_load(&c->ref);
}
// Rebinds (or, with v null, empties) a cell, taking v's reference: see the top of the file.
void cell_store_locked(Value cell, Value v);
inline void cell_store(Value cell, Value v) {
  auto* c = reinterpret_cast<CellObject*>(cell.obj());
  if (biased(&c->header)) {
    Value old = c->ref;
    c->ref = v;
    xdecref(old);
    return;
  }
  cell_store_locked(cell, v);
}
Value make_method(Value func, Value self);

// Binds call arguments into `locals` (the frame's first nlocals slots, all null on entry):
// positional, keyword, defaults, *args, **kwargs, with CPython's TypeError messages. Stores
// new references. -1 on error (the slots filled so far stay for the caller to release).
int bind_arguments(FunctionObject* f, Value* locals, const Value* args, std::size_t nargs,
                   TupleObject* kwnames);

bool init_function_types();

}  // namespace ftpy::interp
