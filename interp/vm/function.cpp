// function.cpp: the function, cell and method types, and argument binding.
// Functions, cells and methods are GC objects (closures and methods easily form cycles);
// each is tracked once built. Binding follows CPython's ceval.c initialize_locals so that the
// TypeError messages match it word for word.
#include "interp/vm/function.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "interp/objects/class.h"
#include "interp/vm/vm.h"

namespace ftpy::interp {

TypeObject g_function_type, g_method_type, g_cell_type;

namespace {

Value obj_value(void* p) { return p ? Value::from(static_cast<Object*>(p)) : Value::null(); }

void function_dealloc(Object* o) {
  auto* f = reinterpret_cast<FunctionObject*>(o);
  runtime::gc_untrack(o);
  decref(obj_value(f->code));
  decref(f->globals);
  decref(obj_value(f->defaults));
  decref(obj_value(f->kwdefaults));
  decref(obj_value(f->closure));
  decref(obj_value(f->name));
  decref(obj_value(f->qualname));
  decref(obj_value(f->dict));
  decref(f->module);
  runtime::free_object(o);
}

int function_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* f = reinterpret_cast<FunctionObject*>(o);
  for (Value v : {f->globals, obj_value(f->defaults), obj_value(f->kwdefaults),
                  obj_value(f->closure), obj_value(f->dict), f->module})
    if (v.is_object())
      if (int r = visit(v.obj(), arg)) return r;
  return 0;
}

void function_clear(Object* o) {
  auto* f = reinterpret_cast<FunctionObject*>(o);
  Value d = obj_value(f->defaults), k = obj_value(f->kwdefaults), c = obj_value(f->closure),
        dd = obj_value(f->dict);
  f->defaults = nullptr;
  f->kwdefaults = nullptr;
  f->closure = nullptr;
  f->dict = nullptr;
  decref(d);
  decref(k);
  decref(c);
  decref(dd);
}

Value function_call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  return call_function(as_function(callable), args, nargs, kwnames);
}

Value function_descr_get(Value descr, Value obj, TypeObject*) {
  if (!obj || obj == none()) return newref(descr);
  return make_method(descr, obj);
}

Value function_repr(Value v) {
  return make_str(fmt::format("<function {} at {}>", as_function(v)->qualname->view(),
                              static_cast<void*>(v.obj())));
}

Value function_getattr(Value self, StrObject* name) {
  FunctionObject* f = as_function(self);
  std::string_view n = name->view();
  if (n == "__name__") return newref(Value::from(&f->name->header));
  if (n == "__qualname__") return newref(Value::from(&f->qualname->header));
  if (n == "__module__") return f->module ? newref(f->module) : none();
  if (n == "__doc__") return none();
  if (n == "__code__") return newref(Value::from(&f->code->header));
  if (n == "__globals__") return newref(f->globals);
  if (n == "__defaults__") return f->defaults ? newref(obj_value(f->defaults)) : none();
  if (n == "__dict__") {
    if (!f->dict) {
      Value d = make_dict();
      if (!d) return d;
      f->dict = reinterpret_cast<DictObject*>(d.obj());
    }
    return newref(obj_value(f->dict));
  }
  if (f->dict)
    if (Value v = dict_get_str(obj_value(f->dict), name)) return newref(v);
  return object_generic_getattr(self, name);
}

int function_setattr(Value self, StrObject* name, Value value) {
  FunctionObject* f = as_function(self);
  std::string_view n = name->view();
  if (n == "__name__" || n == "__qualname__") {
    if (!value || !isinstance_of(value, &g_str_type)) {
      raise_fmt(&g_TypeError, "{} must be set to a string object", n);
      return -1;
    }
    StrObject*& slot = n == "__name__" ? f->name : f->qualname;
    Value old = obj_value(slot);
    slot = reinterpret_cast<StrObject*>(newref(value).obj());
    decref(old);
    return 0;
  }
  if (!f->dict) {
    Value d = make_dict();
    if (!d) return -1;
    f->dict = reinterpret_cast<DictObject*>(d.obj());
  }
  if (!value) {
    if (dict_delitem(obj_value(f->dict), Value::from(&name->header)) < 0) {
      clear_error();
      raise_fmt(&g_AttributeError, "'function' object has no attribute '{}'", name->view());
      return -1;
    }
    return 0;
  }
  return dict_setitem_str(obj_value(f->dict), name, value);
}

void cell_dealloc(Object* o) {
  runtime::gc_untrack(o);
  decref(reinterpret_cast<CellObject*>(o)->ref);
  runtime::free_object(o);
}
int cell_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  Value v = reinterpret_cast<CellObject*>(o)->ref;
  return v.is_object() ? visit(v.obj(), arg) : 0;
}
void cell_clear(Object* o) {
  auto* c = reinterpret_cast<CellObject*>(o);
  Value v = c->ref;
  c->ref = Value::null();
  decref(v);
}

void method_dealloc(Object* o) {
  runtime::gc_untrack(o);
  auto* m = reinterpret_cast<MethodObject*>(o);
  decref(m->func);
  decref(m->self);
  runtime::free_object(o);
}
int method_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* m = reinterpret_cast<MethodObject*>(o);
  if (m->func.is_object())
    if (int r = visit(m->func.obj(), arg)) return r;
  return m->self.is_object() ? visit(m->self.obj(), arg) : 0;
}
void method_clear(Object* o) {
  auto* m = reinterpret_cast<MethodObject*>(o);
  Value s = m->self;
  m->self = none();
  decref(s);
}

// Calls func(self, *args): the self slot is prepended in a small on-stack buffer when it fits.
Value method_call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  auto* m = reinterpret_cast<MethodObject*>(callable.obj());
  constexpr std::size_t k_small = 8;
  Value small[k_small];
  Value* buf = small;
  std::vector<Value> big;
  if (nargs + 1 > k_small) {
    big.resize(nargs + 1);
    buf = big.data();
  }
  buf[0] = m->self;
  for (std::size_t i = 0; i < nargs; i++) buf[i + 1] = args[i];
  return call(m->func, buf, nargs + 1, kwnames);
}

Value method_repr(Value v) {
  auto* m = reinterpret_cast<MethodObject*>(v.obj());
  Value qn = getattr(m->func, intern("__qualname__"));
  if (!qn) return qn;
  Value r = repr(m->self);
  if (!r) {
    decref(qn);
    return r;
  }
  Value out = make_str(fmt::format("<bound method {} of {}>",
                                   reinterpret_cast<StrObject*>(qn.obj())->view(),
                                   reinterpret_cast<StrObject*>(r.obj())->view()));
  decref(qn);
  decref(r);
  return out;
}

Value method_getattr(Value self, StrObject* name) {
  auto* m = reinterpret_cast<MethodObject*>(self.obj());
  std::string_view n = name->view();
  if (n == "__self__") return newref(m->self);
  if (n == "__func__") return newref(m->func);
  return getattr(m->func, name);
}

Value method_richcompare(Value a, Value b, CompareOp op) {
  if ((op != CompareOp::Eq && op != CompareOp::Ne) || type_of(b) != &g_method_type)
    return not_implemented();
  auto* x = reinterpret_cast<MethodObject*>(a.obj());
  auto* y = reinterpret_cast<MethodObject*>(b.obj());
  bool eq = x->func == y->func && x->self == y->self;
  return py_bool(op == CompareOp::Eq ? eq : !eq);
}

std::int64_t method_hash(Value v) {
  auto* m = reinterpret_cast<MethodObject*>(v.obj());
  std::int64_t h = std::int64_t(m->self.bits >> 4) ^ std::int64_t(m->func.bits >> 4);
  return h == -1 ? -2 : h;
}

// "'a', 'b', and 'c'" as CPython's format_missing lists names.
std::string name_list(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); i++) {
    if (i > 0) out += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    out += fmt::format("'{}'", names[i]);
  }
  return out;
}

}  // namespace

Value make_function(CodeObject* code, Value globals) {
  Object* o = runtime::alloc_object(&g_function_type.rt, sizeof(FunctionObject));
  if (!o) return raise_no_memory();
  auto* f = reinterpret_cast<FunctionObject*>(o);
  f->code = code;
  incref(Value::from(&code->header));
  f->globals = newref(globals);
  f->name = code->name;
  incref(Value::from(&code->name->header));
  f->qualname = code->qualname;
  incref(Value::from(&code->qualname->header));
  Value mod = dict_get_str(globals, intern("__name__"));
  f->module = mod ? newref(mod) : Value::null();
  runtime::gc_track(o);
  return Value::from(o);
}

void cell_store_locked(Value cell, Value v) {
  auto* c = reinterpret_cast<CellObject*>(cell.obj());
  ObjectLock lock(cell, k_short);
  Value old = c->ref;
  slot_store(&c->ref, v);
  if (old) release_unlinked(cell, old);
}

Value make_cell(Value content) {
  Object* o = runtime::alloc_object(&g_cell_type.rt, sizeof(CellObject));
  if (!o) return raise_no_memory();
  reinterpret_cast<CellObject*>(o)->ref = newref(content);
  runtime::gc_track(o);
  return Value::from(o);
}

Value make_method(Value func, Value self) {
  Object* o = runtime::alloc_object(&g_method_type.rt, sizeof(MethodObject));
  if (!o) return raise_no_memory();
  auto* m = reinterpret_cast<MethodObject*>(o);
  m->func = newref(func);
  m->self = newref(self);
  runtime::gc_track(o);
  return Value::from(o);
}

int bind_arguments(FunctionObject* f, Value* locals, const Value* args, std::size_t nargs,
                   TupleObject* kwnames) {
  CodeObject* co = f->code;
  std::size_t nkw = kwnames ? kwnames->size : 0;
  std::size_t npos = nargs - nkw;
  std::size_t argc = co->argcount;
  std::size_t total = argc + co->kwonlyargcount;
  std::string_view qn = co->qualname->view();
  Value kwdict = Value::null();
  if (co->flags & k_co_varkw) {
    kwdict = make_dict();
    if (!kwdict) return -1;
    std::size_t idx = total + ((co->flags & k_co_varargs) ? 1 : 0);
    locals[idx] = kwdict;
  }
  std::size_t n = npos < argc ? npos : argc;
  for (std::size_t i = 0; i < n; i++) locals[i] = newref(args[i]);
  if (co->flags & k_co_varargs) {
    std::size_t extra = npos > argc ? npos - argc : 0;
    Value t = make_tuple_from(args + n, extra);
    if (!t) return -1;
    locals[total] = t;
  } else if (npos > argc) {
    std::size_t ndef = f->defaults ? f->defaults->size : 0;
    std::size_t kwonly_given = 0;
    for (std::size_t k = 0; k < nkw; k++) {
      StrObject* key = reinterpret_cast<StrObject*>(kwnames->items[k].obj());
      for (std::size_t j = argc; j < total; j++)
        if (co->varnames[j]->view() == key->view()) kwonly_given++;
    }
    std::string takes = ndef ? fmt::format("from {} to {}", argc - ndef, argc)
                             : fmt::format("{}", argc);
    std::string plural = (argc == 1 && !ndef) ? "" : "s";
    std::string kwpart = kwonly_given ? fmt::format(" positional argument{} (and {} keyword-only argument{})",
                                                    npos == 1 ? "" : "s", kwonly_given, kwonly_given == 1 ? "" : "s")
                                      : "";
    raise_fmt(&g_TypeError, "{}() takes {} positional argument{} but {}{} {} given", qn, takes,
              plural, npos, kwpart, npos == 1 && !kwonly_given ? "was" : "were");
    return -1;
  }
  for (std::size_t k = 0; k < nkw; k++) {
    Value keyv = kwnames->items[k];
    StrObject* key = reinterpret_cast<StrObject*>(keyv.obj());
    Value val = args[npos + k];
    std::size_t j = 0;
    for (; j < total; j++)
      if (co->varnames[j] == key || co->varnames[j]->view() == key->view()) break;
    if (j == total) {
      if (!kwdict) {
        raise_fmt(&g_TypeError, "{}() got an unexpected keyword argument '{}'", qn, key->view());
        return -1;
      }
      if (dict_setitem(kwdict, keyv, val) < 0) return -1;
      continue;
    }
    if (locals[j]) {
      raise_fmt(&g_TypeError, "{}() got multiple values for argument '{}'", qn, key->view());
      return -1;
    }
    locals[j] = newref(val);
  }
  // Defaults for the missing positional parameters, then the missing list.
  if (npos < argc) {
    std::size_t ndef = f->defaults ? f->defaults->size : 0;
    std::size_t first_def = argc - ndef;
    std::vector<std::string_view> missing;
    for (std::size_t i = npos; i < argc; i++) {
      if (locals[i]) continue;
      if (i >= first_def) {
        locals[i] = newref(f->defaults->items[i - first_def]);
      } else {
        missing.push_back(co->varnames[i]->view());
      }
    }
    if (!missing.empty()) {
      raise_fmt(&g_TypeError, "{}() missing {} required positional argument{}: {}", qn,
                missing.size(), missing.size() == 1 ? "" : "s", name_list(missing));
      return -1;
    }
  }
  if (co->kwonlyargcount) {
    std::vector<std::string_view> missing;
    for (std::size_t j = argc; j < total; j++) {
      if (locals[j]) continue;
      Value d = f->kwdefaults ? dict_get_str(obj_value(f->kwdefaults), co->varnames[j])
                              : Value::null();
      if (d) {
        locals[j] = newref(d);
      } else {
        missing.push_back(co->varnames[j]->view());
      }
    }
    if (!missing.empty()) {
      raise_fmt(&g_TypeError, "{}() missing {} required keyword-only argument{}: {}", qn,
                missing.size(), missing.size() == 1 ? "" : "s", name_list(missing));
      return -1;
    }
  }
  return 0;
}

bool init_function_types() {
  if (!init_static_type(&g_function_type, "function", sizeof(FunctionObject), true,
                        function_dealloc))
    return false;
  g_function_type.rt.traverse = function_traverse;
  g_function_type.rt.clear = function_clear;
  g_function_type.call = function_call;
  g_function_type.descr_get = function_descr_get;
  g_function_type.repr = function_repr;
  g_function_type.getattr = function_getattr;
  g_function_type.setattr = function_setattr;

  if (!init_static_type(&g_cell_type, "cell", sizeof(CellObject), true, cell_dealloc))
    return false;
  g_cell_type.rt.traverse = cell_traverse;
  g_cell_type.rt.clear = cell_clear;

  if (!init_static_type(&g_method_type, "method", sizeof(MethodObject), true, method_dealloc))
    return false;
  g_method_type.rt.traverse = method_traverse;
  g_method_type.rt.clear = method_clear;
  g_method_type.call = method_call;
  g_method_type.repr = method_repr;
  g_method_type.getattr = method_getattr;
  g_method_type.richcompare = method_richcompare;
  g_method_type.hash = method_hash;
  return true;
}

}  // namespace ftpy::interp
