// class.cpp: `type`, `object`, user classes, instances, super() and type_lookup's cache.
// A user class is a TypeObject allocated in the Gc heap whose slots are copied from its base
// and then overridden by generic "slot_*" functions for each special method its namespace
// defines (CPython's typeobject.c update_one_slot, simplified to single inheritance).
// Threads. A class dict is written under the class's critical section (type_setattr), then
// g_type_lock is taken to give the class and its heap subclasses fresh versions and fix up
// their slots; g_type_lock also guards the heap-type list. Lock order: class section >
// g_type_lock; nothing blocks while g_type_lock is held. Class dicts are read lock-free (the
// dict's own lock-free lookup). The attribute cache is a global array of seqlocked (version,
// name, value) entries read with no lock; a filler reads the version (acquire) before the
// dicts, and versions are never reused, so an entry for a current version never holds a value
// older than that version's dict change (see type_lookup).
#include "interp/objects/class.h"
#include "gc/collect.h"
#include "interp/objects/types_internal.h"
#include "runtime/local_refs.h"

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/thread_state.h"
#include "sync/critical_section.h"
#include "sync/mutex.h"
#include "sync/seqlock.h"

namespace ftpy::interp {

TypeObject g_object_type, g_type_type;
TypeObject g_super_type;

namespace {

// The next heap version tag to hand out; 0 once all are used (then no type is cached).
std::atomic<std::uint32_t> g_version_counter{1};  // next_type_version's; 0 once all are used

// Guards the heap-type list, version bumps and slot fix-ups. An internal lock: taken inside a
// class's critical section, never around one; held only for work that cannot block, run
// Python code or free a class.
sync::RankedMutex g_type_lock{sync::LockRank::TypeLock};

struct Dunders {
  StrObject *repr, *str, *eq, *ne, *lt, *le, *gt, *ge, *hash, *len, *bool_, *getitem,
      *setitem, *delitem, *contains, *iter, *next, *call, *add, *sub, *mul, *radd, *rsub,
      *rmul, *init, *new_, *module, *qualname, *name, *class_, *dict, *doc, *bases, *base,
      *mro, *enter, *exit, *truediv, *floordiv, *mod, *rtruediv, *rfloordiv, *rmod, *neg,
      *format;
};
Dunders d;

// Heap types, in creation order (a base before its subclasses). Guarded by g_type_lock.
std::vector<TypeObject*> g_heap_types FTPY_GUARDED_BY(g_type_lock);

// One entry of the type attribute cache, under a sync::SeqLock (sync/seqlock.h: any thread
// may fill an entry, skipping the fill if another is filling it; readers take no lock and a
// torn read is a miss).
struct CacheEntry {
  sync::SeqLock lock;
  std::uint32_t version;  // 0: empty (version 0 is never cached)
  StrObject* name;
  std::uintptr_t value;   // Value::bits, borrowed from the class dict
};
constexpr std::size_t k_cache_size = 4096;
CacheEntry g_cache[k_cache_size];

Value tv(TypeObject* t) { return Value::from(&t->header); }
bool is_heap(const TypeObject* t) { return t->tp_flags & k_tp_heaptype; }

StrObject* interned(StrObject* name) { return name->interned ? name : intern(name->view()); }

sync::CriticalSectionStack& current_sections() {
  runtime::ThreadState* ts = runtime::ThreadState::current();
  FTPY_ASSERT(ts != nullptr);
  return ts->critical_sections();
}

// ---- calling special methods -------------------------------------------------------------

// Looks `name` up on type(self) and calls it with self prepended. *found is false (and null
// returned, no error) when the type has no such attribute.
Value call_special(Value self, StrObject* name, const Value* args, std::size_t nargs,
                   bool* found, TupleObject* kwnames = nullptr) {
  Value m = type_lookup(type_of(self), name);
  *found = bool(m);
  if (!m) return Value::null();
  if (m == none()) {
    *found = false;
    return Value::null();
  }
  if (is_function(m) || type_of(m) == &g_method_descr_type) {
    Value small[8];
    std::vector<Value> big;
    Value* buf = small;
    if (nargs + 1 > 8) {
      big.resize(nargs + 1);
      buf = big.data();
    }
    buf[0] = self;
    for (std::size_t i = 0; i < nargs; i++) buf[i + 1] = args[i];
    return call(m, buf, nargs + 1, kwnames);
  }
  TypeObject* mt = type_of(m);
  Value bound = mt->descr_get ? mt->descr_get(m, self, type_of(self)) : newref(m);
  if (!bound) return bound;
  Value r = call(bound, args, nargs, kwnames);
  decref(bound);
  return r;
}

Value call_special0(Value self, StrObject* name) {
  bool found;
  Value r = call_special(self, name, nullptr, 0, &found);
  if (!found && !error_occurred())
    return raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", type_name(self),
                     name->view());
  return r;
}

Value slot_repr(Value self) {
  if (!enter_recursive_call(" while getting the repr of an object")) return Value::null();
  Value r = call_special0(self, d.repr);
  leave_recursive_call();
  if (r && !isinstance_of(r, &g_str_type)) {
    Value e = raise_fmt(&g_TypeError, "__repr__ returned non-string (type {})", type_name(r));
    decref(r);
    return e;
  }
  return r;
}

Value slot_str(Value self) {
  if (!enter_recursive_call(" while getting the str of an object")) return Value::null();
  Value r = call_special0(self, d.str);
  leave_recursive_call();
  if (r && !isinstance_of(r, &g_str_type)) {
    Value e = raise_fmt(&g_TypeError, "__str__ returned non-string (type {})", type_name(r));
    decref(r);
    return e;
  }
  return r;
}

std::int64_t slot_hash(Value self) {
  Value r = call_special0(self, d.hash);
  if (!r) return -1;
  std::int64_t h;
  if (!as_int64(r, &h)) {
    decref(r);
    raise(&g_TypeError, "__hash__ method should return an integer");
    return -1;
  }
  decref(r);
  return h == -1 ? -2 : h;
}

std::int64_t unhashable_hash(Value self) {
  raise_fmt(&g_TypeError, "unhashable type: '{}'", type_name(self));
  return -1;
}

StrObject* compare_name(CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return d.lt;
    case CompareOp::Le: return d.le;
    case CompareOp::Eq: return d.eq;
    case CompareOp::Ne: return d.ne;
    case CompareOp::Gt: return d.gt;
    case CompareOp::Ge: return d.ge;
  }
  return d.eq;
}

Value slot_richcompare(Value a, Value b, CompareOp op) {
  if (!enter_recursive_call(" in comparison")) return Value::null();
  bool found;
  Value r = call_special(a, compare_name(op), &b, 1, &found);
  leave_recursive_call();
  if (!found && !error_occurred()) return not_implemented();
  return r;
}

int slot_truthy(Value self) {
  bool found;
  Value r = call_special(self, d.bool_, nullptr, 0, &found);
  if (found) {
    if (!r) return -1;
    if (r.is_object() && (r.obj() == &g_true_obj || r.obj() == &g_false_obj))
      return r.obj() == &g_true_obj;
    raise_fmt(&g_TypeError, "__bool__ should return bool, returned {}", type_name(r));
    decref(r);
    return -1;
  }
  if (error_occurred()) return -1;
  r = call_special(self, d.len, nullptr, 0, &found);
  if (!found) return error_occurred() ? -1 : 1;
  if (!r) return -1;
  std::int64_t n;
  bool ok = as_int64(r, &n);
  decref(r);
  if (!ok) {
    raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(r));
    return -1;
  }
  return n != 0;
}

std::int64_t slot_len(Value self) {
  Value r = call_special0(self, d.len);
  if (!r) return -1;
  std::int64_t n;
  if (!as_int64(r, &n)) {
    raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(r));
    decref(r);
    return -1;
  }
  decref(r);
  if (n < 0) {
    raise(&g_ValueError, "__len__() should return >= 0");
    return -1;
  }
  return n;
}

Value slot_getitem(Value self, Value key) {
  bool found;
  Value r = call_special(self, d.getitem, &key, 1, &found);
  if (!found && !error_occurred())
    return raise_fmt(&g_TypeError, "'{}' object is not subscriptable", type_name(self));
  return r;
}

int slot_setitem(Value self, Value key, Value value) {
  bool found;
  Value args[2] = {key, value};
  Value r = value ? call_special(self, d.setitem, args, 2, &found)
                  : call_special(self, d.delitem, args, 1, &found);
  if (!found && !error_occurred()) {
    raise_fmt(&g_TypeError,
              value ? "'{}' object does not support item assignment"
                    : "'{}' object does not support item deletion",
              type_name(self));
    return -1;
  }
  if (!r) return -1;
  decref(r);
  return 0;
}

int slot_contains(Value self, Value item) {
  bool found;
  Value r = call_special(self, d.contains, &item, 1, &found);
  if (!r) return -1;
  int t = truthy(r);
  decref(r);
  return t;
}

Value slot_iter(Value self) {
  bool found;
  Value r = call_special(self, d.iter, nullptr, 0, &found);
  if (!found && !error_occurred())
    return raise_fmt(&g_TypeError, "'{}' object is not iterable", type_name(self));
  return r;
}

Value slot_iternext(Value self) {
  bool found;
  Value r = call_special(self, d.next, nullptr, 0, &found);
  if (!found && !error_occurred())
    return raise_fmt(&g_TypeError, "'{}' object is not an iterator", type_name(self));
  if (!r && error_matches(&g_StopIteration)) clear_error();
  return r;
}

Value slot_call(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (!enter_recursive_call(" while calling a Python object")) return Value::null();
  bool found;
  Value r = call_special(self, d.call, args, nargs, &found, kwnames);
  leave_recursive_call();
  if (!found && !error_occurred())
    return raise_fmt(&g_TypeError, "'{}' object is not callable", type_name(self));
  return r;
}

int slot_init(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  bool found;
  Value r = call_special(self, d.init, args, nargs, &found, kwnames);
  if (!r) return found || error_occurred() ? -1 : 0;
  if (r != none()) {
    raise_fmt(&g_TypeError, "__init__() should return None, not '{}'", type_name(r));
    decref(r);
    return -1;
  }
  return 0;
}

// a OP b for a user class: a.__op__(b), then b.__rop__(a) (CPython's SLOT1BINFULL).
template <int k_which>
Value slot_binary(Value a, Value b) {
  static StrObject** const k_fwd[] = {&d.add, &d.sub, &d.mul, &d.truediv, &d.floordiv, &d.mod};
  static StrObject** const k_rev[] = {&d.radd, &d.rsub, &d.rmul, &d.rtruediv, &d.rfloordiv,
                                      &d.rmod};
  bool found = false;
  TypeObject* ta = type_of(a);
  TypeObject* tb = type_of(b);
  if (is_heap(ta)) {
    Value r = call_special(a, *k_fwd[k_which], &b, 1, &found);
    if (found || error_occurred()) {
      if (!r) return r;
      if (r != not_implemented()) return r;
      decref(r);
    }
  }
  if (tb != ta && is_heap(tb)) {
    Value r = call_special(b, *k_rev[k_which], &a, 1, &found);
    if (found || error_occurred()) return r;
  }
  return not_implemented();
}

Value slot_neg(Value a) { return call_special0(a, d.neg); }

// ---- object -------------------------------------------------------------------------------

void instance_dealloc(Object* o) {
  runtime::gc_untrack(o);
  TypeObject* t = type_from_rt(o->ob_type);
  auto* inst = reinterpret_cast<InstanceObject*>(o);
  if (inst->dict) decref(Value::from(&inst->dict->header));
  runtime::free_object(o);
  if (is_heap(t)) runtime::decref(&t->header);
}

int instance_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  TypeObject* t = type_from_rt(o->ob_type);
  if (is_heap(t))
    if (int r = visit(&t->header, arg)) return r;
  auto* inst = reinterpret_cast<InstanceObject*>(o);
  return inst->dict ? visit(&inst->dict->header, arg) : 0;
}

Object* instance_dict_part(Object* o) {
  DictObject* d = reinterpret_cast<InstanceObject*>(o)->dict;
  return d ? &d->header : nullptr;
}

void instance_clear(Object* o) {
  auto* inst = reinterpret_cast<InstanceObject*>(o);
  if (DictObject* dd = inst->dict) {
    inst->dict = nullptr;
    decref(Value::from(&dd->header));
  }
}

bool excess_args(std::size_t nargs) { return nargs > 0; }

int object_init(Value self, const Value*, std::size_t nargs, TupleObject*);

Value object_new(TypeObject* type, const Value*, std::size_t nargs, TupleObject*) {
  if (excess_args(nargs) && type->init == object_init)
    return raise_fmt(&g_TypeError, "{}() takes no arguments", type->name->view());
  std::size_t size = type->instance_size < sizeof(InstanceObject) ? sizeof(InstanceObject)
                                                                   : type->instance_size;
  Object* o = runtime::alloc_object(&type->rt, size);
  if (!o) return raise_no_memory();
  if (is_heap(type)) runtime::incref(&type->header);
  if (type->rt.flags & runtime::type_flags::k_gc) runtime::gc_track(o);
  return Value::from(o);
}

int object_init(Value self, const Value*, std::size_t nargs, TupleObject*) {
  TypeObject* type = type_of(self);
  if (excess_args(nargs) && type->new_ == object_new && type->init == object_init) {
    raise_fmt(&g_TypeError, "{}() takes no arguments", type->name->view());
    return -1;
  }
  return 0;
}

std::string module_of(TypeObject* t) {
  if (is_heap(t) && t->dict) {
    Value m = dict_get_str(Value::from(&t->dict->header), d.module);
    if (m && isinstance_of(m, &g_str_type)) return std::string(as_str(m)->view());
  }
  return "builtins";
}

std::string qualname_of(TypeObject* t) {
  if (is_heap(t) && t->dict) {
    Value m = dict_get_str(Value::from(&t->dict->header), d.qualname);
    if (m && isinstance_of(m, &g_str_type)) return std::string(as_str(m)->view());
  }
  return std::string(t->name->view());
}

Value object_repr(Value self) {
  TypeObject* t = type_of(self);
  std::string mod = module_of(t);
  std::string qn = qualname_of(t);
  if (mod != "builtins") qn = mod + "." + qn;
  return make_str(fmt::format("<{} object at {}>", qn, static_cast<void*>(self.obj())));
}

Value object_str(Value self) { return repr(self); }

std::int64_t object_hash(Value self) {
  std::int64_t h = std::int64_t(self.bits >> 4);
  return h == -1 ? -2 : h;
}

Value object_richcompare(Value a, Value b, CompareOp op) {
  if (op == CompareOp::Eq) return a == b ? py_bool(true) : not_implemented();
  if (op == CompareOp::Ne) {
    TypeObject* t = type_of(a);
    if (t->richcompare && t->richcompare != object_richcompare) {
      Value r = t->richcompare(a, b, CompareOp::Eq);
      if (!r || r == not_implemented()) return r;
      int tr = truthy(r);
      decref(r);
      if (tr < 0) return Value::null();
      return py_bool(!tr);
    }
    return a == b ? py_bool(false) : not_implemented();
  }
  return not_implemented();
}

// object's methods (for super().__init__(), object.__repr__(x), x.__eq__(y), ...).
Value m_object_init(Value self, const Value*, std::size_t nargs, TupleObject* kwnames) {
  if (nargs > 0 && type_of(self)->init != object_init)
    return raise(&g_TypeError,
                 "object.__init__() takes exactly one argument (the instance to initialize)");
  (void)kwnames;
  if (object_init(self, nullptr, nargs, nullptr) < 0) return Value::null();
  return none();
}
Value m_object_repr(Value self, const Value*, std::size_t, TupleObject*) {
  return object_repr(self);
}
Value m_object_str(Value self, const Value*, std::size_t, TupleObject*) { return repr(self); }
Value m_object_eq(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 1) return raise(&g_TypeError, "expected 1 argument");
  return object_richcompare(self, args[0], CompareOp::Eq);
}
Value m_object_ne(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 1) return raise(&g_TypeError, "expected 1 argument");
  return object_richcompare(self, args[0], CompareOp::Ne);
}
Value m_object_hash(Value self, const Value*, std::size_t, TupleObject*) {
  return make_int(object_hash(self));
}

// ---- type -----------------------------------------------------------------------------------

Value type_repr(Value self) {
  TypeObject* t = as_type(self);
  std::string mod = module_of(t);
  std::string qn = qualname_of(t);
  if (mod != "builtins") qn = mod + "." + qn;
  return make_str(fmt::format("<class '{}'>", qn));
}

Value type_call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  TypeObject* t = as_type(callable);
  std::size_t nkw = kwnames ? kwnames->size : 0;
  if (t == &g_type_type) {
    if (nargs == 1 && nkw == 0) return newref(tv(type_of(args[0])));
    if (nargs == 3 && nkw == 0) return make_class(args[0], args[1], args[2]);
    return raise(&g_TypeError, "type() takes 1 or 3 arguments");
  }
  if (!t->new_)
    return raise_fmt(&g_TypeError, "cannot create '{}' instances", t->name->view());
  Value obj = t->new_(t, args, nargs, kwnames);
  if (!obj) return obj;
  if (t->init && isinstance_of(obj, t)) {
    if (t->init(obj, args, nargs, kwnames) < 0) {
      decref(obj);
      return Value::null();
    }
  }
  return obj;
}

Value type_getattr(Value self, StrObject* name) {
  TypeObject* t = as_type(self);
  name = interned(name);
  if (name == d.name) return newref(Value::from(&t->name->header));
  if (name == d.qualname) return make_str(qualname_of(t));
  if (name == d.module) return make_str(module_of(t));
  if (name == d.base) return t->base ? newref(tv(t->base)) : none();
  if (name == d.bases) {
    if (!t->base) return make_tuple(0);
    Value b = tv(t->base);
    return make_tuple_from(&b, 1);
  }
  if (name == d.mro) {
    std::vector<Value> chain;
    for (TypeObject* c = t; c; c = c->base) chain.push_back(tv(c));
    return make_tuple_from(chain.data(), chain.size());
  }
  if (name == d.dict) return t->dict ? dict_copy(Value::from(&t->dict->header)) : make_dict();
  if (name == d.class_) return newref(tv(type_of(self)));
  Value descr = type_lookup(t, name);
  if (descr) {
    TypeObject* dt = type_of(descr);
    if (dt->descr_get) return dt->descr_get(descr, Value::null(), t);
    return newref(descr);
  }
  if (name == d.doc) return none();
  // Methods of `type` itself (type.__repr__, ...), bound to the class.
  Value meta = type_lookup(&g_type_type, name);
  if (meta) {
    TypeObject* dt = type_of(meta);
    if (dt->descr_get) return dt->descr_get(meta, self, &g_type_type);
    return newref(meta);
  }
  if (Value w = slot_wrapper(t, name, Value::null())) return w;
  if (error_occurred()) return Value::null();
  return raise_fmt(&g_AttributeError, "type object '{}' has no attribute '{}'", t->name->view(),
                   name->view());
}

void fixup_slots(TypeObject* t);

// Gives t and every heap subclass of t a new version (their caches must miss from now on)
// and recomputes their special-method slots. Call after the change to t's dict is stored:
// the release store publishes it to a lookup that reads the new version with acquire (bumps
// are serialised by g_type_lock, so a later version also publishes earlier changes).
void type_modified_locked(TypeObject* t) FTPY_REQUIRES(g_type_lock) {
  for (TypeObject* h : g_heap_types) {
    if (is_subtype(h, t)) {
      h->version.store(next_type_version(), std::memory_order_release);
      fixup_slots(h);
    }
  }
}

// Writes a heap class's dict under its critical section, then bumps the versions: the store
// must come first, so that a lookup that sees a new version also sees the new value (a bump
// first would let a lookup fill the cache with the old value under the new version). The
// dict change itself does not need g_type_lock: whoever fixes up slots later reads the dict.
int type_setattr(Value self, StrObject* name, Value value) {
  TypeObject* t = as_type(self);
  if (!is_heap(t)) {
    raise_fmt(&g_TypeError, "cannot set '{}' attribute of immutable type '{}'", name->view(),
              t->name->view());
    return -1;
  }
  name = interned(name);
  Value dict = Value::from(&t->dict->header);
  int r;
  {
    sync::CriticalSection cs{current_sections(), t->header.ob_mutex};
    r = value ? dict_setitem_str(dict, name, value)
              : dict_delitem(dict, Value::from(&name->header));
    sync::MutexGuard guard{g_type_lock};
    type_modified_locked(t);
  }
  if (r < 0 && !value && error_matches(&g_KeyError)) {
    clear_error();
    raise_fmt(&g_AttributeError, "type object '{}' has no attribute '{}'", t->name->view(),
              name->view());
  }
  return r;
}

void type_dealloc(Object* o) {
  auto* ty = reinterpret_cast<TypeObject*>(o);
  runtime::gc_untrack(o);
  {
    sync::MutexGuard guard{g_type_lock};
    for (std::size_t i = 0; i < g_heap_types.size(); i++)
      if (g_heap_types[i] == ty) {
        g_heap_types.erase(g_heap_types.begin() + std::ptrdiff_t(i));
        break;
      }
  }
  if (ty->dict) decref(Value::from(&ty->dict->header));
  if (ty->name) decref(Value::from(&ty->name->header));
  if (ty->base && is_heap(ty->base)) runtime::decref(&ty->base->header);
  runtime::free_object(o);
}

int type_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* ty = reinterpret_cast<TypeObject*>(o);
  if (ty->dict)
    if (int r = visit(&ty->dict->header, arg)) return r;
  if (ty->base && is_heap(ty->base)) return visit(&ty->base->header, arg);
  return 0;
}

void type_clear(Object* o) {
  auto* ty = reinterpret_cast<TypeObject*>(o);
  (void)ty;  // the dict stays until dealloc: instances may still look methods up
}

// ---- user classes ---------------------------------------------------------------------------

constexpr std::size_t k_slots_begin = offsetof(TypeObject, repr);
constexpr std::size_t k_slots_end = offsetof(TypeObject, format) + sizeof(TypeObject::format);

bool defines(TypeObject* t, StrObject* name) {
  return t->dict && dict_get_str(Value::from(&t->dict->header), name);
}

// The slots t should have, from its base's and the special methods its dict defines, into
// the slot range of `out` (a scratch TypeObject). Reads t's dict and its base's slots.
void compute_slots(TypeObject* out, TypeObject* t) {
  TypeObject* b = t->base;
  std::memcpy(reinterpret_cast<char*>(out) + k_slots_begin,
              reinterpret_cast<char*>(b) + k_slots_begin, k_slots_end - k_slots_begin);
  out->getattr = object_generic_getattr;
  out->setattr = object_generic_setattr;
  out->descr_get = nullptr;
  out->descr_set = nullptr;
  if (defines(t, d.repr)) out->repr = slot_repr;
  if (defines(t, d.str)) out->str = slot_str;
  bool cmp = false;
  for (StrObject* n : {d.eq, d.ne, d.lt, d.le, d.gt, d.ge}) cmp |= defines(t, n);
  if (cmp) out->richcompare = slot_richcompare;
  if (defines(t, d.hash)) {
    Value h = dict_get_str(Value::from(&t->dict->header), d.hash);
    out->hash = h == none() ? unhashable_hash : slot_hash;
  } else if (defines(t, d.eq)) {
    out->hash = unhashable_hash;
  }
  if (defines(t, d.bool_) || defines(t, d.len)) out->truthy = slot_truthy;
  if (defines(t, d.len)) out->len = slot_len;
  if (defines(t, d.getitem)) out->getitem = slot_getitem;
  if (defines(t, d.setitem) || defines(t, d.delitem)) out->setitem = slot_setitem;
  if (defines(t, d.contains)) out->contains = slot_contains;
  if (defines(t, d.iter)) out->iter = slot_iter;
  if (defines(t, d.next)) out->iternext = slot_iternext;
  if (defines(t, d.call)) out->call = slot_call;
  if (defines(t, d.init)) out->init = slot_init;
  if (defines(t, d.add) || defines(t, d.radd)) out->binary[int(BinaryOp::Add)] = slot_binary<0>;
  if (defines(t, d.sub) || defines(t, d.rsub)) out->binary[int(BinaryOp::Sub)] = slot_binary<1>;
  if (defines(t, d.mul) || defines(t, d.rmul)) out->binary[int(BinaryOp::Mul)] = slot_binary<2>;
  if (defines(t, d.truediv) || defines(t, d.rtruediv))
    out->binary[int(BinaryOp::TrueDiv)] = slot_binary<3>;
  if (defines(t, d.floordiv) || defines(t, d.rfloordiv))
    out->binary[int(BinaryOp::FloorDiv)] = slot_binary<4>;
  if (defines(t, d.mod) || defines(t, d.rmod)) out->binary[int(BinaryOp::Mod)] = slot_binary<5>;
  if (defines(t, d.neg)) out->unary[int(UnaryOp::Neg)] = slot_neg;
}

// Recomputes t's special-method slots. With g_type_lock held (or t not yet published): the
// fix-ups of t and its base are serialised; a dict store that races the reads is followed by
// its own fix-up. Only the slot words that change are written, so rebinding an ordinary
// attribute writes no slot that other threads are calling through.
void fixup_slots(TypeObject* t) {
  static_assert((k_slots_end - k_slots_begin) % sizeof(void*) == 0,
                "the slot range holds only function pointers");
  TypeObject scratch{};
  compute_slots(&scratch, t);
  char* dst = reinterpret_cast<char*>(t);
  const char* src = reinterpret_cast<const char*>(&scratch);
  for (std::size_t off = k_slots_begin; off < k_slots_end; off += sizeof(void*))
    if (std::memcmp(dst + off, src + off, sizeof(void*)) != 0)
      std::memcpy(dst + off, src + off, sizeof(void*));
}

// ---- super ------------------------------------------------------------------------------------

struct SuperObject {
  Object header;
  TypeObject* type;      // the class whose bases are searched (borrowed: kept by obj's type)
  Value obj;             // owned
  TypeObject* obj_type;  // type(obj), or obj itself when it is a class
};

void super_dealloc(Object* o) {
  runtime::gc_untrack(o);
  decref(reinterpret_cast<SuperObject*>(o)->obj);
  runtime::free_object(o);
}
int super_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  Value v = reinterpret_cast<SuperObject*>(o)->obj;
  return v.is_object() ? visit(v.obj(), arg) : 0;
}
// The GC's clear, for an unreachable super object (dealloc then drops None).
void super_clear(Object* o) {
  auto* s = reinterpret_cast<SuperObject*>(o);
  Value v = s->obj;
  s->obj = none();
  decref(v);
}



Value super_getattr(Value self, StrObject* name) {
  auto* s = reinterpret_cast<SuperObject*>(self.obj());
  name = interned(name);
  if (name == d.class_) return newref(tv(&g_super_type));
  TypeObject* start = s->type->base;
  if (start) {
    Value descr = type_lookup(start, name);
    if (descr) {
      TypeObject* dt = type_of(descr);
      if (dt->descr_get)
        return dt->descr_get(descr, s->obj_type == type_of(s->obj) ? s->obj : Value::null(),
                             s->obj_type);
      return newref(descr);
    }
    if (Value w = slot_wrapper(start, name, s->obj)) return w;
    if (error_occurred()) return Value::null();
  }
  return raise_fmt(&g_AttributeError, "'super' object has no attribute '{}'", name->view());
}

Value super_repr(Value self) {
  auto* s = reinterpret_cast<SuperObject*>(self.obj());
  return make_str(fmt::format("<super: <class '{}'>, <{} object>>", s->type->name->view(),
                              s->obj_type->name->view()));
}

// ---- slot wrappers ------------------------------------------------------------------------------
// make_builtin_function's self is a 2-tuple (owner type, instance) so one native function
// per special method serves every owner.

TypeObject* wrapper_owner(Value self) { return as_type(as_tuple(self)->items[0]); }
Value wrapper_obj(Value self) { return as_tuple(self)->items[1]; }

Value w_init(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  TypeObject* owner = wrapper_owner(self);
  if (owner->init && owner->init(wrapper_obj(self), args, nargs, kwnames) < 0)
    return Value::null();
  return none();
}
Value w_repr(Value self, const Value*, std::size_t, TupleObject*) {
  return wrapper_owner(self)->repr(wrapper_obj(self));
}
Value w_str(Value self, const Value*, std::size_t, TupleObject*) {
  return wrapper_owner(self)->str(wrapper_obj(self));
}
Value w_hash(Value self, const Value*, std::size_t, TupleObject*) {
  std::int64_t h = wrapper_owner(self)->hash(wrapper_obj(self));
  return h == -1 && error_occurred() ? Value::null() : make_int(h);
}
template <CompareOp k_op>
Value w_compare(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 1) return raise(&g_TypeError, "expected 1 argument");
  return wrapper_owner(self)->richcompare(wrapper_obj(self), args[0], k_op);
}
Value w_len(Value self, const Value*, std::size_t, TupleObject*) {
  std::int64_t n = wrapper_owner(self)->len(wrapper_obj(self));
  return n < 0 ? Value::null() : make_int(n);
}
Value w_getitem(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 1) return raise(&g_TypeError, "expected 1 argument");
  return wrapper_owner(self)->getitem(wrapper_obj(self), args[0]);
}
Value w_setitem(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 2) return raise(&g_TypeError, "expected 2 arguments");
  return wrapper_owner(self)->setitem(wrapper_obj(self), args[0], args[1]) < 0 ? Value::null()
                                                                               : none();
}
Value w_contains(Value self, const Value* args, std::size_t nargs, TupleObject*) {
  if (nargs != 1) return raise(&g_TypeError, "expected 1 argument");
  int r = wrapper_owner(self)->contains(wrapper_obj(self), args[0]);
  return r < 0 ? Value::null() : py_bool(r);
}
Value w_iter(Value self, const Value*, std::size_t, TupleObject*) {
  return wrapper_owner(self)->iter(wrapper_obj(self));
}
Value w_call(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  return wrapper_owner(self)->call(wrapper_obj(self), args, nargs, kwnames);
}

}  // namespace

Value make_super(TypeObject* type, Value obj) {
  TypeObject* obj_type;
  if (is_type(obj) && is_subtype(as_type(obj), type)) {
    obj_type = as_type(obj);
  } else if (isinstance_of(obj, type)) {
    obj_type = type_of(obj);
  } else {
    return raise(&g_TypeError, "super(type, obj): obj must be an instance or subtype of type");
  }
  Object* o = runtime::alloc_object(&g_super_type.rt, sizeof(SuperObject));
  if (!o) return raise_no_memory();
  auto* s = reinterpret_cast<SuperObject*>(o);
  s->type = type;
  s->obj = newref(obj);
  s->obj_type = obj_type;
  runtime::gc_track(o);
  return Value::from(o);
}

Value type_python_len(TypeObject* t) {
  if (t->len != slot_len) return Value::null();
  Value len = type_lookup(t, d.len);
  return is_function(len) ? len : Value::null();
}

Value type_python_init(TypeObject* t) {
  if (!(t->tp_flags & k_tp_heaptype) || t->new_ != object_new || t->init != slot_init)
    return Value::null();
  Value init = type_lookup(t, d.init);
  return is_function(init) ? init : Value::null();
}

Value super_method(Value super, StrObject* name, Value* self) {
  if (!super.is_object() || super.obj()->ob_type != &g_super_type.rt) return Value::null();
  auto* s = reinterpret_cast<SuperObject*>(super.obj());
  TypeObject* start = s->type->base;
  if (!start || !name->interned || s->obj_type != type_of(s->obj)) return Value::null();
  Value descr = type_lookup(start, name);
  if (!is_function(descr)) return Value::null();
  *self = s->obj;
  return descr;
}

// ---- public -----------------------------------------------------------------------------------

std::uint32_t next_type_version() {
  // relaxed: a version only has to be unique; what it publishes is ordered by the store of it.
  std::uint32_t v = g_version_counter.load(std::memory_order_relaxed);
  do {
    if (v == 0) return 0;  // all used: from now on changed types are not cached
  } while (!g_version_counter.compare_exchange_weak(v, v + 1,  // UINT32_MAX + 1 wraps to 0
                                                    std::memory_order_relaxed));
  return v;
}

std::uint32_t type_version(TypeObject* t) {
  // acquire: pairs with the release store in type_modified_locked (the dict change before it).
  std::uint32_t v = t->version.load(std::memory_order_acquire);
  if (v) return v;
  std::uint32_t fresh = next_type_version();
  if (!fresh) return 0;
  if (t->version.compare_exchange_strong(v, fresh, std::memory_order_acq_rel)) return fresh;
  return v;
}

bool is_subtype(const TypeObject* t, const TypeObject* base) {
  for (; t; t = t->base)
    if (t == base) return true;
  return false;
}

namespace {

// The MRO walk behind type_lookup (lock-free dict lookups).
Value find_in_mro(TypeObject* type, StrObject* name) {
  for (TypeObject* t = type; t; t = t->base)
    if (t->dict)
      if (Value v = dict_get_str(Value::from(&t->dict->header), name)) return v;
  return Value::null();
}

std::size_t cache_index(std::uint32_t version, StrObject* name) {
  return ((version * 2654435761u) ^ (reinterpret_cast<std::uintptr_t>(name) >> 4)) &
         (k_cache_size - 1);
}

// The cached value for (version, name), or false. Lock-free.
bool cache_read(const CacheEntry& e, std::uint32_t version, StrObject* name, Value* out) {
  std::uint32_t s = e.lock.read_begin();
  if (s & 1) return false;  // being filled
  std::uint32_t ev = sync::seq_load(e.version);
  StrObject* en = sync::seq_load(e.name);
  std::uintptr_t bits = sync::seq_load(e.value);
  if (!e.lock.unchanged(s) || ev != version || en != name) return false;
  *out = Value{bits};
  return true;
}

// Fills e with (version, name, value) unless another thread is filling it.
void cache_write(CacheEntry& e, std::uint32_t version, StrObject* name, Value value) {
  if (sync::SeqWrite w(e.lock); w.ok()) {
    sync::seq_store(e.version, version);
    sync::seq_store(e.name, name);
    sync::seq_store(e.value, value.bits);
  }
}

}  // namespace

// The version is read (acquire) before the dicts, and an entry is only used for the version
// it was filled under: a lookup that sees a class's new version therefore sees the dict store
// that preceded it, both in the dicts and in any entry filled under that version. An entry
// filled under an older version (possibly with the old value) never matches again, because
// versions are not reused.
Value type_lookup(TypeObject* type, StrObject* name) {
  if (!name->interned) return find_in_mro(type, name);
  std::uint32_t version = type_version(type);
  if (!version) return find_in_mro(type, name);
  CacheEntry& e = g_cache[cache_index(version, name)];
  Value found;
  if (cache_read(e, version, name, &found)) return found;
  found = find_in_mro(type, name);
  cache_write(e, version, name, found);
  return found;
}

DictObject** instance_dict_slot(Value v) {
  if (!v.is_object()) return nullptr;
  TypeObject* t = type_of(v);
  if (!(t->tp_flags & (k_tp_heaptype | k_tp_exception))) return nullptr;
  return &reinterpret_cast<InstanceObject*>(v.obj())->dict;
}

Value object_generic_getattr(Value self, StrObject* name) {
  TypeObject* tp = type_of(self);
  name = interned(name);
  if (name == d.class_) return newref(tv(tp));
  Value descr = type_lookup(tp, name);
  Value (*get)(Value, Value, TypeObject*) = nullptr;
  if (descr) {
    TypeObject* dt = type_of(descr);
    get = dt->descr_get;
    if (get && dt->descr_set) return get(descr, self, tp);
  }
  DictObject** slot = instance_dict_slot(self);
  if (slot) {
    if (*slot)
      if (Value v = dict_get_str(Value::from(&(*slot)->header), name)) return newref(v);
    if (name == d.dict) {
      if (!*slot) {
        Value nd = make_dict();
        if (!nd) return nd;
        *slot = reinterpret_cast<DictObject*>(nd.obj());
      }
      return newref(Value::from(&(*slot)->header));
    }
  }
  if (get) return get(descr, self, tp);
  if (descr) return newref(descr);
  if (Value w = slot_wrapper(tp, name, self)) return w;
  if (error_occurred()) return Value::null();
  return raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", tp->name->view(),
                   name->view());
}

int object_generic_setattr(Value self, StrObject* name, Value value) {
  return generic_setattr_dict(self, instance_dict_slot(self), interned(name), value);
}

Value slot_wrapper(TypeObject* owner, StrObject* name, Value self) {
  NativeMethodFn fn = nullptr;
  if (name == d.init && owner->init) fn = w_init;
  else if (name == d.repr && owner->repr) fn = w_repr;
  else if (name == d.str && owner->str) fn = w_str;
  else if (name == d.hash && owner->hash) fn = w_hash;
  else if (name == d.len && owner->len) fn = w_len;
  else if (name == d.getitem && owner->getitem) fn = w_getitem;
  else if (name == d.setitem && owner->setitem) fn = w_setitem;
  else if (name == d.contains && owner->contains) fn = w_contains;
  else if (name == d.iter && owner->iter) fn = w_iter;
  else if (name == d.call && owner->call) fn = w_call;
  else if (owner->richcompare) {
    if (name == d.eq) fn = w_compare<CompareOp::Eq>;
    else if (name == d.ne) fn = w_compare<CompareOp::Ne>;
    else if (name == d.lt) fn = w_compare<CompareOp::Lt>;
    else if (name == d.le) fn = w_compare<CompareOp::Le>;
    else if (name == d.gt) fn = w_compare<CompareOp::Gt>;
    else if (name == d.ge) fn = w_compare<CompareOp::Ge>;
  }
  if (!fn || !self) return Value::null();
  Value pair[2] = {tv(owner), self};
  Value t = make_tuple_from(pair, 2);
  if (!t) return t;
  Value f = make_builtin_function(name->data, fn, t);
  decref(t);
  return f;
}

Value make_class(Value name, Value bases, Value ns) {
  if (!isinstance_of(name, &g_str_type))
    return raise(&g_TypeError, "type.__new__() argument 1 must be str");
  if (!isinstance_of(bases, &g_tuple_type))
    return raise(&g_TypeError, "type.__new__() argument 2 must be tuple");
  if (!isinstance_of(ns, &g_dict_type))
    return raise(&g_TypeError, "type.__new__() argument 3 must be dict");
  TupleObject* bt = as_tuple(bases);
  if (bt->size > 1)
    return raise(&g_NotImplementedError,
                 "multiple inheritance is not supported by ftpy (a class may have one base)");
  TypeObject* base = &g_object_type;
  if (bt->size == 1) {
    if (!is_type(bt->items[0]))
      return raise_fmt(&g_TypeError, "bases must be types, not '{}'", type_name(bt->items[0]));
    base = as_type(bt->items[0]);
  }
  if (base != &g_object_type && !is_heap(base) && !(base->tp_flags & k_tp_exception)) {
    if (base == &g_bool_type || !(base->tp_flags & k_tp_basetype) || true)
      return raise_fmt(&g_NotImplementedError,
                       "subclassing built-in type '{}' is not supported by ftpy",
                       base->name->view());
  }
  Object* o = runtime::alloc_object(&g_type_type.rt, sizeof(TypeObject));
  if (!o) return raise_no_memory();
  auto* t = reinterpret_cast<TypeObject*>(o);
  StrObject* nm = intern(as_str(name)->view());
  t->name = nm;
  t->rt.name = nm->data;
  t->rt.basic_size = base->instance_size < sizeof(InstanceObject) ? sizeof(InstanceObject)
                                                                  : base->instance_size;
  t->rt.flags = runtime::type_flags::k_gc;
  t->rt.dealloc = base == &g_object_type || is_heap(base) ? base->rt.dealloc : base->rt.dealloc;
  if (base == &g_object_type) t->rt.dealloc = instance_dealloc;
  t->rt.traverse = base->rt.traverse ? base->rt.traverse : instance_traverse;
  if (base == &g_object_type) t->rt.traverse = instance_traverse;
  t->rt.clear = base == &g_object_type ? instance_clear : base->rt.clear;
  t->gc_inline_part = base == &g_object_type ? instance_dict_part : base->gc_inline_part;
  t->base = base;
  if (is_heap(base)) runtime::incref(&base->header);
  t->instance_size = t->rt.basic_size;
  t->tp_flags = k_tp_heaptype | k_tp_basetype | (base->tp_flags & k_tp_exception);
  t->dict = reinterpret_cast<DictObject*>(dict_copy(ns).obj());
  if (!t->dict) {
    runtime::free_object(o);
    return Value::null();
  }
  Value dv = Value::from(&t->dict->header);
  mark_shared(dv);  // the VM's attribute caches hold borrowed values from it
  if (!dict_get_str(dv, d.qualname)) dict_setitem_str(dv, d.qualname, name);
  if (Value eq = dict_get_str(dv, d.eq); eq && !dict_get_str(dv, d.hash))
    dict_setitem_str(dv, d.hash, none());
  {
    // Under g_type_lock: the base's slots are stable while they are copied, and a change to
    // the base either comes before (and is in t's slots and dict lookups) or sees t listed.
    sync::MutexGuard guard{g_type_lock};
    t->version.store(next_type_version(), std::memory_order_relaxed);
    g_heap_types.push_back(t);
    fixup_slots(t);
  }
  runtime::gc_track(o);
  return Value::from(o);
}

bool init_static_type(TypeObject* t, const char* name, std::size_t size, bool gc,
                      void (*dealloc)(Object*)) {
  if (!setup_type(t, name, t == &g_object_type ? nullptr : t->base ? t->base : &g_object_type,
                  size, gc, dealloc))
    return false;
  t->getattr = object_generic_getattr;
  t->repr = object_repr;
  t->str = object_str;
  t->hash = object_hash;
  t->richcompare = object_richcompare;
  return true;
}


int add_class_builtins(Value builtins) {
  if (dict_setitem_str(builtins, intern("object"), tv(&g_object_type)) < 0) return -1;
  if (dict_setitem_str(builtins, intern("type"), tv(&g_type_type)) < 0) return -1;
  if (dict_setitem_str(builtins, intern("super"), tv(&g_super_type)) < 0) return -1;
  return 0;
}

namespace {
// The counting rule the collector asks about (gc/collect.h); every type here is a TypeObject.
Object* gc_inline_part_of(Object* o) {
  auto part = type_from_rt(o->ob_type)->gc_inline_part;
  return part ? part(o) : nullptr;
}
}  // namespace

bool init_class_types() {
  gc::set_inline_part_fn(gc_inline_part_of);
#define D(field, text) d.field = intern(text)
  D(repr, "__repr__"); D(str, "__str__"); D(eq, "__eq__"); D(ne, "__ne__"); D(lt, "__lt__");
  D(le, "__le__"); D(gt, "__gt__"); D(ge, "__ge__"); D(hash, "__hash__"); D(len, "__len__");
  D(bool_, "__bool__"); D(getitem, "__getitem__"); D(setitem, "__setitem__");
  D(delitem, "__delitem__"); D(contains, "__contains__"); D(iter, "__iter__");
  D(next, "__next__"); D(call, "__call__"); D(add, "__add__"); D(sub, "__sub__");
  D(mul, "__mul__"); D(radd, "__radd__"); D(rsub, "__rsub__"); D(rmul, "__rmul__");
  D(init, "__init__"); D(new_, "__new__"); D(module, "__module__"); D(qualname, "__qualname__");
  D(name, "__name__"); D(class_, "__class__"); D(dict, "__dict__"); D(doc, "__doc__");
  D(bases, "__bases__"); D(base, "__base__"); D(mro, "__mro__"); D(enter, "__enter__");
  D(exit, "__exit__"); D(truediv, "__truediv__"); D(floordiv, "__floordiv__");
  D(mod, "__mod__"); D(rtruediv, "__rtruediv__"); D(rfloordiv, "__rfloordiv__");
  D(rmod, "__rmod__"); D(neg, "__neg__"); D(format, "__format__");
#undef D
  if (!init_static_type(&g_object_type, "object", sizeof(InstanceObject), true,
                        instance_dealloc))
    return false;
  g_object_type.base = nullptr;
  g_object_type.tp_flags |= k_tp_basetype;
  g_object_type.rt.traverse = instance_traverse;
  g_object_type.rt.clear = instance_clear;
  g_object_type.new_ = object_new;
  g_object_type.init = object_init;
  g_object_type.setattr = object_generic_setattr;
  static const NativeMethodDef k_object_methods[] = {
      {"__init__", m_object_init}, {"__repr__", m_object_repr}, {"__str__", m_object_str},
      {"__eq__", m_object_eq},     {"__ne__", m_object_ne},     {"__hash__", m_object_hash},
      {nullptr, nullptr}};
  if (add_native_methods(&g_object_type, k_object_methods) < 0) return false;

  if (!init_static_type(&g_type_type, "type", sizeof(TypeObject), true, type_dealloc))
    return false;
  g_type_type.rt.traverse = type_traverse;
  g_type_type.rt.clear = type_clear;
  g_type_type.call = type_call;
  g_type_type.getattr = type_getattr;
  g_type_type.setattr = type_setattr;
  g_type_type.repr = type_repr;

  if (!init_static_type(&g_super_type, "super", sizeof(SuperObject), true, super_dealloc))
    return false;
  g_super_type.rt.traverse = super_traverse;
  g_super_type.rt.clear = super_clear;
  g_super_type.getattr = super_getattr;
  g_super_type.repr = super_repr;
  return true;
}

}  // namespace ftpy::interp
