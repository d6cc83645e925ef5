// native.cpp: the machinery shared by every built-in type: static type set-up, method and
// getset descriptors, builtin function objects, CPython-style argument parsing, attribute
// lookup for native types, the dealloc trashcan, the repr recursion guard and
// init_builtin_types. Static types and their dicts are immortal and never change after
// start-up, so any thread may read them without locks.
#include <cstring>
#include <new>
#include <vector>

#include "interp/objects/class.h"
#include "interp/objects/types_internal.h"
#include "runtime/thread_state.h"
#include "sync/mutex.h"

namespace ftpy::interp {

TypeObject g_builtin_function_type, g_method_descr_type, g_getset_descr_type;
Names g_names;

void* mem_alloc(std::size_t n) {
  return runtime::ThreadState::current()->heaps().alloc(alloc::Tag::Mem, n);
}
void mem_free(void* p) {
  if (p) runtime::ThreadState::current()->heaps().free(alloc::Tag::Mem, p);
}

// hash(x) for objects compared by identity (CPython's _Py_HashPointer).
std::int64_t identity_hash(Value v) {
  std::uint64_t p = reinterpret_cast<std::uint64_t>(v.obj());
  std::int64_t h = std::int64_t((p >> 4) | (p << 60));
  return h == -1 ? -2 : h;
}

Value raise_format_error(int kind, const std::string& message) {
  if (kind == 1) return raise(&g_OverflowError, message);
  if (kind == 2) return raise_no_memory();
  return raise(&g_ValueError, message);
}

bool is_type(Value v) { return v.is_object() && isinstance_of(v, &g_type_type); }

bool setup_type(TypeObject* t, const char* name, TypeObject* base, std::size_t size, bool gc,
                void (*dealloc)(Object*)) {
  // A static type is shared by every interpreter and its dict is immortal: built in a
  // subinterpreter's heaps it would keep that interpreter's arena from ever being reused.
  FTPY_DCHECK(!t_vm || t_vm->interp->rt->id() == 0);
  t->header.ob_type = &g_type_type.rt;
  runtime::make_immortal(&t->header);
  t->rt.name = name;
  t->rt.basic_size = size;
  t->rt.flags = (gc ? runtime::type_flags::k_gc : 0) | runtime::type_flags::k_immutable;
  t->rt.dealloc = dealloc;
  t->base = base;
  t->instance_size = size;
  Value d = make_dict();
  if (!d) return false;
  runtime::gc_untrack(d.obj());
  runtime::make_immortal(d.obj());
  t->dict = reinterpret_cast<DictObject*>(d.obj());
  t->name = intern(name);
  if (!t->name) return false;
  t->version.store(next_type_version(), std::memory_order_relaxed);
  t->getattr = native_getattr;
  t->hash = identity_hash;  // containers and other unhashable types reset it to null
  return true;
}

// --- trashcan -------------------------------------------------------------------------------
// Per thread state (VmThread). A dealloc with no VM thread state (a runtime test's thread)
// is not queued: nothing nests there.
bool trashcan_begin(Object* o) {
  VmThread* vt = t_vm;
  if (!vt) return true;
  if (vt->trash_depth >= k_trashcan_depth) {
    // The object is dead: its owner field is free to hold the queue link (CPython does this).
    // Untracked first: a collection that runs before the queue drains (this thread may park,
    // detached, in a later dealloc) must not take it for a live object.
    runtime::gc_untrack(o);
    o->ob_tid.store(reinterpret_cast<runtime::ThreadId>(vt->trash_head),
                    std::memory_order_relaxed);
    vt->trash_head = o;
    return false;
  }
  ++vt->trash_depth;
  return true;
}

void trashcan_end() {
  VmThread* vt = t_vm;
  if (!vt) return;
  --vt->trash_depth;
  if (vt->trash_depth != 0 || vt->trash_draining) return;
  vt->trash_draining = true;
  while (Object* o = vt->trash_head) {
    vt->trash_head = reinterpret_cast<Object*>(o->ob_tid.load(std::memory_order_relaxed));
    o->ob_tid.store(runtime::t_current_tid, std::memory_order_relaxed);
    o->ob_type->dealloc(o);
  }
  vt->trash_draining = false;
}

// --- repr guard -----------------------------------------------------------------------------
int repr_enter(Value v) {
  VmThread* vt = t_vm;
  for (int i = 0; i < vt->repr_depth; i++)
    if (vt->repr_stack[i] == v.obj()) return 1;
  if (vt->repr_depth >= k_repr_max) {
    raise(&g_RecursionError, "maximum recursion depth exceeded while getting the repr of an object");
    return -1;
  }
  vt->repr_stack[vt->repr_depth++] = v.obj();
  return 0;
}

void repr_leave(Value v) {
  VmThread* vt = t_vm;
  if (vt->repr_depth > 0 && vt->repr_stack[vt->repr_depth - 1] == v.obj()) vt->repr_depth--;
}

// --- argument parsing -----------------------------------------------------------------------
int no_kwargs(const char* fname, TupleObject* kwnames) {
  if (kwnames && kwnames->size) {
    raise_fmt(&g_TypeError, "{}() takes no keyword arguments", fname);
    return -1;
  }
  return 0;
}

int check_args(const char* fname, std::size_t nargs, TupleObject* kwnames, std::size_t lo,
               std::size_t hi) {
  if (kwnames && kwnames->size) {
    raise_fmt(&g_TypeError, "{}() takes no keyword arguments", fname);
    return -1;
  }
  if (nargs < lo || nargs > hi) {
    if (hi == 0)
      raise_fmt(&g_TypeError, "{}() takes no arguments ({} given)", fname, nargs);
    else if (lo == hi)
      raise_fmt(&g_TypeError, "{}() takes exactly {} argument{} ({} given)", fname, lo,
                lo == 1 ? "" : "s", nargs);
    else
      raise_fmt(&g_TypeError, "{}() takes at most {} arguments ({} given)", fname, hi, nargs);
    return -1;
  }
  return 0;
}

bool arg_as_double(Value v, double* out) {
  std::int64_t i;
  if (v.is_object() && type_of(v) == &g_float_type) {
    *out = reinterpret_cast<FloatObject*>(v.obj())->value;
    return true;
  }
  if (as_int64(v, &i)) {
    *out = double(i);
    return true;
  }
  raise_fmt(&g_TypeError, "must be real number, not {}", type_name(v));
  return false;
}

bool arg_as_int64(Value v, std::int64_t* out) {
  if (as_int64(v, out)) return true;
  raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(v));
  return false;
}

int parse_args(const char* fname, const Value* args, std::size_t nargs, TupleObject* kwnames,
               const char* const* names, std::size_t nparams, std::size_t max_positional,
               std::size_t required, Value* out) {
  std::size_t nkw = kwnames ? kwnames->size : 0;
  std::size_t npos = nargs - nkw;
  for (std::size_t i = 0; i < nparams; i++) out[i] = Value::null();
  if (npos > max_positional) {
    if (max_positional == 0)
      raise_fmt(&g_TypeError, "{}() takes no positional arguments", fname);
    else if (required == max_positional && nkw == 0)
      raise_fmt(&g_TypeError, "{}() takes exactly {} argument{} ({} given)", fname,
                max_positional, max_positional == 1 ? "" : "s", npos);
    else
      raise_fmt(&g_TypeError, "{}() takes at most {} argument{} ({} given)", fname,
                max_positional, max_positional == 1 ? "" : "s", npos);
    return -1;
  }
  for (std::size_t i = 0; i < npos; i++) out[i] = args[i];
  for (std::size_t k = 0; k < nkw; k++) {
    std::string_view kw = as_str(kwnames->items[k])->view();
    std::size_t j = 0;
    for (; j < nparams; j++)
      if (kw == names[j]) break;
    if (j == nparams) {
      raise_fmt(&g_TypeError, "{}() got an unexpected keyword argument '{}'", fname, kw);
      return -1;
    }
    if (out[j]) {
      raise_fmt(&g_TypeError, "argument for {}() given by name ('{}') and position ({})", fname,
                kw, j + 1);
      return -1;
    }
    out[j] = args[npos + k];
  }
  for (std::size_t i = 0; i < required; i++) {
    if (!out[i]) {
      if (i < npos || nkw) {
        raise_fmt(&g_TypeError, "{}() missing required argument '{}' (pos {})", fname,
                  names[i], i + 1);
      } else if (required == max_positional && required == 1) {
        raise_fmt(&g_TypeError, "{}() takes exactly one argument ({} given)", fname, npos);
      } else {
        raise_fmt(&g_TypeError, "{}() takes at least {} argument{} ({} given)", fname,
                  required, required == 1 ? "" : "s", npos);
      }
      return -1;
    }
  }
  return 0;
}

// --- attribute lookup -----------------------------------------------------------------------
DictObject* dict_slot_create(DictObject** dictp) {
  DictObject* d = nullptr;
  Value nd = make_dict();
  if (!nd) return nullptr;
  DictObject* mine = reinterpret_cast<DictObject*>(nd.obj());
  if (__atomic_compare_exchange_n(dictp, &d, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    return mine;
  decref(nd);  // another thread's dict won
  return d;
}

Value generic_getattr_dict(Value self, DictObject** dictp, StrObject* name) {
  TypeObject* t = type_of(self);
  DictObject* dict = dictp ? __atomic_load_n(dictp, __ATOMIC_ACQUIRE) : nullptr;
  // Marking the instance dict shared may wait: do it before holding the borrowed `d`.
  if (dict) ensure_shared(&dict->header);
  Value d = type_lookup(t, name);
  TypeObject* dt = d ? type_of(d) : nullptr;
  if (dt && dt->descr_get && dt->descr_set) return dt->descr_get(d, self, t);
  if (dict) {
    Value v = dict_get_str(Value::from(&dict->header), name);
    if (v) return newref(v);
    if (error_occurred()) return Value::null();
  }
  if (d) {
    if (dt->descr_get) return dt->descr_get(d, self, t);
    return newref(d);
  }
  if (name == g_names.dunder_class) return newref(Value::from(&t->header));
  if (dictp && name == g_names.dunder_dict) {
    DictObject* nd = dict_slot_get_or_create(dictp);
    if (!nd) return Value::null();
    return newref(Value::from(&nd->header));
  }
  return raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
                   name->view());
}

int generic_setattr_dict(Value self, DictObject** dictp, StrObject* name, Value value) {
  TypeObject* t = type_of(self);
  Value d = type_lookup(t, name);
  if (d) {
    TypeObject* dt = type_of(d);
    if (dt->descr_set) return dt->descr_set(d, self, value);
  }
  if (!dictp) {
    if (d)
      raise_fmt(&g_AttributeError, "'{}' object attribute '{}' is read-only", t->name->view(),
                name->view());
    else
      raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
                name->view());
    return -1;
  }
  if (!value && !__atomic_load_n(dictp, __ATOMIC_ACQUIRE)) {
    raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
              name->view());
    return -1;
  }
  DictObject* dict = dict_slot_get_or_create(dictp);
  if (!dict) return -1;
  Value dv = Value::from(&dict->header);
  if (!value) {
    if (dict_delitem(dv, Value::from(&name->header)) < 0) {
      if (error_matches(&g_KeyError)) {
        clear_error();
        raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
                  name->view());
      }
      return -1;
    }
    return 0;
  }
  return dict_setitem_str(dv, name, value);
}

Value native_getattr(Value self, StrObject* name) {
  return generic_getattr_dict(self, nullptr, name);
}

// --- builtin functions and descriptors ------------------------------------------------------
namespace {

Value builtin_call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  auto* f = reinterpret_cast<BuiltinFunctionObject*>(callable.obj());
  return call_native_fn(f->fn, f->self, args, nargs, kwnames);
}

void builtin_dealloc(Object* o) {
  auto* f = reinterpret_cast<BuiltinFunctionObject*>(o);
  Value self = f->self;
  runtime::free_object(o);
  xdecref(self);
}

int builtin_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  FTPY_VISIT(reinterpret_cast<BuiltinFunctionObject*>(o)->self);
  return 0;
}

void builtin_clear(Object* o) {
  auto* f = reinterpret_cast<BuiltinFunctionObject*>(o);
  Value s = f->self;
  f->self = none();
  xdecref(s);
}

Value builtin_repr(Value v) {
  auto* f = reinterpret_cast<BuiltinFunctionObject*>(v.obj());
  if (f->self.is_null() || f->self == none())
    return make_str_owned(fmt::format("<built-in function {}>", f->name));
  return make_str_owned(fmt::format("<built-in method {} of {} object at {}>", f->name,
                                    type_name(f->self), static_cast<void*>(f->self.obj())));
}

Value builtin_name(Value self) {
  return make_str(reinterpret_cast<BuiltinFunctionObject*>(self.obj())->name);
}

Value descr_get(Value descr, Value obj, TypeObject*) {
  if (!obj) return newref(descr);
  auto* m = reinterpret_cast<MethodDescrObject*>(descr.obj());
  return make_builtin_function(m->name, m->fn, obj);
}

Value descr_call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  auto* m = reinterpret_cast<MethodDescrObject*>(callable.obj());
  std::size_t nkw = kwnames ? kwnames->size : 0;
  if (nargs - nkw < 1)
    return raise_fmt(&g_TypeError, "unbound method {}.{}() needs an argument",
                     m->owner->name->view(), m->name);
  if (!isinstance_of(args[0], m->owner))
    return raise_fmt(&g_TypeError, "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                     m->name, m->owner->name->view(), type_name(args[0]));
  return call_native_fn(m->fn, args[0], args + 1, nargs - 1, kwnames);
}

Value descr_repr(Value v) {
  auto* m = reinterpret_cast<MethodDescrObject*>(v.obj());
  return make_str_owned(
      fmt::format("<method '{}' of '{}' objects>", m->name, m->owner->name->view()));
}

Value getset_get(Value descr, Value obj, TypeObject*) {
  if (!obj) return newref(descr);
  auto* g = reinterpret_cast<GetSetDescrObject*>(descr.obj());
  return g->get(obj);
}

int getset_set(Value descr, Value obj, Value value) {
  auto* g = reinterpret_cast<GetSetDescrObject*>(descr.obj());
  if (!g->set) {
    raise_fmt(&g_AttributeError, "attribute '{}' of '{}' objects is not writable", g->name,
              g->owner->name->view());
    return -1;
  }
  return g->set(obj, value);
}

Value getset_repr(Value v) {
  auto* g = reinterpret_cast<GetSetDescrObject*>(v.obj());
  return make_str_owned(
      fmt::format("<attribute '{}' of '{}' objects>", g->name, g->owner->name->view()));
}

// Descriptors live as long as their (immortal) type: plain malloc, immortal header.
// Immortal descriptors live as long as the process. The registry keeps every one reachable
// from a global: the type dicts that point at them are in mimalloc's memory, which
// LeakSanitizer does not scan, so without it each would be reported as leaked at exit.
sync::RankedMutex g_immortal_mutex{sync::LockRank::Immortal};
std::vector<Object*>* g_immortals FTPY_GUARDED_BY(g_immortal_mutex) = nullptr;

Object* alloc_immortal(TypeObject* t, std::size_t size) {
  auto* o = static_cast<Object*>(std::calloc(1, size));
  if (!o) return nullptr;
  {
    sync::MutexGuard guard(g_immortal_mutex);
    if (!g_immortals) g_immortals = new (std::nothrow) std::vector<Object*>;
    if (!g_immortals) {
      std::free(o);
      return nullptr;
    }
    g_immortals->push_back(o);
  }
  o->ob_type = &t->rt;
  runtime::make_immortal(o);
  return o;
}

}  // namespace

Value make_builtin_function(const char* name, NativeMethodFn fn, Value self) {
  Object* o = runtime::alloc_object(&g_builtin_function_type.rt, sizeof(BuiltinFunctionObject));
  if (!o) return raise_no_memory();
  auto* f = reinterpret_cast<BuiltinFunctionObject*>(o);
  f->name = name;
  f->fn = fn;
  f->self = self ? newref(self) : none();
  runtime::gc_track(o);
  return Value::from(o);
}

int add_native_methods(TypeObject* type, const NativeMethodDef* defs) {
  for (; defs->name; defs++) {
    Object* o = alloc_immortal(&g_method_descr_type, sizeof(MethodDescrObject));
    if (!o) return raise_no_memory(), -1;
    auto* m = reinterpret_cast<MethodDescrObject*>(o);
    m->name = defs->name;
    m->fn = defs->fn;
    m->owner = type;
    if (dict_setitem_str(Value::from(&type->dict->header), intern(defs->name), Value::from(o)) < 0)
      return -1;
  }
  return 0;
}

int add_getset(TypeObject* type, const char* name, GetterFn get, SetterFn set) {
  Object* o = alloc_immortal(&g_getset_descr_type, sizeof(GetSetDescrObject));
  if (!o) return raise_no_memory(), -1;
  auto* g = reinterpret_cast<GetSetDescrObject*>(o);
  g->name = name;
  g->get = get;
  g->set = set;
  g->owner = type;
  return dict_setitem_str(Value::from(&type->dict->header), intern(name), Value::from(o));
}

bool init_native_types() {
  if (!setup_type(&g_builtin_function_type, "builtin_function_or_method", &g_object_type,
                  sizeof(BuiltinFunctionObject), true, builtin_dealloc))
    return false;
  g_builtin_function_type.rt.traverse = builtin_traverse;
  g_builtin_function_type.rt.clear = builtin_clear;
  g_builtin_function_type.call = builtin_call;
  g_builtin_function_type.repr = builtin_repr;
  if (add_getset(&g_builtin_function_type, "__name__", builtin_name, nullptr) < 0) return false;
  if (!setup_type(&g_method_descr_type, "method_descriptor", &g_object_type,
                  sizeof(MethodDescrObject), false, nullptr))
    return false;
  g_method_descr_type.descr_get = descr_get;
  g_method_descr_type.call = descr_call;
  g_method_descr_type.repr = descr_repr;
  if (!setup_type(&g_getset_descr_type, "getset_descriptor", &g_object_type,
                  sizeof(GetSetDescrObject), false, nullptr))
    return false;
  g_getset_descr_type.descr_get = getset_get;
  g_getset_descr_type.descr_set = getset_set;
  g_getset_descr_type.repr = getset_repr;
  return true;
}

bool init_builtin_types() {
  static bool done = false;
  if (done) return true;
  // Names first: setup_type interns the type names, and the str type must be usable by
  // then, so the str type's layout is set before anything else allocates a string.
  init_singletons_early();
  if (!init_str_type_early() || !init_dict_type_early()) return false;
  struct N {
    StrObject** slot;
    const char* text;
  };
  const N names[] = {
      {&g_names.dunder_class, "__class__"}, {&g_names.dunder_name, "__name__"},
      {&g_names.dunder_init, "__init__"},   {&g_names.dunder_str, "__str__"},
      {&g_names.dunder_repr, "__repr__"},   {&g_names.write, "write"},
      {&g_names.key, "key"},                {&g_names.reverse, "reverse"},
      {&g_names.args, "args"},              {&g_names.code, "code"},
      {&g_names.value, "value"},            {&g_names.sep, "sep"},
      {&g_names.end, "end"},                {&g_names.file, "file"},
      {&g_names.flush, "flush"},            {&g_names.dunder_reversed, "__reversed__"},
      {&g_names.dunder_len, "__len__"},     {&g_names.dunder_getitem, "__getitem__"},
      {&g_names.start, "start"},            {&g_names.default_, "default"},
      {&g_names.keys, "keys"},              {&g_names.dunder_dict, "__dict__"},
  };
  for (const N& n : names)
    if (!(*n.slot = intern(n.text))) return false;
  if (!init_str_type() || !init_dict_type() || !init_native_types() || !init_int_types() || !init_float_type() ||
      !init_tuple_type() || !init_list_type() || !init_range_type() || !init_iter_types() ||
      !init_exception_types())
    return false;
  done = true;
  return true;
}

}  // namespace ftpy::interp
