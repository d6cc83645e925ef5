// module_type.cpp: the module type, the helpers that build built-in modules, and the switch
// of a module's data to per-thread counts when a second thread starts running its code.
#include "interp/objects/module_type.h"

#include <fmt/format.h>

#include "interp/objects/class.h"
#include "interp/objects/types_internal.h"
#include "runtime/local_refs.h"

namespace ftpy::interp {

TypeObject g_module_type;

namespace {

Value module_dict_of(Value m) {
  return Value::from(&reinterpret_cast<ModuleObject*>(m.obj())->dict->header);
}

void module_dealloc(Object* o) {
  runtime::gc_untrack(o);
  auto* m = reinterpret_cast<ModuleObject*>(o);
  if (m->dict) decref(Value::from(&m->dict->header));
  if (m->name) decref(Value::from(&m->name->header));
  runtime::free_object(o);
}
int module_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* m = reinterpret_cast<ModuleObject*>(o);
  return m->dict ? visit(&m->dict->header, arg) : 0;
}
// The GC's clear, for an unreachable module: drops its namespace, as CPython's module_clear.
void module_clear(Object* o) {
  auto* m = reinterpret_cast<ModuleObject*>(o);
  if (DictObject* d = m->dict) {
    m->dict = nullptr;
    decref(Value::from(&d->header));
  }
}

Value module_getattr(Value self, StrObject* name) {
  auto* m = reinterpret_cast<ModuleObject*>(self.obj());
  if (Value v = dict_get_str(module_dict_of(self), name->interned ? name : intern(name->view())))
    return newref(v);
  if (name->view() == "__dict__") return newref(module_dict_of(self));
  if (name->view() == "__class__") return newref(Value::from(&g_module_type.header));
  return raise_fmt(&g_AttributeError, "module '{}' has no attribute '{}'", m->name->view(),
                   name->view());
}

int module_setattr(Value self, StrObject* name, Value value) {
  auto* m = reinterpret_cast<ModuleObject*>(self.obj());
  if (!value) {
    if (dict_delitem(module_dict_of(self), Value::from(&name->header)) < 0) {
      clear_error();
      raise_fmt(&g_AttributeError, "module '{}' has no attribute '{}'", m->name->view(),
                name->view());
      return -1;
    }
    return 0;
  }
  return dict_setitem_str(module_dict_of(self), name->interned ? name : intern(name->view()), value);
}

Value module_repr(Value self) {
  auto* m = reinterpret_cast<ModuleObject*>(self.obj());
  return make_str(fmt::format("<module '{}' (built-in)>", m->name->view()));
}

}  // namespace

Value module_dict(Value m) { return module_dict_of(m); }

int module_set(Value module, const char* name, Value v) {
  if (!v) return -1;
  int r = dict_setitem_str(module_dict_of(module), intern(name), v);
  decref(v);
  return r;
}

int module_add_functions(Value module, const NativeMethodDef* defs) {
  for (; defs->name; defs++)
    if (module_set(module, defs->name, make_builtin_function(defs->name, defs->fn, none())) < 0)
      return -1;
  return 0;
}

Value make_native_module(std::string_view name, const NativeMethodDef* defs) {
  Value m = make_module(name);
  if (m && module_add_functions(m, defs) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

Value make_module(std::string_view name) {
  Object* o = runtime::alloc_object(&g_module_type.rt, sizeof(ModuleObject));
  if (!o) return raise_no_memory();
  auto* m = reinterpret_cast<ModuleObject*>(o);
  Value dict = make_dict();
  if (!dict) {
    runtime::free_object(o);
    return dict;
  }
  set_shared_locked(dict.obj());  // LOAD_GLOBAL's caches hold borrowed values from it
  m->dict = reinterpret_cast<DictObject*>(dict.obj());
  m->name = intern(name);
  Value mv = Value::from(o);
  if (dict_setitem_str(dict, intern("__name__"), Value::from(&m->name->header)) < 0) {
    decref(mv);
    return Value::null();
  }
  runtime::gc_track(o);
  // Every thread reads modules and their globals (local_refs.h).
  runtime::use_local_refs(o);
  runtime::use_local_refs(dict.obj());
  return mv;
}


namespace {
constexpr std::size_t k_share_limit = 1 << 20;

void share_one(Value v, std::size_t* budget) {
  if (!v.is_object() || *budget == 0) return;
  --*budget;
  runtime::use_local_refs(v.obj());
}

// v and what it directly holds.
void share_with_items(Value v, std::size_t* budget) {
  share_one(v, budget);
  if (is_list(v)) {
    Value snap = list_snapshot(v);
    if (!snap) return clear_error();
    for (std::size_t i = 0; i < as_tuple(snap)->size; i++) share_one(as_tuple(snap)->items[i], budget);
    decref(snap);
  } else if (is_tuple(v)) {
    for (std::size_t i = 0; i < as_tuple(v)->size; i++) share_one(as_tuple(v)->items[i], budget);
  } else if (is_dict(v)) {
    std::size_t pos = 0;
    Value k, x;
    while (dict_next(v, &pos, &k, &x)) {
      share_one(k, budget);
      share_one(x, budget);
    }
  }
}
}  // namespace

void share_module_data(Value globals) {
  VmInterp* vi = t_vm->interp;
  // Switching to per-thread counts is safe only while no other thread may be counting these
  // objects (local_refs.h): so only while this is the interpreter's one thread.
  if (!vi->rt->single_threaded()) return;
  Value main = vi->main_module;
  if (main && globals == module_dict_of(main)) {
    // Bound names unchanged since the last pass: nothing new to share.
    std::uint64_t v =
        reinterpret_cast<DictObject*>(globals.obj())->version.load(std::memory_order_relaxed);
    if (v == vi->main_shared_version) return;
    vi->main_shared_version = v;
  }
  std::size_t budget = k_share_limit;
  std::size_t pos = 0;
  Value k, v;
  while (dict_next(globals, &pos, &k, &v)) {
    share_with_items(v, &budget);
    if (is_type(v)) {
      auto* t = as_type(v);
      if (!(t->tp_flags & k_tp_heaptype) || !t->dict) continue;
      Value ns = Value::from(&t->dict->header);
      std::size_t p2 = 0;
      Value k2, v2;
      while (dict_next(ns, &p2, &k2, &v2)) share_with_items(v2, &budget);
    }
  }
}


bool init_module_type() {
  if (!init_static_type(&g_module_type, "module", sizeof(ModuleObject), true, module_dealloc))
    return false;
  g_module_type.rt.traverse = module_traverse;
  g_module_type.rt.clear = module_clear;
  g_module_type.getattr = module_getattr;
  g_module_type.setattr = module_setattr;
  g_module_type.repr = module_repr;
  return true;
}

}  // namespace ftpy::interp
