// vm.cpp: the evaluation loop (the frame stack is frame_stack.{h,cpp}; the inline caches are
// read and filled through inline_cache.h).
// Dispatch is computed goto under GCC/Clang (a switch otherwise). Python-to-Python calls push
// a frame on this thread's frame stack and continue in the same loop (no C recursion); a frame
// marked `entry` returns from eval_frame, which is how native code calls into Python.
// Fast paths: small-int and float arithmetic and comparisons inline (overflow falls back to
// the generic protocol), comparison fused with the following conditional jump, LOAD_GLOBAL
// cached by the globals/builtins dict versions, LOAD_ATTR/STORE_ATTR/LOAD_METHOD cached by
// type version (method calls push [function, self], never a bound method), `for` over lists
// and ranges without an iterator object from the types (loop state in two stack slots),
// superinstructions for local-operand arithmetic and constant indexing (opcodes.def).
// Exceptions unwind a per-frame block stack (CPython 3.9's design): Setup blocks name a
// handler; Handler blocks remember the previously handled exception, restored when the
// handler ends or is unwound.
#include "interp/vm/vm.h"

#include <pthread.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "gc/collect.h"
#include "interp/objects/class.h"
#include "interp/vm/frame_stack.h"
#include "interp/vm/function.h"
#include "interp/vm/import.h"
#include "interp/vm/inline_cache.h"
#include "interp/vm/traceback.h"
#include "interp/objects/types_internal.h"
#include "runtime/local_refs.h"
#include "runtime/eval_breaker.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

namespace {

// ---- small helpers ----------------------------------------------------------------------------
// Error reports and other cold paths are [[gnu::noinline]]: eval_frame is flattened, and
// inlined they would take part in the loop's register allocation.

// Item i (negative counts from the end) of an exact list or tuple, not yet counted; null when
// `seq` is neither or i is out of range (the caller takes the generic path). Lists are read
// lock-free, as list_fetch (list_type.cpp) reads them.
[[gnu::always_inline]] inline Value sequence_item_fast(Value seq, std::int64_t i) {
  if (!is_obj(seq)) return Value::null();
  Object* o = seq.obj();
  if (o->ob_type == &g_list_type.rt) {
    auto* l = reinterpret_cast<ListObject*>(o);
    ensure_shared(&l->header);
    ListItems* items = l->items.load(std::memory_order_acquire);
    std::int64_t n = std::int64_t(l->size.load(std::memory_order_acquire));
    if (i < 0) i += n;
    if (i >= 0 && i < n && items && std::size_t(i) < items->capacity)
      return slot_load(&items->items[i]);
  } else if (o->ob_type == &g_tuple_type.rt) {
    auto* t = reinterpret_cast<TupleObject*>(o);
    std::int64_t n = std::int64_t(t->size);
    if (i < 0) i += n;
    if (i >= 0 && i < n) return t->items[i];
  }
  return Value::null();
}

TypeObject g_range_loop_type;  // loop state of `for x in range(...)`

struct RangeLoop {
  Object header;
  std::int64_t cur, step;
  std::uint64_t remaining;  // counted, so a step past 2**63 - 1 never wraps into the range
};

inline bool is_exact_list(Value v) { return is_obj(v) && v.obj()->ob_type == &g_list_type.rt; }
inline bool is_exact_tuple(Value v) {
  return is_obj(v) && v.obj()->ob_type == &g_tuple_type.rt;
}
inline bool is_exact_float(Value v) {
  return is_obj(v) && v.obj()->ob_type == &g_float_type.rt;
}
inline double fval(Value v) { return reinterpret_cast<FloatObject*>(v.obj())->value; }
inline DictObject* as_dict_obj(Value v) { return reinterpret_cast<DictObject*>(v.obj()); }

// Small-int arithmetic without overflow; false: take the generic path.
inline bool small_binary(int op, std::int64_t a, std::int64_t b, std::int64_t* out) {
  std::int64_t x;
  switch (BinaryOp(op)) {
    case BinaryOp::Add:
      x = a + b;  // both within 62 bits: no int64 overflow
      break;
    case BinaryOp::Sub:
      x = a - b;
      break;
    case BinaryOp::Mul:
      if (__builtin_mul_overflow(a, b, &x)) return false;
      break;
    case BinaryOp::FloorDiv:
      if (b == 0) return false;
      x = floor_div(a, b);
      break;
    case BinaryOp::Mod:
      if (b == 0) return false;
      x = floor_mod(a, b);
      break;
    case BinaryOp::And:
      x = a & b;
      break;
    case BinaryOp::Or:
      x = a | b;
      break;
    case BinaryOp::Xor:
      x = a ^ b;
      break;
    case BinaryOp::RShift:
      if (b < 0) return false;
      x = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
      break;
    case BinaryOp::LShift:
      if (b < 0 || b >= 62) return false;
      x = a << b;
      if ((x >> b) != a) return false;
      break;
    default:
      return false;
  }
  if (!Value::fits_small(x)) return false;
  *out = x;
  return true;
}

inline bool float_binary(int op, double a, double b, double* out) {
  switch (BinaryOp(op)) {
    case BinaryOp::Add: *out = a + b; return true;
    case BinaryOp::Sub: *out = a - b; return true;
    case BinaryOp::Mul: *out = a * b; return true;
    case BinaryOp::TrueDiv:
      if (b == 0) return false;
      *out = a / b;
      return true;
    default: return false;
  }
}

template <class T>
inline bool compare_values(int op, T a, T b) {
  switch (CompareOp(op)) {
    case CompareOp::Lt: return a < b;
    case CompareOp::Le: return a <= b;
    case CompareOp::Eq: return a == b;
    case CompareOp::Ne: return a != b;
    case CompareOp::Gt: return a > b;
    case CompareOp::Ge: return a >= b;
  }
  return false;
}

[[gnu::noinline]] Value name_error(StrObject* name) {
  Value exc = make_exception_str(&g_NameError, fmt::format("name '{}' is not defined", name->view()));
  if (!exc) return exc;
  setattr(exc, intern("name"), Value::from(&name->header));
  clear_error();
  restore_error(exc);
  return Value::null();
}

[[gnu::noinline]] Value unbound_local(StrObject* name) {
  return raise_fmt(&g_UnboundLocalError,
                   "cannot access local variable '{}' where it is not associated with a value",
                   name->view());
}

StrObject* localsplus_name(CodeObject* co, std::uint32_t i) {
  if (i < co->nlocals) return co->varnames[i];
  i -= co->nlocals;
  if (i < co->ncells) return co->cellvars[i];
  return co->freevars[i - co->ncells];
}

[[gnu::noinline]] Value deref_error(CodeObject* co, std::uint32_t i) {
  StrObject* name = localsplus_name(co, i);
  if (i < co->nlocals + co->ncells) return unbound_local(name);
  return raise_fmt(&g_NameError,
                   "cannot access free variable '{}' where it is not associated with a value "
                   "in enclosing scope",
                   name->view());
}

// Creates the frame's cells (moving parameters that are captured into theirs) and copies the
// closure's cells. -1 on MemoryError.
[[gnu::noinline]] int init_cells(Frame* f, FunctionObject* fn) {
  CodeObject* co = f->code;
  for (std::uint32_t i = 0; i < co->ncells; i++) {
    std::int32_t arg = co->cell2arg ? co->cell2arg[i] : -1;
    Value content = arg >= 0 ? f->localsplus()[arg] : Value::null();
    Value cell = make_cell(content);
    if (!cell) return -1;
    if (arg >= 0) {
      decref(content);
      f->localsplus()[arg] = Value::null();
    }
    f->localsplus()[co->nlocals + i] = cell;
  }
  if (co->nfree) {
    TupleObject* cl = fn ? fn->closure : nullptr;
    for (std::uint32_t i = 0; i < co->nfree; i++)
      f->localsplus()[co->nlocals + co->ncells + i] =
          cl && i < cl->size ? newref(cl->items[i]) : Value::null();
  }
  return 0;
}

bool exc_class_ok(Value t) {
  return is_type(t) && (as_type(t)->tp_flags & k_tp_exception);
}

// `except T`: -1 on error (TypeError for a T that is not an exception class).
[[gnu::noinline]] int exception_matches(Value exc, Value t) {
  if (is_exact_tuple(t)) {
    TupleObject* tu = as_tuple(t);
    int any = 0;
    for (std::size_t i = 0; i < tu->size; i++) {
      int r = exception_matches(exc, tu->items[i]);
      if (r < 0) return r;
      any |= r;
    }
    return any;
  }
  if (!exc_class_ok(t)) {
    raise(&g_TypeError, "catching classes that do not inherit from BaseException is not allowed");
    return -1;
  }
  return isinstance_of(exc, as_type(t));
}

// Unpacks `seq` into out[0..n) (new references) for UNPACK_SEQUENCE/UNPACK_EX. With a star
// (before + after < n... star_at >= 0) the starred part becomes a list.
int unpack_iterable(Value seq, std::size_t before, std::size_t after, bool star, Value* out) {
  Value it = get_iter(seq);
  if (!it) {
    if (error_matches(&g_TypeError)) {
      clear_error();
      raise_fmt(&g_TypeError, "cannot unpack non-iterable {} object", type_name(seq));
    }
    return -1;
  }
  std::vector<Value> items;
  auto release = [&] {
    for (Value v : items) decref(v);
  };
  for (;;) {
    Value v = iter_next(it);
    if (!v) break;
    try {
      items.push_back(v);
    } catch (const std::bad_alloc&) {  // a starred target of billions of items
      decref(v);
      decref(it);
      release();
      raise_no_memory();
      return -1;
    }
    if (!star && items.size() > before) break;
  }
  decref(it);
  if (error_occurred()) {
    release();
    return -1;
  }
  if (!star) {
    if (items.size() < before) {
      raise_fmt(&g_ValueError, "not enough values to unpack (expected {}, got {})", before,
                items.size());
      release();
      return -1;
    }
    if (items.size() > before) {
      raise_fmt(&g_ValueError, "too many values to unpack (expected {})", before);
      release();
      return -1;
    }
    for (std::size_t i = 0; i < before; i++) out[i] = items[i];
    return 0;
  }
  if (items.size() < before + after) {
    raise_fmt(&g_ValueError, "not enough values to unpack (expected at least {}, got {})",
              before + after, items.size());
    release();
    return -1;
  }
  std::size_t mid = items.size() - before - after;
  Value list = make_list(mid);
  if (!list) {
    release();
    return -1;
  }
  for (std::size_t i = 0; i < before; i++) out[i] = items[i];
  for (std::size_t i = 0; i < mid; i++) list_data(list)[i] = items[before + i];
  out[before] = list;
  for (std::size_t i = 0; i < after; i++) out[before + 1 + i] = items[before + mid + i];
  return 0;
}

Value call_with_kwargs_vector(Value callable, Value args_tuple, Value kwargs);

[[gnu::noinline]] Value call_with_kwargs_dict(Value callable, Value args_tuple, Value kwargs) {
  // The argument vector is a std::vector: out of memory, MemoryError (names is released by
  // nobody then: a leak, never a crash). The call itself cannot throw (eval_frame is noexcept).
  return native_guard([&] { return call_with_kwargs_vector(callable, args_tuple, kwargs); });
}

Value call_with_kwargs_vector(Value callable, Value args_tuple, Value kwargs) {
  TupleObject* at = as_tuple(args_tuple);
  if (!kwargs || dict_size(kwargs) == 0) return call(callable, at->items, at->size, nullptr);
  std::size_t nkw = dict_size(kwargs);
  Value names = make_tuple(nkw);
  if (!names) return names;
  std::vector<Value> argv(at->items, at->items + at->size);
  std::size_t pos = 0, i = 0;
  Value k, v;
  while (dict_next(kwargs, &pos, &k, &v)) {
    if (!isinstance_of(k, &g_str_type)) {
      decref(names);
      return raise(&g_TypeError, "keywords must be strings");
    }
    as_tuple(names)->items[i++] = Value::from(&intern(as_str(k)->view())->header);
    argv.push_back(v);
  }
  // nargs counts the positionals plus the keyword values (object.h's convention).
  Value r = call(callable, argv.data(), argv.size(), as_tuple(names));
  decref(names);
  return r;
}

[[gnu::noinline]] Value build_string(Value* items, std::size_t n) {
  return native_guard([&] {
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; i++) total += as_str(items[i])->byte_length;
    std::string s;
    s.reserve(total);
    for (std::size_t i = 0; i < n; i++) s += as_str(items[i])->view();
    return make_str_owned(std::move(s));
  });
}

StrObject* g_empty_str = nullptr;
StrObject* g_len_name = nullptr;

// The builtins' len (borrowed), re-read whenever the builtins dict changes; in the thread
// state (VmThread::len...), so the cache itself is never shared.
bool is_builtin_len(Value callable, Value builtins) {
  VmThread* vt = t_vm;
  const DictObject* b = as_dict_obj(builtins);
  std::uint64_t v = b->version.load(std::memory_order_relaxed);
  if (vt->len_dict != b || vt->len_version != v) {
    vt->len = dict_get_str(builtins, g_len_name);
    vt->len_dict = b;
    vt->len_version = v;
  }
  return callable == vt->len;
}

// CALL's shortcuts for len(arg): Result (*out: the length of a list, an immediate int),
// Frame (*out: the Python __len__ to run, borrowed) or None (call len normally). Out of line
// (noinline beats eval_frame's flatten) so that it does not crowd the loop's registers.
enum class LenPath { None, Result, Frame };
[[gnu::noinline]] LenPath len_fast_path(Value callable, Value builtins, Value arg, Value* out) {
  if (!is_builtin_len(callable, builtins)) return LenPath::None;
  if (is_exact_list(arg)) {
    *out = Value::small(std::int64_t(as_list(arg)->size.load(std::memory_order_relaxed)));
    return LenPath::Result;
  }
  *out = type_python_len(type_of(arg));
  return *out ? LenPath::Frame : LenPath::None;
}
StrObject* g_enter_name = nullptr;
StrObject* g_exit_name = nullptr;
StrObject* g_build_class_name = nullptr;

// A `def` function: not a class body, comprehension or lambda (named "<...>").
bool long_lived_code(const CodeObject* code) {
  return !(code->flags & k_co_class_body) && !code->name->view().starts_with('<');
}

[[gnu::noinline]] void handle_breaker(runtime::ThreadState* ts) {
  std::uint32_t bits = ts->handle_eval_breaker();
  if (bits & runtime::eval_breaker::k_run_gc) gc::collect(gc::Reason::Threshold);
  bits &= ~(runtime::eval_breaker::k_runtime_bits | runtime::eval_breaker::k_run_gc);
  if (bits) ts->clear_request(bits);  // asynchronous exceptions: none are raised yet
}

// STORE_ATTR's cached path: obj's type has no data descriptor for `name`, so the value goes
// into the instance dict (created if need be), under its lock. Out of line: the eval loop stays
// free of the lock's code. 0, or -1 with an exception set.
[[gnu::noinline]] int store_instance_attr(Value obj, StrObject* name, Value v,
                                          std::uint32_t* hint) {
  DictObject* dict = instance_dict_get_or_create(obj);
  if (!dict) return -1;
  ObjectLock lock(Value::from(&dict->header), dict_plain_only(dict));
  if (Value* vs = dict_str_slot_for_store(dict, name, hint)) {
    dict_replace_at(dict, vs, v);
    return 0;
  }
  return dict_set_str_hint(dict, name, v, hint);
}

// ---- the loop's fast paths and named slow paths --------------------------------------------
// As in Lua's lvm.c, a handler is its fast path plus calls: the fast paths below are forced
// inline (they are the loop), the slow paths are noinline (eval_frame is flattened, and
// without it their code would crowd the loop's registers). A slow path that consumes
// stack references says so; none takes the stack pointer by reference (that would keep sp in
// memory for the whole loop).

// The int and float fast path of BINARY_OP, INPLACE_OP and the fused arithmetic
// superinstructions: l op r for two small ints (no overflow), or two exact floats (+ - * and /
// by nonzero). True with *out the result, or null after MemoryError (then nothing was
// consumed); false when neither applies (nothing done). kStackL / kStackR: that operand is a
// value-stack reference the result replaces (consumed on success; a float only the stack
// holds is overwritten in place), else a borrowed local.
template <bool kStackL, bool kStackR>
[[gnu::always_inline]] inline bool arith_fast(int op, Value l, Value r, Value* out) {
  if (l.is_small_int() && r.is_small_int()) {
    std::int64_t x;
    if (!small_binary(op, l.small_value(), r.small_value(), &x)) return false;
    *out = Value::small(x);
    return true;
  }
  double x;
  if (!is_exact_float(l) || !is_exact_float(r) || !float_binary(op, fval(l), fval(r), &x))
    return false;
  if constexpr (kStackL) {
    if (is_unique_temp(l)) {
      reinterpret_cast<FloatObject*>(l.obj())->value = x;
      if constexpr (kStackR) fast_decref(r);
      *out = l;
      return true;
    }
  }
  if constexpr (kStackR) {
    if (is_unique_temp(r)) {
      reinterpret_cast<FloatObject*>(r.obj())->value = x;
      if constexpr (kStackL) fast_decref(l);
      *out = r;
      return true;
    }
  }
  Value res = fast_make_float(x);
  *out = res;
  if (!res) return true;
  if constexpr (kStackL) fast_decref(l);
  if constexpr (kStackR) fast_decref(r);
  return true;
}

// BINARY_OP's and INPLACE_OP's generic path; consumes l and r.
[[gnu::noinline]] Value arith_generic(Value l, Value r, int op, bool inplace) {
  Value res = inplace ? inplace_op(l, r, BinaryOp(op)) : binary_op(l, r, BinaryOp(op));
  fast_decref(l);
  fast_decref(r);
  return res;
}

// COMPARE_OP's generic path; consumes l and r. The truth of the result (0 or 1), -1 on error,
// or 2 when the result is not a bool and no conditional jump follows (`next`): *out is then
// the result to push.
[[gnu::noinline]] int compare_generic(Value l, Value r, int op, std::uint32_t next, Value* out) {
  Value res = richcompare(l, r, CompareOp(op));
  fast_decref(l);
  fast_decref(r);
  if (!res) return -1;
  if (res.is_object() && (res.obj() == &g_true_obj || res.obj() == &g_false_obj))
    return res.obj() == &g_true_obj;
  int nop = int(next & 0xff);
  if (nop != POP_JUMP_IF_FALSE && nop != POP_JUMP_IF_TRUE) {
    *out = res;
    return 2;
  }
  int t = truthy(res);
  fast_decref(res);
  return t;
}

// LOAD_GLOBAL's miss: the value (borrowed) from globals, else builtins, entered in the cache;
// null with NameError (or the lookup's error) set.
[[gnu::noinline]] Value load_global_miss(InlineCache* c, Frame* f, StrObject* name,
                                         std::uint64_t gv, std::uint64_t bv) {
  Value v = dict_get_str(f->globals, name);
  if (!v) v = dict_get_str(f->builtins, name);
  if (!v) {
    if (!error_occurred()) name_error(name);
    return v;
  }
  inline_cache::global_fill(c, as_dict_obj(f->globals), gv, bv, v);
  return v;
}

// LOAD_ATTR through its cache entry: true with *r the attribute (new reference, or null with
// an exception set); false when the entry does not apply (nothing done).
[[gnu::always_inline]] inline bool load_attr_cached(InlineCache* c, Value obj, TypeObject* tp,
                                                    StrObject* name, Value* r) {
  // instance_dict_slot's test, inline.
  DictObject* dict =
      tp->tp_flags & (k_tp_heaptype | k_tp_exception) ? instance_dict_load(obj) : nullptr;
  inline_cache::AttrEntry ce = inline_cache::attr_read(c);
  if (tp->getattr != object_generic_getattr ||
      ce.version != tp->version.load(std::memory_order_relaxed) || !ce.version ||
      (dict && needs_shared_mark(&dict->header)))
    return false;
  Value descr = ce.descr;
  if (ce.kind == inline_cache::k_attr_data_descr) {
    *r = type_of(descr)->descr_get(descr, obj, tp);
    return true;
  }
  // The test above made sure the dict is shared or ours: no marking needed.
  Value* vs = dict ? dict_str_slot_marked(dict, name, &c->hint) : nullptr;
  Value v = vs ? slot_load(vs) : dict ? dict_get_str(Value::from(&dict->header), name)
                                      : Value::null();
  if (v) {
    fast_incref(v);
    *r = v;
  } else if (descr) {
    auto get = type_of(descr)->descr_get;
    *r = get ? get(descr, obj, tp) : newref(descr);
  } else {
    *r = object_generic_getattr(obj, name);  // raises the AttributeError
  }
  return true;
}

// LOAD_ATTR's miss: fills the entry (for types with the generic getattr) and gets the
// attribute. New reference, or null with an exception set.
[[gnu::noinline]] Value load_attr_miss(InlineCache* c, Value obj, TypeObject* tp,
                                       StrObject* name) {
  if (tp->getattr == object_generic_getattr) {
    std::uint32_t ver = type_version(tp);
    Value d = type_lookup(tp, name);
    inline_cache::attr_fill(c, ver, d,
                            d && type_of(d)->descr_get && type_of(d)->descr_set
                                ? inline_cache::k_attr_data_descr
                                : inline_cache::k_attr_instance);
  }
  return getattr(obj, name);
}

// STORE_ATTR's miss: fills the entry when obj's type has no data descriptor for `name` (the
// cached path, store_instance_attr, then applies), and sets the attribute. 0, or -1.
[[gnu::noinline]] int store_attr_miss(InlineCache* c, Value obj, TypeObject* tp,
                                      StrObject* name, Value v) {
  if (tp->setattr == object_generic_setattr && instance_dict_slot(obj)) {
    std::uint32_t ver = type_version(tp);
    Value descr = type_lookup(tp, name);
    if (!descr || !type_of(descr)->descr_set)
      inline_cache::attr_fill(c, ver, Value::null(), inline_cache::k_attr_instance);
  }
  return setattr(obj, name, v);
}

// LOAD_METHOD's miss on a type: the type's attribute (borrowed, maybe null), entered.
[[gnu::noinline]] Value method_miss(InlineCache* c, TypeObject* tp, StrObject* name) {
  std::uint32_t ver = type_version(tp);
  Value descr = type_lookup(tp, name);
  inline_cache::attr_fill(c, ver, descr, inline_cache::k_attr_instance);
  return descr;
}

// LOAD_METHOD's type path: the function or method descriptor (borrowed) that `name` names on
// obj's type when no instance attribute shadows it; null otherwise (take another path).
[[gnu::always_inline]] inline Value method_cached(InlineCache* c, Value obj, TypeObject* tp,
                                                  StrObject* name) {
  bool generic = tp->getattr == object_generic_getattr;
  if (!generic && tp->getattr != native_getattr) return Value::null();
  std::uint32_t ver = tp->version.load(std::memory_order_relaxed);
  inline_cache::AttrEntry ce = inline_cache::attr_read(c);
  Value descr = ver && ce.version == ver ? ce.descr : method_miss(c, tp, name);
  if (!descr || !(is_function(descr) || type_of(descr) == &g_method_descr_type))
    return Value::null();
  DictObject* dict = generic && (tp->tp_flags & (k_tp_heaptype | k_tp_exception))
                         ? instance_dict_load(obj)
                         : nullptr;
  // A foreign dict not yet marked shared: the generic path marks it (marking may wait, and
  // descr is borrowed).
  if (!dict || (!needs_shared_mark(&dict->header) &&
                (dict_str_absent_quick(dict, name) ||
                 !dict_get_str(Value::from(&dict->header), name))))
    return descr;
  return Value::null();
}

// `module.function(...)` (math.sqrt): LOAD_METHOD's module path, cached by the module dict's
// version as LOAD_GLOBAL is. The attribute (borrowed), or null (take the generic path).
[[gnu::noinline]] Value module_attr_miss(InlineCache* c, DictObject* md, std::uint64_t mv,
                                         StrObject* name) {
  Value v = dict_get_str(Value::from(&md->header), name);
  if (v) inline_cache::module_fill(c, md, mv, v);
  return v;
}
[[gnu::always_inline]] inline Value module_attr_cached(InlineCache* c, Value module,
                                                       StrObject* name) {
  DictObject* md = reinterpret_cast<ModuleObject*>(module.obj())->dict;
  std::uint64_t mv = md->version.load(std::memory_order_relaxed);
  Value v = inline_cache::module_read(c, md, mv);
  return v ? v : module_attr_miss(c, md, mv, name);
}

// LOAD_METHOD's last resort: [function, self] for super()'s methods, else [null, attribute].
// New references in out[0..2); false with an exception set.
[[gnu::noinline]] bool load_method_generic(Value obj, StrObject* name, Value out[2]) {
  Value self;
  if (Value fn = super_method(obj, name, &self)) {
    out[0] = newref(fn);
    out[1] = newref(self);
    return true;
  }
  Value r = getattr(obj, name);
  out[0] = Value::null();
  out[1] = r;
  return bool(r);
}

// STORE_SUBSCR on an exact list and an index in range: takes v (true), else does nothing. A
// list only this thread has touched is written without a lock or delayed release (the biased
// write of list_type.cpp, inline).
[[gnu::always_inline]] inline bool list_store_fast(Value container, std::int64_t i, Value v) {
  auto* l = as_list(container);
  if (!owned_here(&l->header) || writes_shared(&l->header))
    return list_store_steal(container, i, v);
  std::int64_t n = std::int64_t(l->size.load(std::memory_order_relaxed));
  if (i < 0) i += n;
  if (i < 0 || i >= n) return false;
  Value* slot = &l->items.load(std::memory_order_relaxed)->items[i];
  Value old = *slot;
  *slot = v;
  fast_decref(old);
  return true;
}

// GET_ITER's object for a loop: a RangeLoop for an exact range (FOR_ITER steps it inline),
// else the iterator. New reference, or null with an exception set.
[[gnu::noinline]] Value loop_iter(Value v) {
  if (v.is_object() && v.obj()->ob_type == &g_range_type.rt) {
    Object* o = runtime::alloc_object(&g_range_loop_type.rt, sizeof(RangeLoop));
    if (!o) return raise_no_memory();
    auto* rl = reinterpret_cast<RangeLoop*>(o);
    range_bounds(v, &rl->cur, &rl->step, &rl->remaining);
    return Value::from(o);
  }
  return get_iter(v);
}

// FOR_ITER over a RangeLoop: 1 with *out the next int, 0 when done, -1 on MemoryError.
[[gnu::always_inline]] inline int range_loop_next(Value it, Value* out) {
  auto* rl = reinterpret_cast<RangeLoop*>(it.obj());
  if (rl->remaining == 0) return 0;
  rl->remaining--;
  std::int64_t x = rl->cur;
  rl->cur = std::int64_t(std::uint64_t(x) + std::uint64_t(rl->step));  // wraps after the last
  *out = Value::fits_small(x) ? Value::small(x) : make_int(x);
  return *out ? 1 : -1;
}

// FOR_ITER over any other iterator: the next item (new reference), or null: exhausted (no
// exception) or an error (set).
[[gnu::noinline]] Value iter_next_for_loop(Value it) {
  Value item = native_guard(
      [&] { return type_of(it)->iternext ? type_of(it)->iternext(it) : iter_next(it); });
  if (!item && error_occurred() && error_matches(&g_StopIteration)) clear_error();
  return item;
}

// BUILD_MAP: a dict of the n pairs at items (consumed). New reference, or null.
[[gnu::noinline]] Value build_map(Value* items, std::uint32_t n) {
  Value d = make_dict();
  int r = d ? 0 : -1;
  for (std::uint32_t i = 0; i < n && r == 0; i++) r = dict_setitem(d, items[2 * i], items[2 * i + 1]);
  for (std::uint32_t i = 0; i < 2 * n; i++) fast_decref(items[i]);
  if (r < 0 && d) {
    fast_decref(d);
    return Value::null();
  }
  return d;
}

// LIST_EXTEND: list.extend with CPython's message for a non-iterable; consumes v. 0 or -1.
[[gnu::noinline]] int list_extend_op(Value list, Value v) {
  int r = list_extend(list, v);
  if (r < 0 && error_matches(&g_TypeError) && !get_iter(v)) {
    clear_error();
    raise_fmt(&g_TypeError, "Value after * must be an iterable, not {}", type_name(v));
  }
  fast_decref(v);
  return r;
}

// DICT_MERGE (`f(**m)`): merges v into target, refusing repeated keywords; consumes v.
[[gnu::noinline]] int dict_merge_op(Value target, Value v) {
  int r = 0;
  if (!isinstance_of(v, &g_dict_type)) {
    r = dict_update(target, v);
    if (r < 0) {
      clear_error();
      raise_fmt(&g_TypeError, "argument after ** must be a mapping, not {}", type_name(v));
    }
  } else {
    std::size_t pos = 0;
    Value k, val;
    while (r == 0 && dict_next(v, &pos, &k, &val)) {
      if (dict_get(target, k)) {
        Value ks = str(k);
        raise_fmt(&g_TypeError, "got multiple values for keyword argument '{}'",
                  ks ? as_str(ks)->view() : std::string_view("?"));
        fast_decref(ks);
        r = -1;
        break;
      }
      r = dict_setitem(target, k, val);
    }
  }
  fast_decref(v);
  return r;
}

// UNPACK_SEQUENCE / UNPACK_EX from any iterable (consumed): writes the n = before + after
// (+1 with a star) items to dst[0..n), last item first, as the stack wants them. 0 or -1.
[[gnu::noinline]] int unpack_to_stack(Value seq, std::size_t before, std::size_t after,
                                      bool star, Value* dst) {
  std::size_t n = before + after + (star ? 1 : 0);
  Value small[16];
  std::unique_ptr<Value[]> big(n > 16 ? new (std::nothrow) Value[n] : nullptr);
  if (n > 16 && !big) {
    fast_decref(seq);
    raise_no_memory();
    return -1;
  }
  Value* out = n > 16 ? big.get() : small;
  int r = unpack_iterable(seq, before, after, star, out);
  fast_decref(seq);
  if (r < 0) return r;
  for (std::size_t i = 0; i < n; i++) dst[i] = out[n - 1 - i];
  return 0;
}

// MAKE_FUNCTION: the function for the code object at items[n-1] (n = 1 + the flags' count),
// with the parts oparg's flags say precede it: defaults (1), kwdefaults (2), closure (8), in
// that order. Consumes items. New reference, or null.
[[gnu::noinline]] Value make_function_op(Frame* f, std::uint32_t oparg, Value* items,
                                         std::size_t n) {
  Value* p = items;
  Value defaults = (oparg & 1) ? *p++ : Value::null();
  Value kwdefaults = (oparg & 2) ? *p++ : Value::null();
  Value closure = (oparg & 8) ? *p++ : Value::null();
  Value code = items[n - 1];
  Value fnv = make_function(reinterpret_cast<CodeObject*>(code.obj()), f->globals);
  fast_decref(code);
  if (!fnv) {
    fast_decref(closure);
    fast_decref(kwdefaults);
    fast_decref(defaults);
    return fnv;
  }
  FunctionObject* fn = as_function(fnv);
  if (closure) fn->closure = as_tuple(closure);
  if (kwdefaults) fn->kwdefaults = reinterpret_cast<DictObject*>(kwdefaults.obj());
  if (defaults) fn->defaults = as_tuple(defaults);
  if ((!f->func || ((f->code->flags & k_co_class_body) && f->prev && !f->prev->func)) &&
      long_lived_code(fn->code)) {
    // A module-level function, or a method of a module-level class: every thread may call
    // it (local_refs.h). Functions made inside functions keep ordinary counts, and so do the
    // ones run once and dropped (class bodies, comprehensions, lambdas): only the collector
    // could free them otherwise.
    runtime::use_local_refs(&fn->header);
    runtime::use_local_refs(&fn->code->header);
  }
  return fnv;
}

// RETURN_VALUE into a frame that asked for a check: an __init__ frame run for `Class(...)`
// (type_call's check, reported at the caller's line as CPython does; the result is
// init_self) or a __len__ frame run for len() (slot_len's conversion and errors). Consumes
// rv and init_self. New reference, or null.
[[gnu::noinline]] Value return_checked(Value rv, Value init_self, bool len_result) {
  if (init_self) {
    if (rv != none()) {
      raise_fmt(&g_TypeError, "__init__() should return None, not '{}'", type_name(rv));
      fast_decref(rv);
      fast_decref(init_self);
      return Value::null();
    }
    return init_self;
  }
  (void)len_result;
  std::int64_t n;
  if (!as_int64(rv, &n)) {
    raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(rv));
    fast_decref(rv);
    return Value::null();
  }
  fast_decref(rv);
  if (n < 0) return raise(&g_ValueError, "__len__() should return >= 0");
  return make_int(n);
}

// FORMAT_VALUE's general case: str/repr conversion (conv 1/2) and format(); consumes v and
// spec. New reference, or null.
[[gnu::noinline]] Value format_value_op(Value v, Value spec, int conv) {
  if (conv) {
    Value c = conv == 1 ? str(v) : repr(v);
    fast_decref(v);
    if (!c) {
      fast_decref(spec);
      return c;
    }
    v = c;
  }
  if (!spec && v.is_object() && v.obj()->ob_type == &g_str_type.rt) return v;
  Value r = format(v, spec ? as_str(spec) : g_empty_str);
  fast_decref(v);
  fast_decref(spec);
  return r;
}

// RAISE with an exception (and maybe a cause, null when none): sets the exception. Consumes
// both.
[[gnu::noinline]] void raise_op(Value exc, Value cause) {
  if (cause && cause != none() && !exc_class_ok(cause) &&
      !(type_of(cause)->tp_flags & k_tp_exception)) {
    fast_decref(cause);
    fast_decref(exc);
    raise(&g_TypeError, "exception causes must derive from BaseException");
    return;
  }
  fast_decref(cause);
  raise_value(exc);
  fast_decref(exc);
}

// BEFORE_WITH: *exit = mgr's bound __exit__ and *res = what __enter__ returned (new
// references). 0, or -1 with an exception set.
[[gnu::noinline]] int before_with(Value mgr, Value* exit, Value* res) {
  TypeObject* tp = type_of(mgr);
  Value enter_d = type_lookup(tp, g_enter_name);
  Value exit_d = type_lookup(tp, g_exit_name);
  if (!enter_d || !exit_d) {
    raise_fmt(&g_TypeError, "'{}' object does not support the context manager protocol",
              tp->name->view());
    return -1;
  }
  auto bind = [&](Value descr) {
    auto get = type_of(descr)->descr_get;
    return get ? get(descr, mgr, tp) : newref(descr);
  };
  Value bound_exit = bind(exit_d);
  if (!bound_exit) return -1;
  Value bound_enter = bind(enter_d);
  if (!bound_enter) {
    fast_decref(bound_exit);
    return -1;
  }
  Value r = call0(bound_enter);
  fast_decref(bound_enter);
  if (!r) {
    fast_decref(bound_exit);
    return -1;
  }
  *exit = bound_exit;
  *res = r;
  return 0;
}

// IMPORT_FROM: m's attribute `name` (new reference), or null with ImportError.
[[gnu::noinline]] Value import_from(Value m, StrObject* name) {
  Value v = getattr(m, name);
  if (v || !error_matches(&g_AttributeError)) return v;
  clear_error();
  if (Value sub = import_submodule(m, name)) return sub;
  if (error_occurred()) return Value::null();
  Value mn = getattr(m, intern("__name__"));
  std::string modname =
      mn && isinstance_of(mn, &g_str_type) ? std::string(as_str(mn)->view()) : std::string("?");
  fast_decref(mn);
  clear_error();
  return raise_fmt(&g_ImportError, "cannot import name '{}' from '{}' (unknown location)",
                   name->view(), modname);
}

// IMPORT_STAR: binds m's public names in target; consumes m. 0 or -1.
[[gnu::noinline]] int import_star(Value m, Value target) {
  Value d = getattr(m, intern("__dict__"));
  fast_decref(m);
  if (!d) return -1;
  std::size_t pos = 0;
  Value k, v;
  int r = 0;
  while (r == 0 && dict_next(d, &pos, &k, &v)) {
    if (isinstance_of(k, &g_str_type) && as_str(k)->view().substr(0, 1) == "_") continue;
    r = dict_setitem(target, k, v);
  }
  fast_decref(d);
  return r;
}

// ---- small handlers' helpers -----------------------------------------------------------------

// STORE_GLOBAL / STORE_NAME: dict[name] = v, consuming v. 0 or -1.
[[gnu::always_inline]] inline int store_name(Value dict, StrObject* name, Value v) {
  int r = dict_setitem_str(dict, name, v);
  fast_decref(v);
  return r;
}
// DELETE_GLOBAL / DELETE_NAME: del dict[name]; -1 with NameError when it is not there.
[[gnu::noinline]] int delete_name(Value dict, StrObject* name) {
  if (dict_delitem(dict, Value::from(&name->header)) == 0) return 0;
  clear_error();
  name_error(name);
  return -1;
}
// LOAD_NAME: locals (if any), globals, builtins. Borrowed, or null with an exception set.
[[gnu::always_inline]] inline Value load_name(Frame* f, StrObject* name) {
  Value v = f->locals ? dict_get_str(f->locals, name) : Value::null();
  if (!v) v = dict_get_str(f->globals, name);
  if (!v) v = dict_get_str(f->builtins, name);
  if (!v && !error_occurred()) name_error(name);
  return v;
}
// POP_JUMP_IF_*: the truth of v (consumed), -1 on error; the singleton the jump is taken on
// is tested first (kTrueFirst for POP_JUMP_IF_TRUE), then small ints, without a call.
template <bool kTrueFirst>
[[gnu::always_inline]] inline int pop_truth(Value v) {
  if (v.bits == reinterpret_cast<std::uintptr_t>(kTrueFirst ? &g_true_obj : &g_false_obj))
    return kTrueFirst;
  if (v.bits == reinterpret_cast<std::uintptr_t>(kTrueFirst ? &g_false_obj : &g_true_obj))
    return !kTrueFirst;
  if (v.is_small_int()) return v.small_value() != 0;  // `while n:`, `if x & 1:`
  int t = truthy(v);
  fast_decref(v);
  return t;
}
// BINARY_SUBSCR's generic path: container[key], consuming key. New reference, or null.
[[gnu::noinline]] Value getitem_consume(Value container, Value key) {
  Value r = getitem(container, key);
  fast_decref(key);
  return r;
}
// FOR_ITER over an exact list, the loop index in *state: the next item (new reference, the
// index advanced), or null at the end. Lists are read lock-free, as list_fetch reads them.
[[gnu::always_inline]] inline Value list_loop_next(Value list, Value* state) {
  auto* l = as_list(list);
  std::int64_t i = state->small_value();
  if (std::size_t(i) >= l->size.load(std::memory_order_relaxed)) return Value::null();
  Value item = l->items.load(std::memory_order_relaxed)->items[i];
  fast_incref(item);
  *state = Value::small(i + 1);
  return item;
}
// CALL_EX: items = [null, callable, args tuple, kwargs dict if has_kwargs], consumed.
[[gnu::noinline]] Value call_ex(Value* items, bool has_kwargs) {
  Value kwargs = has_kwargs ? items[3] : Value::null();
  Value res = call_with_kwargs_dict(items[1], items[2], kwargs);
  fast_decref(kwargs);
  for (int i = 0; i < 3; i++) fast_decref(items[i]);
  return res;
}
// WITH_EXIT: exit(None, None, None), consuming exit. 0 or -1.
[[gnu::noinline]] int with_exit_none(Value exit) {
  Value args[3] = {none(), none(), none()};
  Value r = call(exit, args, 3, nullptr);
  fast_decref(exit);
  if (!r) return -1;
  fast_decref(r);
  return 0;
}
// WITH_EXCEPT: the truth of exit(type(exc), exc, None), or -1. Borrows both.
[[gnu::noinline]] int with_exit_exc(Value exit, Value exc) {
  Value args[3] = {Value::from(&type_of(exc)->header), exc, none()};
  Value r = call(exit, args, 3, nullptr);
  if (!r) return -1;
  int t = truthy(r);
  fast_decref(r);
  return t;
}
// The end of an except/finally handler (POP_EXCEPT, or unwinding through it): the exception
// handled before it is handled again.
[[gnu::always_inline]] inline void end_handler(VmThread* vt, const Block& b) {
  Value cur = vt->exc_info;
  vt->exc_info = b.saved;
  fast_decref(cur);
}
// Pops f, whose value-stack top is sp, on return or when an exception leaves it: the caller
// to go on with, or null when f was an entry frame (eval_frame returns).
[[gnu::always_inline]] inline Frame* leave_frame(VmThread* vt, Frame* f, Value* sp) {
  f->sp = sp;
  bool entry = f->entry;
  Frame* prev = f->prev;
  frame_pop(f);
  --vt->depth;
  vt->frame = prev;
  return entry ? nullptr : prev;
}

// ---- CALL and CALL_KW ---------------------------------------------------------------------------
// The stack holds [callable or null, self or callable, args..., (kwnames)]. call_prepare turns
// the special callables into ordinary ones in place; then a Python function gets a frame of
// this loop (push_call_frame, luaD_precall's part), anything else a C call (call_native).

struct CallSite {
  Value* args;            // the first argument on the stack
  Value callable;         // args[-2], or args[-1] when args[-2] is null
  Value* argv;            // args - 1 when self is passed, else args
  std::size_t argc;
  TupleObject* kwnames;   // CALL_KW's names, or null
  Value kwv;              // the stack's reference to kwnames (owned), or null
  Value init_self;        // `Class(...)`: the instance (borrowed from the stack), or null
  bool len_result;        // len(x) runs x's Python __len__ as the frame
};

enum class CallPath { Call, Done, Error };

// The call site of a CALL/CALL_KW whose arguments start at args (kwv: CALL_KW's names,
// already popped, or null).
[[gnu::always_inline]] inline CallSite call_site(Value* args, std::uint32_t oparg, Value kwv) {
  bool self = bool(args[-2]);  // LOAD_METHOD's [function, self, args...]
  return CallSite{args,          self ? args[-2] : args[-1],
                  self ? args - 1 : args, oparg + std::size_t(self),
                  kwv ? as_tuple(kwv) : nullptr, kwv, Value::null(), false};
}

// `Class(...)` with a Python __init__: allocates the instance here and makes the stack
// [__init__, instance, args...] (args[-2], args[-1]), a method call whose frame returns the
// instance (no nested eval_frame through type_call). The instance (borrowed from the stack),
// or null with an exception set. Takes no CallSite: its address would keep it in memory.
[[gnu::noinline]] Value call_prepare_class(Value* args, Value cls, Value init,
                                           const Value* argv, std::size_t argc,
                                           TupleObject* kwnames) {
  auto* t = as_type(cls);
  Value inst = t->new_(t, argv, argc, kwnames);
  if (!inst) return inst;
  fast_incref(init);
  args[-2] = init;
  args[-1] = inst;
  fast_decref(cls);  // the instance keeps its class alive
  return inst;
}

// Rewrites the call site for a bound method of a Python function (self in place of the
// method, as LOAD_METHOD's form), len(x) (Done: *res, a list's length; or the Python
// __len__ as the callable) and `Class(...)` with a Python __init__. Error: an exception is
// set and the stack still holds the call's references.
[[gnu::always_inline]] inline CallPath call_prepare(CallSite& c, Value builtins, Value* res) {
  if (!is_obj(c.callable)) return CallPath::Call;
  runtime::Type* ct = c.callable.obj()->ob_type;
  if (ct == &g_method_type.rt) {  // `push = s.push; push(i)`: runs in this loop
    auto* m = reinterpret_cast<MethodObject*>(c.callable.obj());
    if (is_function(m->func)) {
      fast_incref(m->func);
      fast_incref(m->self);
      c.args[-2] = m->func;
      c.args[-1] = m->self;
      fast_decref(c.callable);  // may free m: read the function back from the stack
      c.callable = c.args[-2];
      c.argv = c.args - 1;
      c.argc++;
    }
  } else if (ct == &g_builtin_function_type.rt && c.argc == 1 && !c.kwnames) {
    // len(x) on a list, or on a class with a Python __len__ (run as a frame of this loop, no
    // nested eval through slot_len; RETURN_VALUE applies slot_len's checks).
    Value out;
    LenPath lp = len_fast_path(c.callable, builtins, c.argv[0], &out);
    if (lp == LenPath::Result) {
      *res = out;
      return CallPath::Done;
    }
    if (lp == LenPath::Frame) {
      fast_incref(out);
      c.args[-1] = out;
      fast_decref(c.callable);
      c.callable = out;
      c.len_result = true;
    }
  } else if (ct == &g_type_type.rt) {
    if (Value init = type_python_init(as_type(c.callable))) {
      c.init_self = call_prepare_class(c.args, c.callable, init, c.argv, c.argc, c.kwnames);
      if (!c.init_self) return CallPath::Error;
      c.callable = init;
      c.argv = c.args - 1;
      c.argc++;
    }
  }
  return CallPath::Call;
}

// Drops the references of a call's stack slots, from base = args - 2 up to top.
[[gnu::noinline]] void call_release(Value* base, Value* top, Value kwv) {
  fast_decref(kwv);
  for (Value* p = base; p < top; p++) fast_decref(*p);
}

// Binds a call's arguments the general way (keywords, defaults, *args) into nf, whose own
// reference to fn was taken; then drops the call's stack slots [base, top) and kwv. False
// with an exception set (nf popped).
[[gnu::noinline]] bool bind_call_frame(Frame* nf, FunctionObject* fn, const Value* argv,
                                       std::size_t argc, TupleObject* kwnames, Value* base,
                                       Value* top, Value kwv) {
  bool ok = bind_arguments(fn, nf->localsplus(), argv, argc, kwnames) >= 0;
  if (!ok) pop_frame(nf);
  call_release(base, top, kwv);
  return ok;
}

// A Python function's frame for the call, arguments bound, linked to nothing yet; the call's
// stack slots (args - 2 up to top) are taken over or released, whatever the outcome. Null
// with an exception set.
[[gnu::always_inline]] inline Frame* push_call_frame(CallSite& c, Value* top, VmThread* vt) {
  FunctionObject* fn = as_function(c.callable);
  CodeObject* fco = fn->code;
  bool simple = !c.kwnames && (fco->flags & k_co_simple_args) && c.argc == fco->argcount;
  // The frame's reference to fn: the stack's, taken over below when the arguments are simple
  // (nothing between here and there can fail), else one of its own.
  if (!simple) fast_incref(c.callable);
  Frame* nf = frame_push(fco, fn->globals, fn);
  if (!nf) {
    if (!simple) fast_decref(c.callable);
    call_release(c.args - 2, top, c.kwv);
    return nf;
  }
  if (c.init_self) nf->init_self = newref(c.init_self);
  nf->len_result = c.len_result;
  if (simple) {  // steal the arguments and the function reference from the stack
    for (std::size_t i = 0; i < c.argc; i++) nf->localsplus()[i] = c.argv[i];
  } else if (!bind_call_frame(nf, fn, c.argv, c.argc, c.kwnames, c.args - 2, top, c.kwv)) {
    return nullptr;
  }
  if ((fco->ncells || fco->nfree) && init_cells(nf, fn) < 0) {
    pop_frame(nf);
    return nullptr;
  }
  if (++vt->depth > vt->interp->recursion_limit) {
    --vt->depth;
    pop_frame(nf);
    raise(&g_RecursionError, "maximum recursion depth exceeded");
    return nullptr;
  }
  return nf;
}

// A call of anything but a Python function. Built-in functions (math.sqrt, len) are called
// directly (call()'s slot dispatch, inline); method descriptors on an exact instance of their
// type ([list.append, lst, x] from LOAD_METHOD) likewise, as descr_call's checks reduce to
// the type test. New reference, or null.
[[gnu::always_inline]] inline Value call_native(const CallSite& c) {
  runtime::Type* ct = is_obj(c.callable) ? c.callable.obj()->ob_type : nullptr;
  if (ct == &g_builtin_function_type.rt) {
    auto* bf = reinterpret_cast<BuiltinFunctionObject*>(c.callable.obj());
    return call_native_fn(bf->fn, bf->self, c.argv, c.argc, c.kwnames);
  }
  if (ct == &g_method_descr_type.rt && c.argc > (c.kwnames ? c.kwnames->size : 0) &&
      type_of(c.argv[0]) == reinterpret_cast<MethodDescrObject*>(c.callable.obj())->owner) {
    auto* md = reinterpret_cast<MethodDescrObject*>(c.callable.obj());
    return call_native_fn(md->fn, c.argv[0], c.argv + 1, c.argc - 1, c.kwnames);
  }
  return call(c.callable, c.argv, c.argc, c.kwnames);
}

}  // namespace

Value handled_exception() { return t_vm->exc_info; }


Value run_code(CodeObject* code, Value globals, Value locals) {
  Frame* f = push_frame(code, globals);
  if (!f) return Value::null();
  f->locals = newref(locals);
  return eval_frame(f);
}

Value run_class_body(FunctionObject* fn, Value ns) {
  incref(Value::from(&fn->header));
  Frame* f = frame_push(fn->code, fn->globals, fn);
  if (!f) {
    decref(Value::from(&fn->header));
    return Value::null();
  }
  f->locals = newref(ns);
  if (init_cells(f, fn) < 0) {
    pop_frame(f);
    return Value::null();
  }
  return eval_frame(f);
}

Value call_function(FunctionObject* fn, const Value* args, std::size_t nargs,
                    TupleObject* kwnames) {
  CodeObject* co = fn->code;
  incref(Value::from(&fn->header));
  Frame* f = frame_push(co, fn->globals, fn);
  if (!f) {
    decref(Value::from(&fn->header));
    return Value::null();
  }
  if ((co->flags & k_co_simple_args) && !kwnames && nargs == co->argcount) {
    for (std::size_t i = 0; i < nargs; i++) f->localsplus()[i] = newref(args[i]);
  } else if (bind_arguments(fn, f->localsplus(), args, nargs, kwnames) < 0) {
    pop_frame(f);
    return Value::null();
  }
  if ((co->ncells || co->nfree) && init_cells(f, fn) < 0) {
    pop_frame(f);
    return Value::null();
  }
  return eval_frame(f);
}

// ---- the loop ------------------------------------------------------------------------------

#if defined(__GNUC__)
#define FTPY_COMPUTED_GOTO 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#else
#define FTPY_COMPUTED_GOTO 0
#endif

// The loop's vocabulary (eval_frame's locals: f, co, ip, sp, consts, oparg, ts).
// A handler reads its argument from the instruction it was dispatched for (ip[-1]), not from
// a variable the dispatch sets: a value live across every dispatch would hold a callee-saved
// register, and GCC then keeps ip itself in memory (a store and a reload per instruction).
// Every handler body is a braced block, so no dispatch jumps over an initialisation.
#define TARGET(op) \
  case op:         \
  TARGET_##op:     \
  oparg = ip[-1] >> 8;
// Checked builds: the value stack and the block stack stay within the sizes the compiler
// computed for the code, at every instruction boundary.
#if defined(FTPY_CHECKS)
#define CHECK_STACKS()                                                                 \
  FTPY_ASSERT(sp >= f->stack_base() && sp <= f->stack_base() + co->stacksize &&       \
              f->nblocks <= co->maxblocks)
#else
#define CHECK_STACKS() ((void)0)
#endif
#if FTPY_COMPUTED_GOTO
#define DISPATCH()                        \
  do {                                    \
    CHECK_STACKS();                       \
    std::uint32_t w_ = *ip++;             \
    goto* k_targets[w_ & 0xff];           \
  } while (0)
#else
#define DISPATCH()     \
  do {                 \
    CHECK_STACKS();    \
    ip++;              \
    goto dispatch_top; \
  } while (0)
#endif

#define LOAD_FRAME()         \
  do {                       \
    co = f->code;            \
    ip = f->ip;              \
    sp = f->sp;              \
    consts = co->consts;     \
  } while (0)
// The frame's locals, addressed from f (a fixed offset) rather than kept in a variable of
// their own: one register fewer for the loop to keep across dispatches.
#define LOCALS (f->localsplus())
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define NAME(i) (co->names[i])
#define JUMP_TO(target) (ip = co->instrs + (target))
// The safe point on backward jumps and calls: reports a QSBR quiescent state (as CPython's
// CHECK_EVAL_BREAKER does) and handles pending requests (stop, merge, delayed frees).
#define CHECK_BREAKER()                                  \
  do {                                                   \
    if (ts->safe_point()) handle_breaker(ts);            \
  } while (0)


// flatten: the loop is far past GCC's inlining budget, so without it even Value::is_object
// stays an out-of-line call.
[[gnu::flatten]] Value eval_frame(Frame* f) noexcept {
  VmThread* vt = vm_thread_checked();
  runtime::ThreadState* ts = vt->ts;
  f->entry = true;
  f->prev = vt->frame;
  if (++vt->depth > vt->interp->recursion_limit || !c_stack_ok()) {
    --vt->depth;
    raise(&g_RecursionError, "maximum recursion depth exceeded");
    pop_frame(f);
    return Value::null();
  }
  vt->frame = f;

#if FTPY_COMPUTED_GOTO
  static const void* const k_targets[k_opcode_count] = {
#define OP(name) &&TARGET_##name,
#include "interp/compile/opcodes.def"
#undef OP
  };
#endif

  CodeObject* co;
  const std::uint32_t* ip;
  Value* sp;
  Value* consts;
  std::uint32_t oparg;

  LOAD_FRAME();
  CHECK_BREAKER();
  DISPATCH();

#if !FTPY_COMPUTED_GOTO
dispatch_top:
#endif
  switch (ip[-1] & 0xff) {
    TARGET(NOP) { DISPATCH(); }
    TARGET(POP_TOP) {
      fast_decref(POP());
      DISPATCH();
    }
    TARGET(DUP_TOP) {
      Value v = TOP();
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(DUP_TOP_TWO) {
      Value a = SECOND(), b = TOP();
      // Two 8-byte loads, not one 16-byte vector load: the two slots were just written by
      // separate stores, and a wider load cannot be store-forwarded (a stall per `x[i] += y`).
      asm("" : "+r"(a.bits));
      fast_incref(a);
      fast_incref(b);
      PUSH(a);
      PUSH(b);
      DISPATCH();
    }
    TARGET(ROT_TWO) {
      Value t = sp[-1];
      sp[-1] = sp[-2];
      sp[-2] = t;
      DISPATCH();
    }
    TARGET(ROT_THREE) {
      Value t = sp[-1];
      sp[-1] = sp[-2];
      sp[-2] = sp[-3];
      sp[-3] = t;
      DISPATCH();
    }
    TARGET(ROT_FOUR) {
      Value t = sp[-1];
      sp[-1] = sp[-2];
      sp[-2] = sp[-3];
      sp[-3] = sp[-4];
      sp[-4] = t;
      DISPATCH();
    }
    TARGET(LOAD_CONST) {
      Value v = consts[oparg];
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(LOAD_FAST) {
      Value v = LOCALS[oparg];
      if (!v) goto unbound_local_error;
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_FAST) {
      Value old = LOCALS[oparg];
      LOCALS[oparg] = POP();
      fast_decref(old);
      DISPATCH();
    }
    TARGET(DELETE_FAST) {
      Value old = LOCALS[oparg];
      if (!old) goto unbound_local_error;
      LOCALS[oparg] = Value::null();
      fast_decref(old);
      DISPATCH();
    }
    TARGET(LOAD_DEREF) {
      Value v = cell_load(LOCALS[oparg]);
      if (!v) goto deref_error_op;
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_DEREF) {
      cell_store(LOCALS[oparg], POP());
      DISPATCH();
    }
    TARGET(DELETE_DEREF) {
      if (!cell_load(LOCALS[oparg])) goto deref_error_op;
      cell_store(LOCALS[oparg], Value::null());
      DISPATCH();
    }
    TARGET(LOAD_CLASSDEREF) {
      Value v = f->locals ? dict_get_str(f->locals, localsplus_name(co, oparg)) : Value::null();
      if (!v) v = cell_load(LOCALS[oparg]);
      if (!v) goto deref_error_op;
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(LOAD_CLOSURE) {
      Value v = LOCALS[oparg];
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(LOAD_GLOBAL) {
      InlineCache* c = &co->caches[oparg];
      DictObject* g = as_dict_obj(f->globals);
      DictObject* b = as_dict_obj(f->builtins);
      std::uint64_t gv = g->version.load(std::memory_order_relaxed);
      std::uint64_t bv = b->version.load(std::memory_order_relaxed);
      Value v = inline_cache::global_read(c, g, gv, bv);
      if (!v && !(v = load_global_miss(c, f, NAME(c->name), gv, bv))) goto error;
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_GLOBAL) {
      if (store_name(f->globals, NAME(oparg), POP()) < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_GLOBAL) {
      if (delete_name(f->globals, NAME(oparg)) < 0) goto error;
      DISPATCH();
    }
    TARGET(LOAD_NAME) {
      Value v = load_name(f, NAME(oparg));
      if (!v) goto error;
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_NAME) {
      if (store_name(f->locals, NAME(oparg), POP()) < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_NAME) {
      if (delete_name(f->locals, NAME(oparg)) < 0) goto error;
      DISPATCH();
    }
    TARGET(LOAD_ATTR) {
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      Value r;
      if (!load_attr_cached(c, obj, tp, name, &r)) r = load_attr_miss(c, obj, tp, name);
      if (!r) goto error;
      sp[-1] = r;
      fast_decref(obj);
      DISPATCH();
    }
    TARGET(STORE_ATTR) {
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP(), v = SECOND();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      std::uint32_t cver = inline_cache::attr_version(c);
      int r = tp->setattr == object_generic_setattr && cver &&
                      cver == tp->version.load(std::memory_order_relaxed)
                  ? store_instance_attr(obj, name, v, &c->hint)
                  : store_attr_miss(c, obj, tp, name, v);
      sp -= 2;
      fast_decref(obj);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_ATTR) {
      Value obj = POP();
      int r = delattr(obj, NAME(oparg));
      fast_decref(obj);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(LOAD_METHOD) {
      // Pushes [function, self] for a method (never a bound method), else [null, attribute].
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      if (Value descr = method_cached(c, obj, tp, name)) {
        fast_incref(descr);
        sp[-1] = descr;
        PUSH(obj);
        DISPATCH();
      }
      Value pair[2] = {Value::null(), Value::null()};
      if (tp == &g_module_type && (pair[1] = module_attr_cached(c, obj, name))) {
        fast_incref(pair[1]);
      } else if (!load_method_generic(obj, name, pair)) {
        goto error;
      }
      sp[-1] = pair[0];
      PUSH(pair[1]);
      fast_decref(obj);
      DISPATCH();
    }
    TARGET(BINARY_SUBSCR) {
      Value key = POP(), container = TOP();
      Value r;
      if (key.is_small_int() && (r = sequence_item_fast(container, key.small_value()))) {
        fast_incref(r);
      } else if (!(r = getitem_consume(container, key))) {
        goto error;  // the unwinding drops the container
      }
      sp[-1] = r;
      fast_decref(container);
      DISPATCH();
    }
    TARGET(STORE_SUBSCR) {
      Value key = sp[-1], container = sp[-2], v = sp[-3];
      sp -= 3;
      if (key.is_small_int() && is_exact_list(container) &&
          list_store_fast(container, key.small_value(), v)) {
        fast_decref(container);
        DISPATCH();
      }
      int r = setitem(container, key, v);
      fast_decref(key);
      fast_decref(container);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_SUBSCR) {
      Value key = sp[-1], container = sp[-2];
      sp -= 2;
      int r = delitem(container, key);
      fast_decref(key);
      fast_decref(container);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(BUILD_SLICE) {
      Value step = oparg == 3 ? POP() : none();
      Value stop = POP(), start = POP();
      Value s = make_slice(start, stop, step);
      fast_decref(start);
      fast_decref(stop);
      fast_decref(step);
      if (!s) goto error;
      PUSH(s);
      DISPATCH();
    }
    // One body for both: only the slow path differs (x += y tries __iadd__ first).
    TARGET(BINARY_OP) [[fallthrough]];
    TARGET(INPLACE_OP) {
      Value res;
      if (arith_fast<true, true>(int(oparg), sp[-2], sp[-1], &res)) {
        if (!res) goto error;
        sp--;
        sp[-1] = res;
        DISPATCH();
      }
      sp -= 2;
      res = arith_generic(sp[0], sp[1], int(oparg), (ip[-1] & 0xff) == INPLACE_OP);
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    // Superinstructions (opcodes.def). ip points at the sequence's second instruction; the
    // operands are read from the sequence's own arguments. Every fast path here is one that
    // the unfused sequence would also take, with the same result; otherwise LOAD_FAST's work.
    TARGET(LOAD_FAST_LOAD_FAST) {
      Value a = LOCALS[oparg], b = LOCALS[ip[0] >> 8];
      if (!a || !b) goto TARGET_LOAD_FAST;
      fast_incref(a);
      fast_incref(b);
      PUSH(a);
      PUSH(b);
      ip++;
      DISPATCH();
    }
    TARGET(LOAD_FAST_BINARY) {  // [l] -> [l op LOCALS[oparg]]
      Value res;
      if (!arith_fast<true, false>(int(ip[0] >> 8), TOP(), LOCALS[oparg], &res))
        goto TARGET_LOAD_FAST;
      ip++;
      if (!res) goto error;
      sp[-1] = res;
      DISPATCH();
    }
    TARGET(LOAD_FAST_LOAD_FAST_BINARY) {
      Value res;
      if (!arith_fast<false, false>(int(ip[1] >> 8), LOCALS[oparg], LOCALS[ip[0] >> 8], &res))
        goto TARGET_LOAD_FAST;
      ip += 2;
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    TARGET(LOAD_FAST_SUBSCR_CONST) {
      Value key = consts[ip[0] >> 8];
      if (key.is_small_int()) {
        if (Value r = sequence_item_fast(LOCALS[oparg], key.small_value())) {
          fast_incref(r);
          PUSH(r);
          ip += 2;
          DISPATCH();
        }
      }
      goto TARGET_LOAD_FAST;
    }
    TARGET(UNARY_OP) {
      Value v = TOP();
      if (v.is_small_int() && UnaryOp(oparg) == UnaryOp::Neg) {
        sp[-1] = Value::small(-v.small_value());
        DISPATCH();
      }
      Value res = unary_op(v, UnaryOp(oparg));
      fast_decref(v);
      if (!res) {
        sp--;
        goto error;
      }
      sp[-1] = res;
      DISPATCH();
    }
    TARGET(UNARY_NOT) {
      Value v = TOP();
      int t = truthy(v);
      fast_decref(v);
      if (t < 0) {
        sp--;
        goto error;
      }
      sp[-1] = py_bool(!t);
      DISPATCH();
    }
    TARGET(COMPARE_OP) {
      Value r = sp[-1], l = sp[-2];
      int result;
      sp -= 2;
      if (l.is_small_int() && r.is_small_int()) {
        result = compare_values(int(oparg), l.small_value(), r.small_value());
      } else if (is_exact_float(l) && is_exact_float(r)) {
        result = compare_values(int(oparg), fval(l), fval(r));
        fast_decref(l);
        fast_decref(r);
      } else {
        Value res;
        result = compare_generic(l, r, int(oparg), *ip, &res);
        if (result < 0) goto error;
        if (result == 2) {
          PUSH(res);
          DISPATCH();
        }
      }
      // Fused with a following conditional jump: no bool is pushed.
      std::uint32_t next = *ip;
      if (int(next & 0xff) == POP_JUMP_IF_FALSE || int(next & 0xff) == POP_JUMP_IF_TRUE) {
        ip++;
        if (bool(result) == (int(next & 0xff) == POP_JUMP_IF_TRUE)) JUMP_TO(next >> 8);
        DISPATCH();
      }
      PUSH(py_bool(result));
      DISPATCH();
    }
    TARGET(IS_OP) {
      Value r = POP(), l = POP();
      bool res = (l == r) != (oparg != 0);
      fast_decref(l);
      fast_decref(r);
      PUSH(py_bool(res));
      DISPATCH();
    }
    TARGET(CONTAINS_OP) {
      Value container = POP(), item = POP();
      int res = contains(container, item);
      fast_decref(container);
      fast_decref(item);
      if (res < 0) goto error;
      PUSH(py_bool(bool(res) != (oparg != 0)));
      DISPATCH();
    }
    TARGET(JUMP) {
      JUMP_TO(oparg);
      DISPATCH();
    }
    TARGET(JUMP_BACKWARD) {
      JUMP_TO(oparg);
      CHECK_BREAKER();
      DISPATCH();
    }
    TARGET(POP_JUMP_IF_FALSE) {
      int t = pop_truth<false>(POP());
      if (t < 0) goto error;
      if (!t) JUMP_TO(oparg);
      DISPATCH();
    }
    TARGET(POP_JUMP_IF_TRUE) {
      int t = pop_truth<true>(POP());
      if (t < 0) goto error;
      if (t) JUMP_TO(oparg);
      DISPATCH();
    }
    TARGET(JUMP_IF_FALSE_OR_POP) {
      int t = truthy(TOP());
      if (t < 0) goto error;
      if (!t) JUMP_TO(oparg);
      else fast_decref(POP());
      DISPATCH();
    }
    TARGET(JUMP_IF_TRUE_OR_POP) {
      int t = truthy(TOP());
      if (t < 0) goto error;
      if (t) JUMP_TO(oparg);
      else fast_decref(POP());
      DISPATCH();
    }
    TARGET(GET_ITER) {
      // The loop state is two slots: [list, index] for an exact list (no iterator object),
      // else [iterator or RangeLoop, null].
      Value v = TOP();
      if (is_exact_list(v)) {
        PUSH(Value::small(0));
        DISPATCH();
      }
      Value it = loop_iter(v);
      if (!it) goto error;
      sp[-1] = it;
      fast_decref(v);
      PUSH(Value::null());
      DISPATCH();
    }
    TARGET(FOR_ITER) {
      Value state = sp[-1], it = sp[-2];
      if (state.is_small_int()) {
        if (Value item = list_loop_next(it, &sp[-1])) {
          PUSH(item);
          DISPATCH();
        }
      } else if (it.obj()->ob_type == &g_range_loop_type.rt) {
        Value x;
        if (int got = range_loop_next(it, &x)) {
          if (got < 0) goto error;
          PUSH(x);
          DISPATCH();
        }
      } else if (Value item = iter_next_for_loop(it)) {
        PUSH(item);
        DISPATCH();
      } else if (error_occurred()) {
        goto error;
      }
      sp -= 2;
      fast_decref(it);
      JUMP_TO(oparg);
      DISPATCH();
    }
    TARGET(BUILD_TUPLE) {
      Value t = make_tuple(oparg);
      if (!t) goto error;
      sp -= oparg;
      for (std::uint32_t i = 0; i < oparg; i++) as_tuple(t)->items[i] = sp[i];
      PUSH(t);
      DISPATCH();
    }
    TARGET(BUILD_LIST) {
      Value l = make_list(oparg);
      if (!l) goto error;
      sp -= oparg;
      if (oparg) {
        Value* data = as_list(l)->items.load(std::memory_order_relaxed)->items;
        for (std::uint32_t i = 0; i < oparg; i++) data[i] = sp[i];
      }
      PUSH(l);
      DISPATCH();
    }
    TARGET(BUILD_MAP) {
      sp -= 2 * oparg;
      Value d = build_map(sp, oparg);
      if (!d) goto error;
      PUSH(d);
      DISPATCH();
    }
    TARGET(LIST_APPEND) {
      Value v = POP();
      int r = list_append_unshared(sp[-int(oparg)], v);  // a comprehension's own list
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(MAP_ADD) {
      Value v = POP();
      Value k = POP();
      int r = dict_setitem(sp[-int(oparg)], k, v);
      fast_decref(k);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(LIST_EXTEND) {
      Value v = POP();
      if (list_extend_op(sp[-int(oparg)], v) < 0) goto error;
      DISPATCH();
    }
    TARGET(LIST_TO_TUPLE) {
      Value l = TOP();
      Value t = tuple_from_iterable(l);
      if (!t) goto error;
      sp[-1] = t;
      fast_decref(l);
      DISPATCH();
    }
    TARGET(DICT_UPDATE) {
      Value v = POP();
      int r = dict_update(sp[-int(oparg)], v);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(DICT_MERGE) {
      Value v = POP();
      if (dict_merge_op(sp[-int(oparg)], v) < 0) goto error;
      DISPATCH();
    }
    TARGET(UNPACK_SEQUENCE) {
      Value seq = POP();
      if ((is_exact_tuple(seq) && as_tuple(seq)->size == oparg) ||
          (is_exact_list(seq) && as_list(seq)->size.load(std::memory_order_relaxed) == oparg)) {
        Value* items = is_exact_tuple(seq)
                           ? as_tuple(seq)->items
                           : as_list(seq)->items.load(std::memory_order_relaxed)->items;
        for (std::uint32_t i = oparg; i-- > 0;) {
          fast_incref(items[i]);
          PUSH(items[i]);
        }
        fast_decref(seq);
        DISPATCH();
      }
      if (unpack_to_stack(seq, oparg, 0, false, sp) < 0) goto error;
      sp += oparg;
      DISPATCH();
    }
    TARGET(UNPACK_EX) {
      std::size_t before = oparg & 0xff, after = oparg >> 8;
      Value seq = POP();
      if (unpack_to_stack(seq, before, after, true, sp) < 0) goto error;
      sp += before + after + 1;
      DISPATCH();
    }
    TARGET(PUSH_NULL) {
      PUSH(Value::null());
      DISPATCH();
    }
    TARGET(CALL) [[fallthrough]];
    TARGET(CALL_KW) {
      Value kwv = (ip[-1] & 0xff) == CALL_KW ? POP() : Value::null();
      CallSite c = call_site(sp - oparg, oparg, kwv);
      if (c.argv == c.args) {  // not LOAD_METHOD's [function, self, args...]
        Value res;
        CallPath p = call_prepare(c, f->builtins, &res);
        if (p == CallPath::Done) {  // len(list): [null, len, list] -> [length]
          fast_decref(c.argv[0]);
          sp = c.args - 1;
          sp[-1] = res;
          fast_decref(c.callable);
          DISPATCH();
        }
        if (p == CallPath::Error) {
          call_release(c.args - 2, sp, c.kwv);
          sp = c.args - 2;
          goto error;
        }
      }
      if (is_function(c.callable)) {  // a frame of this loop, no C recursion
        Frame* nf = push_call_frame(c, sp, vt);
        sp = c.args - 2;
        if (!nf) goto error;
        f->ip = const_cast<std::uint32_t*>(ip);
        f->sp = sp;
        nf->prev = f;
        f = nf;
        vt->frame = f;
        LOAD_FRAME();
        CHECK_BREAKER();
        DISPATCH();
      }
      Value res = call_native(c);
      fast_decref(c.kwv);
      for (Value* base = c.args - 2; sp > base;) fast_decref(POP());
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    TARGET(CALL_EX) {  // [null, callable, args tuple, (kwargs dict)] -> [result]
      sp -= 3 + (oparg & 1);
      Value res = call_ex(sp, oparg & 1);
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    TARGET(MAKE_FUNCTION) {
      std::size_t n = 1 + (oparg & 1) + ((oparg >> 1) & 1) + ((oparg >> 3) & 1);
      sp -= n;
      Value fnv = make_function_op(f, oparg, sp, n);
      if (!fnv) goto error;
      PUSH(fnv);
      DISPATCH();
    }
    TARGET(RETURN_VALUE) {
      Value rv = POP();
      Value init_self = f->init_self;
      bool len_result = f->len_result;
      f->init_self = Value::null();
      if (Frame* caller = leave_frame(vt, f, sp)) f = caller;
      else return rv;
      LOAD_FRAME();
      if ((init_self || len_result) && !(rv = return_checked(rv, init_self, len_result)))
        goto error;
      PUSH(rv);
      DISPATCH();
    }
    TARGET(FORMAT_VALUE) {
      Value spec = (oparg & 4) ? POP() : Value::null();
      Value v = POP();
      Value r = !spec && !(oparg & 3) && v.is_object() && v.obj()->ob_type == &g_str_type.rt
                    ? v
                    : format_value_op(v, spec, int(oparg & 3));
      if (!r) goto error;
      PUSH(r);
      DISPATCH();
    }
    TARGET(BUILD_STRING) {
      Value r = build_string(sp - oparg, oparg);
      for (std::uint32_t i = 0; i < oparg; i++) fast_decref(POP());
      if (!r) goto error;
      PUSH(r);
      DISPATCH();
    }
    TARGET(RAISE) {
      if (oparg == 0) {  // bare `raise`
        Value cur = vt->exc_info;
        if (!cur) {
          raise(&g_RuntimeError, "No active exception to reraise");
          goto error;
        }
        restore_error(newref(cur));
        goto exception_unwind;
      }
      Value cause = oparg == 2 ? POP() : Value::null();
      raise_op(POP(), cause);
      goto error;
    }
    TARGET(RERAISE) {
      Value exc = POP();
      restore_error(exc);
      goto exception_unwind;
    }
    TARGET(SETUP_FINALLY) {
      f->blocks[f->nblocks++] = Block{oparg, std::uint32_t(sp - f->stack_base()),
                                      BlockKind::Setup, Value::null()};
      DISPATCH();
    }
    TARGET(POP_BLOCK) {
      f->nblocks--;
      DISPATCH();
    }
    TARGET(POP_EXCEPT) {
      end_handler(vt, f->blocks[--f->nblocks]);
      DISPATCH();
    }
    TARGET(CHECK_EXC_MATCH) {
      Value t = POP();
      int r = exception_matches(TOP(), t);
      fast_decref(t);
      if (r < 0) goto error;
      PUSH(py_bool(r));
      DISPATCH();
    }
    TARGET(BEFORE_WITH) {  // [mgr] -> [bound __exit__, what __enter__ returned]
      Value mgr = TOP(), exit, res;
      if (before_with(mgr, &exit, &res) < 0) goto error;
      sp[-1] = exit;
      fast_decref(mgr);
      PUSH(res);
      DISPATCH();
    }
    TARGET(WITH_EXIT) {
      if (with_exit_none(POP()) < 0) goto error;
      DISPATCH();
    }
    TARGET(WITH_EXCEPT) {  // [exit, exc] -> [exit, exc, whether exit swallowed exc]
      int t = with_exit_exc(SECOND(), TOP());
      if (t < 0) goto error;
      PUSH(py_bool(t));
      DISPATCH();
    }
    TARGET(LOAD_ASSERTION_ERROR) {
      PUSH(Value::from(&g_AssertionError.header));
      DISPATCH();
    }
    TARGET(LOAD_BUILD_CLASS) {
      Value bc = dict_get_str(f->builtins, g_build_class_name);
      if (!bc) goto build_class_error;
      fast_incref(bc);
      PUSH(bc);
      DISPATCH();
    }
    TARGET(IMPORT_NAME) {
      Value m = import_module(NAME(oparg));
      if (!m) goto error;
      PUSH(m);
      DISPATCH();
    }
    TARGET(IMPORT_FROM) {
      Value v = import_from(TOP(), NAME(oparg));
      if (!v) goto error;
      PUSH(v);
      DISPATCH();
    }
    TARGET(IMPORT_STAR) {
      if (import_star(POP(), f->locals ? f->locals : f->globals) < 0) goto error;
      DISPATCH();
    }
    default:
      raise(&g_RuntimeError, "ftpy: bad opcode");
      goto error;
  }

error:
  traceback_add(vt->exc, co, co->line_of(std::uint32_t(ip - co->instrs) - 1));
exception_unwind:
  while (f->nblocks > 0) {
    Block b = f->blocks[--f->nblocks];
    Value* level = f->stack_base() + b.level;
    while (sp > level) fast_decref(POP());
    if (b.kind == BlockKind::Handler) {
      end_handler(vt, b);
      continue;
    }
    Value exc = fetch_error();
    Block& h = f->blocks[f->nblocks++];
    h.kind = BlockKind::Handler;
    h.level = b.level;
    h.handler = 0;
    h.saved = vt->exc_info;
    vt->exc_info = newref(exc);
    PUSH(exc);
    JUMP_TO(b.handler);
    DISPATCH();
  }
  if (Frame* caller = leave_frame(vt, f, sp)) {  // the exception goes on in the caller
    f = caller;
    LOAD_FRAME();
    goto error;
  }
  return Value::null();

unbound_local_error:
  unbound_local(co->varnames[oparg]);
  goto error;
deref_error_op:
  deref_error(co, oparg);
  goto error;
build_class_error:
  raise(&g_NameError, "__build_class__ not found");
  goto error;
}

#if FTPY_COMPUTED_GOTO
#pragma GCC diagnostic pop
#endif

// ---- types ---------------------------------------------------------------------------------

bool init_vm_types() {
  g_empty_str = intern("");
  g_len_name = intern("len");
  g_enter_name = intern("__enter__");
  g_exit_name = intern("__exit__");
  g_build_class_name = intern("__build_class__");
  return init_static_type(&g_range_loop_type, "range_iterator", sizeof(RangeLoop), false,
                          runtime::free_object);
}

}  // namespace ftpy::interp
