// frame_builtins.cpp: super() and __build_class__, the builtins that need the VM's frames.
#include "interp/vm/frame_builtins.h"

#include "interp/compile/code.h"
#include "interp/objects/class.h"
#include "interp/objects/types_internal.h"
#include "interp/vm/function.h"
#include "interp/vm/vm.h"
#include "runtime/local_refs.h"

namespace ftpy::interp {

namespace {

StrObject* g_class_name;  // "__class__", interned at start-up (add_frame_builtins)

// super(type, obj), or super() inside a method: the class from the function's __class__
// cell and the instance from its first argument (or the cell that holds it).
Value super_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (kwnames && kwnames->size) return raise(&g_TypeError, "super() takes no keyword arguments");
  if (nargs == 2) {
    if (!is_type(args[0]))
      return raise_fmt(&g_TypeError, "super() argument 1 must be a type, not {}",
                       type_name(args[0]));
    return make_super(as_type(args[0]), args[1]);
  }
  if (nargs != 0) return raise(&g_TypeError, "super() takes 0 or 2 arguments");
  Frame* f = current_frame();
  if (!f || !f->code) return raise(&g_RuntimeError, "super(): no current frame");
  CodeObject* co = f->code;
  if (co->argcount == 0 && !(co->flags & k_co_varargs))
    return raise(&g_RuntimeError, "super(): no arguments");
  // Counted at once: the next cell_load may wait (a cell's hand-over), and another thread
  // could rebind the cell meanwhile.
  Value first = newref(f->localsplus()[0]);
  for (std::uint32_t i = 0; !first && i < co->ncells; i++)
    if (co->cell2arg && co->cell2arg[i] == 0) {
      Value cell = f->localsplus()[co->nlocals + i];
      if (cell) first = newref(cell_load(cell));
    }
  if (!first) return raise(&g_RuntimeError, "super(): arg[0] deleted");
  Value r = Value::null();
  bool found = false;
  for (std::uint32_t i = 0; i < co->nfree && !found; i++) {
    if (co->freevars[i] != g_class_name) continue;
    found = true;
    Value cell = f->localsplus()[co->nlocals + co->ncells + i];
    Value cls = cell ? newref(cell_load(cell)) : Value::null();
    if (!cls) raise(&g_RuntimeError, "super(): empty __class__ cell");
    else if (!is_type(cls)) raise(&g_RuntimeError, "super(): __class__ is not a type");
    else r = make_super(as_type(cls), first);
    xdecref(cls);
  }
  if (!found) raise(&g_RuntimeError, "super(): __class__ cell not found");
  decref(first);
  return r;
}

Value build_class(Value, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (kwnames && kwnames->size)
    return raise(&g_NotImplementedError,
                 "class keywords (metaclass=...) are not supported by ftpy");
  if (nargs < 2 || !is_function(args[0]))
    return raise(&g_TypeError, "__build_class__: not enough arguments");
  Value ns = make_dict();
  if (!ns) return ns;
  Value bases = make_tuple_from(args + 2, nargs - 2);
  if (!bases) {
    decref(ns);
    return bases;
  }
  Value cell = run_class_body(as_function(args[0]), ns);
  Value cls = Value::null();
  if (cell) {
    cls = make_class(args[1], bases, ns);
    // A class made by module-level code: every instance counts it, from every thread, so it
    // uses per-thread counts (runtime/local_refs.h). Classes made inside functions (often
    // many, short-lived) keep ordinary counts, as CPython keeps nested functions.
    if (Frame* f = current_frame(); cls && f && !f->func) {
      runtime::use_local_refs(cls.obj());
      runtime::use_local_refs(&as_type(cls)->dict->header);
    }
    if (cls && cell.is_object() && cell.obj()->ob_type == &g_cell_type.rt) {
      cell_store(cell, newref(cls));
    }
    decref(cell);
  }
  decref(bases);
  decref(ns);
  return cls;
}


}  // namespace

bool init_frame_builtins() {
  g_class_name = intern("__class__");
  g_super_type.new_ = super_new;
  return g_class_name != nullptr;
}

int add_frame_builtins(Value builtins) {
  Value bc = make_builtin_function("__build_class__", build_class, none());
  if (!bc) return -1;
  int r = dict_setitem_str(builtins, intern("__build_class__"), bc);
  decref(bc);
  return r;
}

}  // namespace ftpy::interp
