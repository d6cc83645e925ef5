// exceptions.cpp: the Tier 1 exception hierarchy as static types, and exception instances
// (ExceptionObject: args tuple, attribute dict, traceback). Instances are GC objects built on
// their creating thread; user subclasses reuse new_/dealloc here, so new_ allocates the
// subclass's instance_size and holds a reference to a heap type (dropped in dealloc).
// str(e) and repr(e) follow CPython's BaseException_str/_repr (KeyError's str is the repr).
#include <string>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_BaseException, g_Exception, g_ArithmeticError, g_ZeroDivisionError,
    g_OverflowError, g_ValueError, g_TypeError, g_LookupError, g_KeyError, g_IndexError,
    g_AttributeError, g_NameError, g_UnboundLocalError, g_RuntimeError, g_RecursionError,
    g_NotImplementedError, g_StopIteration, g_AssertionError, g_ImportError,
    g_ModuleNotFoundError, g_MemoryError, g_SystemExit, g_KeyboardInterrupt,
    g_PythonFinalizationError, g_SyntaxError, g_IndentationError, g_UnicodeError,
    g_SystemError;

extern Value g_memory_error_instance;
Value g_empty_args;  // (), kept for the args of fresh MemoryErrors

namespace {

ExceptionObject* as_exc(Value v) { return reinterpret_cast<ExceptionObject*>(v.obj()); }

// An exception object, or null with nothing raised.
Value exc_alloc_quiet(TypeObject* type, Value args_tuple) {
  std::size_t size = type->instance_size;
  if (size < sizeof(ExceptionObject)) size = sizeof(ExceptionObject);
  Object* o = runtime::alloc_object(&type->rt, size);
  if (!o) return Value::null();
  if (type->tp_flags & k_tp_heaptype) runtime::incref(&type->header);
  auto* e = reinterpret_cast<ExceptionObject*>(o);
  incref(args_tuple);
  e->args = as_tuple(args_tuple);
  runtime::gc_track(o);
  return Value::from(o);
}

Value exc_alloc(TypeObject* type, Value args_tuple) {
  Value e = exc_alloc_quiet(type, args_tuple);
  return e ? e : raise_no_memory();
}

// Keyword arguments are ignored here (CPython's BaseException_new): a subclass __init__ may
// take them; BaseException's own init rejects them.
Value exc_new(TypeObject* type, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  Value t = make_tuple_from(args, nargs - (kwnames ? kwnames->size : 0));
  if (!t) return t;
  Value e = exc_alloc(type, t);
  decref(t);
  return e;
}

int exc_init(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (kwnames && kwnames->size) {
    raise_fmt(&g_TypeError, "{}() takes no keyword arguments", type_name(self));
    return -1;
  }
  Value t = make_tuple_from(args, nargs);
  if (!t) return -1;
  ExceptionObject* e = as_exc(self);
  Value old = Value::from(&e->args->header);
  e->args = as_tuple(t);
  decref(old);
  return 0;
}

void exc_dealloc(Object* o) {
  auto* e = reinterpret_cast<ExceptionObject*>(o);
  runtime::gc_untrack(o);
  TypeObject* type = type_from_rt(o->ob_type);
  if (e->dict) decref(Value::from(&e->dict->header));
  if (e->args) decref(Value::from(&e->args->header));
  xdecref(e->context);
  if (e->traceback) traceback_free(e->traceback);
  runtime::free_object(o);
  if (type->tp_flags & k_tp_heaptype) runtime::decref(&type->header);
}

int exc_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* e = reinterpret_cast<ExceptionObject*>(o);
  TypeObject* type = type_from_rt(o->ob_type);
  if (type->tp_flags & k_tp_heaptype)
    if (int r = visit(&type->header, arg)) return r;
  if (e->dict)
    if (int r = visit(&e->dict->header, arg)) return r;
  if (e->args)
    if (int r = visit(&e->args->header, arg)) return r;
  FTPY_VISIT(e->context);
  return 0;
}

void exc_clear(Object* o) {
  auto* e = reinterpret_cast<ExceptionObject*>(o);
  if (DictObject* d = e->dict) {
    e->dict = nullptr;
    decref(Value::from(&d->header));
  }
  Value c = e->context;
  e->context = Value::null();
  xdecref(c);
}

Value exc_str(Value self) {
  TupleObject* a = as_exc(self)->args;
  if (!a || a->size == 0) return make_str("");
  if (a->size == 1) return str(a->items[0]);
  return repr(Value::from(&a->header));
}

Value key_error_str(Value self) {
  TupleObject* a = as_exc(self)->args;
  if (a && a->size == 1) return repr(a->items[0]);
  return exc_str(self);
}

Value exc_repr(Value self) {
  TupleObject* a = as_exc(self)->args;
  std::string out = type_of(self)->name->view().data();
  if (a && a->size == 1) {
    Value r = repr(a->items[0]);
    if (!r) return r;
    out += '(';
    out += as_str(r)->view();
    out += ')';
    decref(r);
  } else if (!a || a->size == 0) {
    out += "()";
  } else {
    Value r = repr(Value::from(&a->header));
    if (!r) return r;
    out += as_str(r)->view();
    decref(r);
  }
  return make_str_owned(std::move(out));
}

Value exc_getattr(Value self, StrObject* name) {
  return generic_getattr_dict(self, &as_exc(self)->dict, name);
}
int exc_setattr(Value self, StrObject* name, Value value) {
  return generic_setattr_dict(self, &as_exc(self)->dict, name, value);
}

Value get_args(Value self) {
  TupleObject* a = as_exc(self)->args;
  if (!a) return make_tuple(0);
  return newref(Value::from(&a->header));
}
int set_args(Value self, Value value) {
  if (!value) return raise(&g_TypeError, "args may not be deleted"), -1;
  Value t = tuple_from_iterable(value);
  if (!t) return -1;
  ExceptionObject* e = as_exc(self);
  Value old = e->args ? Value::from(&e->args->header) : Value::null();
  e->args = as_tuple(t);
  xdecref(old);
  return 0;
}
// SystemExit.code and StopIteration.value derive from args as CPython's __init__ sets them.
Value get_code(Value self) {
  TupleObject* a = as_exc(self)->args;
  if (!a || a->size == 0) return none();
  if (a->size == 1) return newref(a->items[0]);
  return newref(Value::from(&a->header));
}
Value get_value(Value self) {
  TupleObject* a = as_exc(self)->args;
  if (!a || a->size == 0) return none();
  return newref(a->items[0]);
}

Value m_init(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (exc_init(self, args, nargs, kwnames) < 0) return Value::null();
  return none();
}
// BaseException.__str__ and __repr__ are the built-in behaviour of the nearest built-in
// class: a subclass's own __str__ calling super().__str__() must not come back to itself
// through the type's slot.
const TypeObject* builtin_base(Value self) {
  const TypeObject* t = type_of(self);
  while (t->tp_flags & k_tp_heaptype) t = t->base;
  return t;
}
Value m_str(Value self, const Value*, std::size_t, TupleObject*) {
  return builtin_base(self)->str(self);
}
Value m_repr(Value self, const Value*, std::size_t, TupleObject*) {
  return builtin_base(self)->repr(self);
}

}  // namespace

bool define_exception_type(TypeObject* t, const char* name, TypeObject* base) {
  if (!setup_type(t, name, base, sizeof(ExceptionObject), true, exc_dealloc)) return false;
  t->tp_flags |= k_tp_exception | k_tp_basetype;
  t->rt.traverse = exc_traverse;
  t->rt.clear = exc_clear;
  t->new_ = exc_new;
  t->init = exc_init;
  t->repr = exc_repr;
  t->str = base && base != &g_object_type ? base->str : exc_str;
  t->getattr = exc_getattr;
  t->setattr = exc_setattr;
  return true;
}

Value make_exception(TypeObject* type, Value args_tuple) {
  if (type->new_ == exc_new && type->init == exc_init) return exc_alloc(type, args_tuple);
  TupleObject* t = as_tuple(args_tuple);
  return call(Value::from(&type->header), t->items, t->size, nullptr);
}

Value make_exception_str(TypeObject* type, std::string_view message) {
  Value s = make_str(message);
  if (!s) return s;
  Value t = make_tuple(1);
  if (!t) {
    decref(s);
    return t;
  }
  as_tuple(t)->items[0] = s;
  Value e = make_exception(type, t);
  decref(t);
  return e;
}

bool init_exception_types() {
  struct Row {
    TypeObject* t;
    const char* name;
    TypeObject* base;
  };
  const Row rows[] = {
      {&g_BaseException, "BaseException", &g_object_type},
      {&g_Exception, "Exception", &g_BaseException},
      {&g_ArithmeticError, "ArithmeticError", &g_Exception},
      {&g_ZeroDivisionError, "ZeroDivisionError", &g_ArithmeticError},
      {&g_OverflowError, "OverflowError", &g_ArithmeticError},
      {&g_ValueError, "ValueError", &g_Exception},
      {&g_TypeError, "TypeError", &g_Exception},
      {&g_LookupError, "LookupError", &g_Exception},
      {&g_KeyError, "KeyError", &g_LookupError},
      {&g_IndexError, "IndexError", &g_LookupError},
      {&g_AttributeError, "AttributeError", &g_Exception},
      {&g_NameError, "NameError", &g_Exception},
      {&g_UnboundLocalError, "UnboundLocalError", &g_NameError},
      {&g_RuntimeError, "RuntimeError", &g_Exception},
      {&g_RecursionError, "RecursionError", &g_RuntimeError},
      {&g_NotImplementedError, "NotImplementedError", &g_RuntimeError},
      {&g_PythonFinalizationError, "PythonFinalizationError", &g_RuntimeError},
      {&g_StopIteration, "StopIteration", &g_Exception},
      {&g_AssertionError, "AssertionError", &g_Exception},
      {&g_ImportError, "ImportError", &g_Exception},
      {&g_ModuleNotFoundError, "ModuleNotFoundError", &g_ImportError},
      {&g_MemoryError, "MemoryError", &g_Exception},
      {&g_SystemExit, "SystemExit", &g_BaseException},
      {&g_KeyboardInterrupt, "KeyboardInterrupt", &g_BaseException},
      {&g_SyntaxError, "SyntaxError", &g_Exception},
      {&g_IndentationError, "IndentationError", &g_SyntaxError},
      {&g_UnicodeError, "UnicodeError", &g_ValueError},
      {&g_SystemError, "SystemError", &g_Exception},
  };
  for (const Row& r : rows) {
    if (!define_exception_type(r.t, r.name, r.base)) return false;
    if (r.t == &g_KeyError) r.t->str = key_error_str;
  }
  static const NativeMethodDef methods[] = {
      {"__init__", m_init}, {"__str__", m_str}, {"__repr__", m_repr}, {nullptr, nullptr}};
  if (add_native_methods(&g_BaseException, methods) < 0) return false;
  if (add_getset(&g_BaseException, "args", get_args, set_args) < 0) return false;
  if (add_getset(&g_SystemExit, "code", get_code, nullptr) < 0) return false;
  if (add_getset(&g_StopIteration, "value", get_value, nullptr) < 0) return false;
  Value empty = make_tuple(0);
  if (!empty) return false;
  Value mem = exc_alloc(&g_MemoryError, empty);
  g_empty_args = empty;  // kept for new_memory_error
  if (!mem) return false;
  runtime::gc_untrack(mem.obj());
  runtime::make_immortal(mem.obj());
  g_memory_error_instance = mem;
  return true;
}

Value new_memory_error() {
  return g_empty_args ? exc_alloc_quiet(&g_MemoryError, g_empty_args) : Value::null();
}

}  // namespace ftpy::interp
