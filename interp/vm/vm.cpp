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

// Item i (negative counts from the end) of an exact list or tuple, not yet counted; null when
// `seq` is neither or i is out of range (the caller takes the generic path). Lists are read
// lock-free, as list_fetch (list_type.cpp) reads them.
[[gnu::always_inline]] inline Value sequence_item_fast(Value seq, std::int64_t i) {
  if (!is_obj(seq)) return Value::null();
  Object* o = seq.obj();
  if (o->ob_type == &g_list_type.rt) {
    auto* l = reinterpret_cast<ListObject*>(o);
    runtime::ensure_shared(&l->header);
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
  std::int64_t cur, stop, step;
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

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  std::int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

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

Value name_error(StrObject* name) {
  Value exc = make_exception_str(&g_NameError, fmt::format("name '{}' is not defined", name->view()));
  if (!exc) return exc;
  setattr(exc, intern("name"), Value::from(&name->header));
  clear_error();
  restore_error(exc);
  return Value::null();
}

Value unbound_local(StrObject* name) {
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

Value deref_error(CodeObject* co, std::uint32_t i) {
  StrObject* name = localsplus_name(co, i);
  if (i < co->nlocals + co->ncells) return unbound_local(name);
  return raise_fmt(&g_NameError,
                   "cannot access free variable '{}' where it is not associated with a value "
                   "in enclosing scope",
                   name->view());
}

// Creates the frame's cells (moving parameters that are captured into theirs) and copies the
// closure's cells. -1 on MemoryError.
int init_cells(Frame* f, FunctionObject* fn) {
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
  return t.is_object() && t.obj()->ob_type == &g_type_type.rt &&
         (reinterpret_cast<TypeObject*>(t.obj())->tp_flags & k_tp_exception);
}

// `except T`: -1 on error (TypeError for a T that is not an exception class).
int exception_matches(Value exc, Value t) {
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
  return isinstance_of(exc, reinterpret_cast<TypeObject*>(t.obj()));
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
  for (;;) {
    Value v = iter_next(it);
    if (!v) break;
    items.push_back(v);
    if (!star && items.size() > before) break;
  }
  decref(it);
  auto release = [&] {
    for (Value v : items) decref(v);
  };
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

Value call_with_kwargs_dict(Value callable, Value args_tuple, Value kwargs) {
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

Value build_string(Value* items, std::size_t n) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; i++) total += as_str(items[i])->byte_length;
  std::string s;
  s.reserve(total);
  for (std::size_t i = 0; i < n; i++) s += as_str(items[i])->view();
  return make_str_owned(std::move(s));
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

void handle_breaker(runtime::ThreadState* ts) {
  std::uint32_t bits = ts->handle_eval_breaker();
  if (bits & runtime::eval_breaker::k_run_gc) gc::collect(gc::Reason::Threshold);
  bits &= ~(runtime::eval_breaker::k_runtime_bits | runtime::eval_breaker::k_run_gc);
  if (bits) ts->clear_request(bits);  // asynchronous exceptions: a later issue
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

// flatten: the loop is far past GCC's inlining budget, so without it even Value::is_object
// stays an out-of-line call.
[[gnu::flatten]] Value eval_frame(Frame* f) {
  VmThread* vt = t_vm;
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

// A handler reads its argument from the instruction it was dispatched for (ip[-1]), not from
// a variable the dispatch sets: a value live across every dispatch would hold a callee-saved
// register, and GCC then keeps ip itself in memory (a store and a reload per instruction).
#define TARGET(op) \
  case op:         \
  TARGET_##op:     \
  oparg = ip[-1] >> 8;
#if FTPY_COMPUTED_GOTO
  static const void* const k_targets[k_opcode_count] = {
#define OP(name) &&TARGET_##name,
#include "interp/compile/opcodes.def"
#undef OP
  };
#define DISPATCH()                        \
  do {                                    \
    std::uint32_t w_ = *ip++;             \
    goto* k_targets[w_ & 0xff];           \
  } while (0)
#else
#define DISPATCH()     \
  do {                 \
    ip++;              \
    goto dispatch_top; \
  } while (0)
#endif

  CodeObject* co;
  const std::uint32_t* ip;
  Value* sp;
  Value* consts;
  std::uint32_t oparg;

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
      if (!v) {
        unbound_local(co->varnames[oparg]);
        goto error;
      }
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
      if (!old) {
        unbound_local(co->varnames[oparg]);
        goto error;
      }
      LOCALS[oparg] = Value::null();
      fast_decref(old);
      DISPATCH();
    }
    TARGET(LOAD_DEREF) {
      Value v = reinterpret_cast<CellObject*>(LOCALS[oparg].obj())->ref;
      if (!v) {
        deref_error(co, oparg);
        goto error;
      }
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_DEREF) {
      auto* cell = reinterpret_cast<CellObject*>(LOCALS[oparg].obj());
      Value old = cell->ref;
      cell->ref = POP();
      fast_decref(old);
      DISPATCH();
    }
    TARGET(DELETE_DEREF) {
      auto* cell = reinterpret_cast<CellObject*>(LOCALS[oparg].obj());
      Value old = cell->ref;
      if (!old) {
        deref_error(co, oparg);
        goto error;
      }
      cell->ref = Value::null();
      fast_decref(old);
      DISPATCH();
    }
    TARGET(LOAD_CLASSDEREF) {
      StrObject* name = localsplus_name(co, oparg);
      if (f->locals)
        if (Value v = dict_get_str(f->locals, name)) {
          fast_incref(v);
          PUSH(v);
          DISPATCH();
        }
      Value v = reinterpret_cast<CellObject*>(LOCALS[oparg].obj())->ref;
      if (!v) {
        deref_error(co, oparg);
        goto error;
      }
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
      if (Value cv = inline_cache::global_read(c, g, gv, bv)) {
        fast_incref(cv);
        PUSH(cv);
        DISPATCH();
      }
      StrObject* name = NAME(c->name);
      Value v = dict_get_str(f->globals, name);
      if (!v) v = dict_get_str(f->builtins, name);
      if (!v) {
        if (!error_occurred()) name_error(name);
        goto error;
      }
      inline_cache::global_fill(c, g, gv, bv, v);
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_GLOBAL) {
      Value v = POP();
      int r = dict_setitem_str(f->globals, NAME(oparg), v);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_GLOBAL) {
      if (dict_delitem(f->globals, Value::from(&NAME(oparg)->header)) < 0) {
        clear_error();
        name_error(NAME(oparg));
        goto error;
      }
      DISPATCH();
    }
    TARGET(LOAD_NAME) {
      StrObject* name = NAME(oparg);
      Value v = f->locals ? dict_get_str(f->locals, name) : Value::null();
      if (!v) v = dict_get_str(f->globals, name);
      if (!v) v = dict_get_str(f->builtins, name);
      if (!v) {
        if (!error_occurred()) name_error(name);
        goto error;
      }
      fast_incref(v);
      PUSH(v);
      DISPATCH();
    }
    TARGET(STORE_NAME) {
      Value v = POP();
      int r = dict_setitem_str(f->locals, NAME(oparg), v);
      fast_decref(v);
      if (r < 0) goto error;
      DISPATCH();
    }
    TARGET(DELETE_NAME) {
      if (dict_delitem(f->locals, Value::from(&NAME(oparg)->header)) < 0) {
        clear_error();
        name_error(NAME(oparg));
        goto error;
      }
      DISPATCH();
    }
    TARGET(LOAD_ATTR) {
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      // instance_dict_slot's test, inline.
      DictObject* dict =
          tp->tp_flags & (k_tp_heaptype | k_tp_exception) ? instance_dict_load(obj) : nullptr;
      inline_cache::AttrEntry ce = inline_cache::attr_read(c);
      Value descr = ce.descr;
      if (tp->getattr == object_generic_getattr &&
          ce.version == tp->version.load(std::memory_order_relaxed) && ce.version &&
          !(dict && needs_shared_mark(&dict->header))) {
        Value r = Value::null();
        if (ce.kind == inline_cache::k_attr_data_descr) {
          r = type_of(descr)->descr_get(descr, obj, tp);
        } else {
          // The test above made sure the dict is shared or ours: no marking needed.
          Value* vs = dict ? dict_str_slot_marked(dict, name, &c->hint) : nullptr;
          Value v = vs ? slot_load(vs)
                       : dict ? dict_get_str(Value::from(&dict->header), name) : Value::null();
          if (v) {
            fast_incref(v);
            r = v;
          } else if (descr) {
            auto get = type_of(descr)->descr_get;
            r = get ? get(descr, obj, tp) : newref(descr);
          } else {
            r = object_generic_getattr(obj, name);  // raises the AttributeError
          }
        }
        if (!r) goto error;
        sp[-1] = r;
        fast_decref(obj);
        DISPATCH();
      }
      if (tp->getattr == object_generic_getattr) {
        std::uint32_t ver = type_version(tp);
        Value d = type_lookup(tp, name);
        inline_cache::attr_fill(c, ver, d,
                                d && type_of(d)->descr_get && type_of(d)->descr_set
                                    ? inline_cache::k_attr_data_descr
                                    : inline_cache::k_attr_instance);
      }
      Value r = getattr(obj, name);
      if (!r) goto error;
      sp[-1] = r;
      fast_decref(obj);
      DISPATCH();
    }
    TARGET(STORE_ATTR) {
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP();
      Value v = SECOND();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      int r;
      std::uint32_t cver = inline_cache::attr_version(c);
      if (tp->setattr == object_generic_setattr && cver &&
          cver == tp->version.load(std::memory_order_relaxed)) {
        r = store_instance_attr(obj, name, v, &c->hint);
      } else {
        if (tp->setattr == object_generic_setattr && instance_dict_slot(obj)) {
          std::uint32_t ver = type_version(tp);
          Value descr = type_lookup(tp, name);
          if (!descr || !type_of(descr)->descr_set) {
            inline_cache::attr_fill(c, ver, Value::null(), inline_cache::k_attr_instance);
          }
        }
        r = setattr(obj, name, v);
      }
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
      InlineCache* c = &co->caches[oparg];
      Value obj = TOP();
      TypeObject* tp = type_of(obj);
      StrObject* name = NAME(c->name);
      bool generic = tp->getattr == object_generic_getattr;
      if (generic || tp->getattr == native_getattr) {
        std::uint32_t ver = tp->version.load(std::memory_order_relaxed);
        inline_cache::AttrEntry ce = inline_cache::attr_read(c);
        Value descr = ce.descr;
        if (!(ver && ce.version == ver)) {
          ver = type_version(tp);
          descr = type_lookup(tp, name);
          inline_cache::attr_fill(c, ver, descr, inline_cache::k_attr_instance);
        }
        if (descr && (is_function(descr) || type_of(descr) == &g_method_descr_type)) {
          DictObject* dict = generic && (tp->tp_flags & (k_tp_heaptype | k_tp_exception))
                                 ? instance_dict_load(obj)
                                 : nullptr;
          // A foreign dict not yet marked shared: the generic path below marks it (marking
          // may wait, and descr is borrowed).
          if (!dict || (!needs_shared_mark(&dict->header) &&
                        (dict_str_absent_quick(dict, name) ||
                         !dict_get_str(Value::from(&dict->header), name)))) {
            fast_incref(descr);
            sp[-1] = descr;
            PUSH(obj);
            DISPATCH();
          }
        }
      }
      // `module.function(...)` (math.sqrt): cached by the module dict's version, as
      // LOAD_GLOBAL is; pushes [NULL, attribute].
      if (tp == &g_module_type) {
        DictObject* md = reinterpret_cast<ModuleObject*>(obj.obj())->dict;
        std::uint64_t mv = md->version.load(std::memory_order_relaxed);
        Value v = inline_cache::module_read(c, md, mv);
        if (!v) {
          v = dict_get_str(Value::from(&md->header), name);
          if (v) inline_cache::module_fill(c, md, mv, v);
        }
        if (v) {
          fast_incref(v);
          sp[-1] = Value::null();
          PUSH(v);
          fast_decref(obj);
          DISPATCH();
        }
      }
      Value self;
      if (Value fn = super_method(obj, name, &self)) {
        fast_incref(fn);
        fast_incref(self);
        sp[-1] = fn;
        PUSH(self);
        fast_decref(obj);
        DISPATCH();
      }
      Value r = getattr(obj, name);
      if (!r) goto error;
      sp[-1] = Value::null();
      fast_decref(obj);
      PUSH(r);
      DISPATCH();
    }
    TARGET(BINARY_SUBSCR) {
      Value key = POP();
      Value container = TOP();
      Value r;
      if (key.is_small_int() && (r = sequence_item_fast(container, key.small_value()))) {
        fast_incref(r);
        sp[-1] = r;
        fast_decref(container);
        DISPATCH();
      }
      r = getitem(container, key);
      fast_decref(key);
      fast_decref(container);
      sp[-1] = r;
      if (!r) {
        sp--;
        goto error;
      }
      DISPATCH();
    }
    TARGET(STORE_SUBSCR) {
      Value key = sp[-1], container = sp[-2], v = sp[-3];
      sp -= 3;
      int r;
      if (key.is_small_int() && is_exact_list(container)) {
        auto* l = as_list(container);
        if (owned_here(&l->header) && !runtime::is_shared(&l->header)) {
          // A list only this thread has touched: no lock, no delayed release (the biased
          // write of list_type.cpp, inline).
          std::int64_t i = key.small_value();
          std::int64_t n = std::int64_t(l->size.load(std::memory_order_relaxed));
          if (i < 0) i += n;
          if (i >= 0 && i < n) {
            Value* slot = &l->items.load(std::memory_order_relaxed)->items[i];
            Value old = *slot;
            *slot = v;
            fast_decref(old);
            fast_decref(container);
            DISPATCH();
          }
        } else if (list_store_steal(container, key.small_value(), v)) {
          fast_decref(container);
          DISPATCH();
        }
      }
      r = setitem(container, key, v);
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
    TARGET(BINARY_OP) {
      Value r = sp[-1], l = sp[-2];
      if (l.is_small_int() && r.is_small_int()) {
        std::int64_t x;
        if (small_binary(int(oparg), l.small_value(), r.small_value(), &x)) {
          sp--;
          sp[-1] = Value::small(x);
          DISPATCH();
        }
      } else if (is_exact_float(l) && is_exact_float(r)) {
        double x;
        if (float_binary(int(oparg), fval(l), fval(r), &x)) {
          if (is_unique_temp(l)) {
            reinterpret_cast<FloatObject*>(l.obj())->value = x;
            sp--;
            fast_decref(r);
            DISPATCH();
          }
          if (is_unique_temp(r)) {
            reinterpret_cast<FloatObject*>(r.obj())->value = x;
            sp--;
            sp[-1] = r;
            fast_decref(l);
            DISPATCH();
          }
          Value res = fast_make_float(x);
          if (!res) goto error;
          sp--;
          sp[-1] = res;
          fast_decref(l);
          fast_decref(r);
          DISPATCH();
        }
      }
      Value res = binary_op(l, r, BinaryOp(oparg));
      sp -= 2;
      fast_decref(l);
      fast_decref(r);
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    TARGET(INPLACE_OP) {
      Value r = sp[-1], l = sp[-2];
      if (l.is_small_int() && r.is_small_int()) {
        std::int64_t x;
        if (small_binary(int(oparg), l.small_value(), r.small_value(), &x)) {
          sp--;
          sp[-1] = Value::small(x);
          DISPATCH();
        }
      } else if (is_exact_float(l) && is_exact_float(r)) {
        double x;
        if (float_binary(int(oparg), fval(l), fval(r), &x)) {
          if (is_unique_temp(l)) {
            reinterpret_cast<FloatObject*>(l.obj())->value = x;
            sp--;
            fast_decref(r);
            DISPATCH();
          }
          if (is_unique_temp(r)) {
            reinterpret_cast<FloatObject*>(r.obj())->value = x;
            sp--;
            sp[-1] = r;
            fast_decref(l);
            DISPATCH();
          }
          Value res = fast_make_float(x);
          if (!res) goto error;
          sp--;
          sp[-1] = res;
          fast_decref(l);
          fast_decref(r);
          DISPATCH();
        }
      }
      Value res = inplace_op(l, r, BinaryOp(oparg));
      sp -= 2;
      fast_decref(l);
      fast_decref(r);
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
    TARGET(LOAD_FAST_BINARY) {
      // [l] -> [l op LOCALS[oparg]]
      Value l = TOP(), r = LOCALS[oparg];
      int op = int(ip[0] >> 8);
      if (l.is_small_int() && r.is_small_int()) {
        std::int64_t x;
        if (small_binary(op, l.small_value(), r.small_value(), &x)) {
          sp[-1] = Value::small(x);
          ip++;
          DISPATCH();
        }
      } else if (is_exact_float(l) && is_exact_float(r)) {
        double x;
        if (float_binary(op, fval(l), fval(r), &x)) {
          ip++;
          if (is_unique_temp(l)) {
            reinterpret_cast<FloatObject*>(l.obj())->value = x;
            DISPATCH();
          }
          Value res = fast_make_float(x);
          if (!res) goto error;
          sp[-1] = res;
          fast_decref(l);
          DISPATCH();
        }
      }
      goto TARGET_LOAD_FAST;
    }
    TARGET(LOAD_FAST_LOAD_FAST_BINARY) {
      Value l = LOCALS[oparg], r = LOCALS[ip[0] >> 8];
      int op = int(ip[1] >> 8);
      if (l.is_small_int() && r.is_small_int()) {
        std::int64_t x;
        if (small_binary(op, l.small_value(), r.small_value(), &x)) {
          PUSH(Value::small(x));
          ip += 2;
          DISPATCH();
        }
      } else if (is_exact_float(l) && is_exact_float(r)) {
        double x;
        if (float_binary(op, fval(l), fval(r), &x)) {
          ip += 2;
          Value res = fast_make_float(x);
          if (!res) goto error;
          PUSH(res);
          DISPATCH();
        }
      }
      goto TARGET_LOAD_FAST;
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
      if (l.is_small_int() && r.is_small_int()) {
        result = compare_values(int(oparg), l.small_value(), r.small_value());
        sp -= 2;
      } else if (is_exact_float(l) && is_exact_float(r)) {
        result = compare_values(int(oparg), fval(l), fval(r));
        sp -= 2;
        fast_decref(l);
        fast_decref(r);
      } else {
        Value res = richcompare(l, r, CompareOp(oparg));
        sp -= 2;
        fast_decref(l);
        fast_decref(r);
        if (!res) goto error;
        if (res.is_object() && (res.obj() == &g_true_obj || res.obj() == &g_false_obj)) {
          result = res.obj() == &g_true_obj;
        } else {
          std::uint32_t next = *ip;
          int nop = int(next & 0xff);
          if (nop != POP_JUMP_IF_FALSE && nop != POP_JUMP_IF_TRUE) {
            PUSH(res);
            DISPATCH();
          }
          result = truthy(res);
          fast_decref(res);
          if (result < 0) goto error;
        }
      }
      // Fused with a following conditional jump: no bool is pushed.
      std::uint32_t next = *ip;
      int nop = int(next & 0xff);
      if (nop == POP_JUMP_IF_FALSE) {
        ip++;
        if (!result) JUMP_TO(next >> 8);
        DISPATCH();
      }
      if (nop == POP_JUMP_IF_TRUE) {
        ip++;
        if (result) JUMP_TO(next >> 8);
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
      Value v = POP();
      if (v.bits == reinterpret_cast<std::uintptr_t>(&g_false_obj)) {
        JUMP_TO(oparg);
      } else if (v.bits != reinterpret_cast<std::uintptr_t>(&g_true_obj)) {
        int t = truthy(v);
        fast_decref(v);
        if (t < 0) goto error;
        if (!t) JUMP_TO(oparg);
      }
      DISPATCH();
    }
    TARGET(POP_JUMP_IF_TRUE) {
      Value v = POP();
      if (v.bits == reinterpret_cast<std::uintptr_t>(&g_true_obj)) {
        JUMP_TO(oparg);
      } else if (v.bits != reinterpret_cast<std::uintptr_t>(&g_false_obj)) {
        int t = truthy(v);
        fast_decref(v);
        if (t < 0) goto error;
        if (t) JUMP_TO(oparg);
      }
      DISPATCH();
    }
    TARGET(JUMP_IF_FALSE_OR_POP) {
      int t = truthy(TOP());
      if (t < 0) goto error;
      if (!t) {
        JUMP_TO(oparg);
      } else {
        fast_decref(POP());
      }
      DISPATCH();
    }
    TARGET(JUMP_IF_TRUE_OR_POP) {
      int t = truthy(TOP());
      if (t < 0) goto error;
      if (t) {
        JUMP_TO(oparg);
      } else {
        fast_decref(POP());
      }
      DISPATCH();
    }
    TARGET(GET_ITER) {
      Value v = TOP();
      if (is_exact_list(v)) {
        PUSH(Value::small(0));
        DISPATCH();
      }
      if (v.is_object() && v.obj()->ob_type == &g_range_type.rt) {
        std::int64_t vals[3];
        static StrObject* const k_fields[3] = {intern("start"), intern("stop"), intern("step")};
        bool ok = true;
        for (int i = 0; i < 3 && ok; i++) {
          Value x = getattr(v, k_fields[i]);
          ok = x && as_int64(x, &vals[i]);
          fast_decref(x);
        }
        if (ok) {
          Object* o = runtime::alloc_object(&g_range_loop_type.rt, sizeof(RangeLoop));
          if (!o) {
            raise_no_memory();
            goto error;
          }
          auto* rl = reinterpret_cast<RangeLoop*>(o);
          rl->cur = vals[0];
          rl->stop = vals[1];
          rl->step = vals[2];
          sp[-1] = Value::from(o);
          fast_decref(v);
          PUSH(Value::null());
          DISPATCH();
        }
        clear_error();
      }
      Value it = get_iter(v);
      if (!it) goto error;
      sp[-1] = it;
      fast_decref(v);
      PUSH(Value::null());
      DISPATCH();
    }
    TARGET(FOR_ITER) {
      Value state = sp[-1];
      Value it = sp[-2];
      if (state.is_small_int()) {
        auto* l = as_list(it);
        std::int64_t i = state.small_value();
        if (std::size_t(i) < l->size.load(std::memory_order_relaxed)) {
          Value item = l->items.load(std::memory_order_relaxed)->items[i];
          fast_incref(item);
          sp[-1] = Value::small(i + 1);
          PUSH(item);
          DISPATCH();
        }
      } else if (it.obj()->ob_type == &g_range_loop_type.rt) {
        auto* rl = reinterpret_cast<RangeLoop*>(it.obj());
        if (rl->step > 0 ? rl->cur < rl->stop : rl->cur > rl->stop) {
          std::int64_t x = rl->cur;
          rl->cur += rl->step;
          if (Value::fits_small(x)) {
            PUSH(Value::small(x));
          } else {
            Value b = make_int(x);
            if (!b) goto error;
            PUSH(b);
          }
          DISPATCH();
        }
      } else {
        Value item = type_of(it)->iternext ? type_of(it)->iternext(it) : iter_next(it);
        if (item) {
          PUSH(item);
          DISPATCH();
        }
        if (error_occurred()) {
          if (!error_matches(&g_StopIteration)) goto error;
          clear_error();
        }
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
      Value d = make_dict();
      if (!d) goto error;
      Value* base = sp - 2 * oparg;
      int r = 0;
      for (std::uint32_t i = 0; i < oparg && r == 0; i++)
        r = dict_setitem(d, base[2 * i], base[2 * i + 1]);
      while (sp > base) fast_decref(POP());
      if (r < 0) {
        fast_decref(d);
        goto error;
      }
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
      int r = list_extend(sp[-int(oparg)], v);
      if (r < 0 && error_matches(&g_TypeError) && !get_iter(v)) {
        clear_error();
        raise_fmt(&g_TypeError, "Value after * must be an iterable, not {}", type_name(v));
      }
      fast_decref(v);
      if (r < 0) goto error;
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
      Value target = sp[-int(oparg)];
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
      if (r < 0) goto error;
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
      std::vector<Value> out(oparg);
      int r = unpack_iterable(seq, oparg, 0, false, out.data());
      fast_decref(seq);
      if (r < 0) goto error;
      for (std::uint32_t i = oparg; i-- > 0;) PUSH(out[i]);
      DISPATCH();
    }
    TARGET(UNPACK_EX) {
      std::size_t before = oparg & 0xff, after = oparg >> 8;
      Value seq = POP();
      std::vector<Value> out(before + after + 1);
      int r = unpack_iterable(seq, before, after, true, out.data());
      fast_decref(seq);
      if (r < 0) goto error;
      for (std::size_t i = out.size(); i-- > 0;) PUSH(out[i]);
      DISPATCH();
    }
    TARGET(PUSH_NULL) {
      PUSH(Value::null());
      DISPATCH();
    }
    TARGET(CALL) [[fallthrough]];
    TARGET(CALL_KW) {
      TupleObject* kwnames = nullptr;
      Value kwv = Value::null();
      if ((ip[-1] & 0xff) == CALL_KW) {
        kwv = POP();
        kwnames = as_tuple(kwv);
      }
      Value* args = sp - oparg;
      Value init_self = Value::null();  // borrowed from the stack: see below
      bool len_result = false;
      Value callable;
      Value* argv;
      std::size_t argc;
      if (args[-2]) {
        callable = args[-2];
        argv = args - 1;
        argc = oparg + 1;
      } else {
        callable = args[-1];
        argv = args;
        argc = oparg;
        // A bound method (`push = s.push; push(i)`): call its function with self in place of
        // the method on the stack, like LOAD_METHOD's form, so it runs in this loop.
        if (is_obj(callable) && callable.obj()->ob_type == &g_method_type.rt) {
          auto* m = reinterpret_cast<MethodObject*>(callable.obj());
          if (is_function(m->func)) {
            fast_incref(m->func);
            fast_incref(m->self);
            args[-2] = m->func;
            args[-1] = m->self;
            fast_decref(callable);
            callable = args[-2];
            argv = args - 1;
            argc = oparg + 1;
          }
        } else if (argc == 1 && !kwnames && is_obj(callable) &&
                   callable.obj()->ob_type == &g_builtin_function_type.rt) {
          // len(x) on a list, or on a class with a Python __len__ (run as a frame of this
          // loop, no nested eval through slot_len; RETURN_VALUE applies slot_len's checks).
          Value out;
          LenPath lp = len_fast_path(callable, f->builtins, argv[0], &out);
          if (lp == LenPath::Result) {
            fast_decref(argv[0]);
            sp = args - 1;
            sp[-1] = out;           // where the null was
            fast_decref(callable);  // the stack's reference to len
            DISPATCH();
          }
          if (lp == LenPath::Frame) {
            fast_incref(out);
            args[-1] = out;
            fast_decref(callable);
            callable = out;
            len_result = true;
          }
        } else if (is_obj(callable) && callable.obj()->ob_type == &g_type_type.rt) {
        // `Class(...)` with a Python __init__: allocate here and run __init__ as an ordinary
        // frame of this loop (no nested eval_frame through type_call). The stack becomes
        // [__init__, instance, args...], a method call; the frame returns the instance.
          auto* t = reinterpret_cast<TypeObject*>(callable.obj());
          if (Value init = type_python_init(t)) {
            Value inst = t->new_(t, argv, argc, kwnames);
            if (!inst) {
              fast_decref(kwv);
              goto call_cleanup_error;
            }
            fast_incref(init);
            args[-2] = init;
            args[-1] = inst;
            fast_decref(callable);  // the instance keeps its class alive
            callable = init;
            argv = args - 1;
            argc = oparg + 1;
            init_self = inst;
          }
        }
      }
      if (is_function(callable)) {
        FunctionObject* fn = as_function(callable);
        CodeObject* fco = fn->code;
        bool simple = !kwnames && (fco->flags & k_co_simple_args) && argc == fco->argcount;
        // The frame's reference to fn: the stack's, taken over below when the arguments are
        // simple (nothing between here and there can fail), else one of its own.
        if (!simple) fast_incref(callable);
        Frame* nf = frame_push(fco, fn->globals, fn);
        if (!nf) {
          if (!simple) fast_decref(callable);
          fast_decref(kwv);
          goto call_cleanup_error;
        }
        if (init_self) nf->init_self = newref(init_self);
        nf->len_result = len_result;
        if (simple) {
          // Steal the arguments and the function reference from this frame's stack.
          for (std::size_t i = 0; i < argc; i++) nf->localsplus()[i] = argv[i];
          sp = args - 2;
        } else {
          if (bind_arguments(fn, nf->localsplus(), argv, argc, kwnames) < 0) {
            pop_frame(nf);
            fast_decref(kwv);
            goto call_cleanup_error;
          }
          fast_decref(kwv);
          Value* base = args - 2;
          while (sp > base) fast_decref(POP());
        }
        if ((fco->ncells || fco->nfree) && init_cells(nf, fn) < 0) {
          pop_frame(nf);
          goto error;
        }
        if (++vt->depth > vt->interp->recursion_limit) {
          --vt->depth;
          pop_frame(nf);
          raise(&g_RecursionError, "maximum recursion depth exceeded");
          goto error;
        }
        f->ip = const_cast<std::uint32_t*>(ip);
        f->sp = sp;
        nf->prev = f;
        f = nf;
        vt->frame = f;
        LOAD_FRAME();
        CHECK_BREAKER();
        DISPATCH();
      }
      {
        // Built-in functions (math.sqrt, len) called directly: call()'s slot dispatch, inline.
        // Method descriptors on an exact instance of their type ([list.append, lst, x] from
        // LOAD_METHOD): descr_call's checks reduce to the type test.
        Value res;
        runtime::Type* ct = is_obj(callable) ? callable.obj()->ob_type : nullptr;
        if (ct == &g_builtin_function_type.rt) {
          auto* bf = reinterpret_cast<BuiltinFunctionObject*>(callable.obj());
          res = bf->fn(bf->self, argv, argc, kwnames);
        } else if (ct == &g_method_descr_type.rt && argc > (kwnames ? kwnames->size : 0) &&
                   type_of(argv[0]) == reinterpret_cast<MethodDescrObject*>(callable.obj())->owner) {
          auto* md = reinterpret_cast<MethodDescrObject*>(callable.obj());
          res = md->fn(argv[0], argv + 1, argc - 1, kwnames);
        } else {
          res = call(callable, argv, argc, kwnames);
        }
        fast_decref(kwv);
        Value* base = args - 2;
        while (sp > base) fast_decref(POP());
        if (!res) goto error;
        PUSH(res);
        DISPATCH();
      }
    call_cleanup_error : {
      Value* base = args - 2;
      while (sp > base) fast_decref(POP());
      goto error;
    }
    }
    TARGET(CALL_EX) {
      Value kwargs = (oparg & 1) ? POP() : Value::null();
      Value argt = POP();
      Value callable = POP();
      Value nul = POP();
      Value res = call_with_kwargs_dict(callable, argt, kwargs);
      fast_decref(kwargs);
      fast_decref(argt);
      fast_decref(callable);
      fast_decref(nul);
      if (!res) goto error;
      PUSH(res);
      DISPATCH();
    }
    TARGET(MAKE_FUNCTION) {
      Value code = POP();
      Value closure = (oparg & 8) ? POP() : Value::null();
      Value kwdefaults = (oparg & 2) ? POP() : Value::null();
      Value defaults = (oparg & 1) ? POP() : Value::null();
      Value fnv = make_function(reinterpret_cast<CodeObject*>(code.obj()), f->globals);
      fast_decref(code);
      if (!fnv) {
        fast_decref(closure);
        fast_decref(kwdefaults);
        fast_decref(defaults);
        goto error;
      }
      FunctionObject* fn = as_function(fnv);
      if (closure) fn->closure = as_tuple(closure);
      if (kwdefaults) fn->kwdefaults = reinterpret_cast<DictObject*>(kwdefaults.obj());
      if (defaults) fn->defaults = as_tuple(defaults);
      if ((!f->func || ((co->flags & k_co_class_body) && f->prev && !f->prev->func)) &&
          long_lived_code(fn->code)) {
        // A module-level function, or a method of a module-level class: every thread may
        // call it (local_refs.h). Functions made inside functions keep ordinary counts, and
        // so do the ones run once and dropped (class bodies, comprehensions, lambdas): only
        // the collector could free them otherwise.
        runtime::use_local_refs(&fn->header);
        runtime::use_local_refs(&fn->code->header);
      }
      PUSH(fnv);
      DISPATCH();
    }
    TARGET(RETURN_VALUE) {
      Value rv = POP();
      f->sp = sp;
      bool entry = f->entry;
      Frame* prev = f->prev;
      Value init_self = f->init_self;
      bool len_result = f->len_result;
      f->init_self = Value::null();
      frame_pop(f);
      --vt->depth;
      vt->frame = prev;
      if (entry) return rv;
      f = prev;
      LOAD_FRAME();
      if (init_self) {  // type_call's check, reported at the caller's line as CPython does
        if (rv != none()) {
          raise_fmt(&g_TypeError, "__init__() should return None, not '{}'", type_name(rv));
          fast_decref(rv);
          fast_decref(init_self);
          goto error;
        }
        rv = init_self;
      } else if (len_result) {  // slot_len's conversion and errors
        std::int64_t n;
        if (!as_int64(rv, &n)) {
          raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer",
                    type_name(rv));
          fast_decref(rv);
          goto error;
        }
        fast_decref(rv);
        if (n < 0) {
          raise(&g_ValueError, "__len__() should return >= 0");
          goto error;
        }
        rv = make_int(n);
        if (!rv) goto error;
      }
      PUSH(rv);
      DISPATCH();
    }
    TARGET(FORMAT_VALUE) {
      Value spec = (oparg & 4) ? POP() : Value::null();
      Value v = POP();
      int conv = int(oparg & 3);
      if (conv) {
        Value c = conv == 1 ? str(v) : repr(v);
        fast_decref(v);
        if (!c) {
          fast_decref(spec);
          goto error;
        }
        v = c;
      }
      if (!spec && v.is_object() && v.obj()->ob_type == &g_str_type.rt) {
        PUSH(v);
        DISPATCH();
      }
      Value r = format(v, spec ? as_str(spec) : g_empty_str);
      fast_decref(v);
      fast_decref(spec);
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
      if (oparg == 0) {
        Value cur = vt->exc_info;
        if (!cur) {
          raise(&g_RuntimeError, "No active exception to reraise");
          goto error;
        }
        restore_error(newref(cur));
        goto exception_unwind;
      }
      Value cause = oparg == 2 ? POP() : Value::null();
      Value exc = POP();
      if (cause && cause != none() && !exc_class_ok(cause) &&
          !(type_of(cause)->tp_flags & k_tp_exception)) {
        fast_decref(cause);
        fast_decref(exc);
        raise(&g_TypeError, "exception causes must derive from BaseException");
        goto error;
      }
      fast_decref(cause);
      raise_value(exc);
      fast_decref(exc);
      goto error;
    }
    TARGET(RERAISE) {
      Value exc = POP();
      restore_error(exc);
      goto exception_unwind;
    }
    TARGET(SETUP_FINALLY) {
      Block& b = f->blocks[f->nblocks++];
      b.kind = BlockKind::Setup;
      b.handler = oparg;
      b.level = std::uint32_t(sp - f->stack_base());
      b.saved = Value::null();
      DISPATCH();
    }
    TARGET(POP_BLOCK) {
      f->nblocks--;
      DISPATCH();
    }
    TARGET(POP_EXCEPT) {
      Block& b = f->blocks[--f->nblocks];
      Value cur = vt->exc_info;
      vt->exc_info = b.saved;
      fast_decref(cur);
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
    TARGET(BEFORE_WITH) {
      Value mgr = TOP();
      TypeObject* tp = type_of(mgr);
      Value enter = type_lookup(tp, g_enter_name);
      Value exit = type_lookup(tp, g_exit_name);
      if (!enter || !exit) {
        raise_fmt(&g_TypeError,
                  "'{}' object does not support the context manager protocol", tp->name->view());
        goto error;
      }
      auto bind = [&](Value descr) {
        auto get = type_of(descr)->descr_get;
        return get ? get(descr, mgr, tp) : newref(descr);
      };
      Value bound_exit = bind(exit);
      if (!bound_exit) goto error;
      Value bound_enter = bind(enter);
      if (!bound_enter) {
        fast_decref(bound_exit);
        goto error;
      }
      Value res = call0(bound_enter);
      fast_decref(bound_enter);
      if (!res) {
        fast_decref(bound_exit);
        goto error;
      }
      sp[-1] = bound_exit;
      fast_decref(mgr);
      PUSH(res);
      DISPATCH();
    }
    TARGET(WITH_EXIT) {
      Value exit = POP();
      Value args[3] = {none(), none(), none()};
      Value r = call(exit, args, 3, nullptr);
      fast_decref(exit);
      if (!r) goto error;
      fast_decref(r);
      DISPATCH();
    }
    TARGET(WITH_EXCEPT) {
      Value exc = TOP();
      Value exit = SECOND();
      Value args[3] = {Value::from(&type_of(exc)->header), exc, none()};
      Value r = call(exit, args, 3, nullptr);
      if (!r) goto error;
      int t = truthy(r);
      fast_decref(r);
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
      if (!bc) {
        raise(&g_NameError, "__build_class__ not found");
        goto error;
      }
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
      Value m = TOP();
      Value v = getattr(m, NAME(oparg));
      if (!v) {
        if (!error_matches(&g_AttributeError)) goto error;
        clear_error();
        Value mn = getattr(m, intern("__name__"));
        std::string modname = mn && isinstance_of(mn, &g_str_type)
                                  ? std::string(as_str(mn)->view())
                                  : std::string("?");
        fast_decref(mn);
        clear_error();
        raise_fmt(&g_ImportError, "cannot import name '{}' from '{}' (unknown location)",
                  NAME(oparg)->view(), modname);
        goto error;
      }
      PUSH(v);
      DISPATCH();
    }
    TARGET(IMPORT_STAR) {
      Value m = POP();
      Value d = getattr(m, intern("__dict__"));
      fast_decref(m);
      if (!d) goto error;
      std::size_t pos = 0;
      Value k, v;
      int r = 0;
      Value target = f->locals ? f->locals : f->globals;
      while (r == 0 && dict_next(d, &pos, &k, &v)) {
        if (isinstance_of(k, &g_str_type) && as_str(k)->view().substr(0, 1) == "_") continue;
        r = dict_setitem(target, k, v);
      }
      fast_decref(d);
      if (r < 0) goto error;
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
      Value cur = vt->exc_info;
      vt->exc_info = b.saved;
      fast_decref(cur);
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
  {
    f->sp = sp;
    bool entry = f->entry;
    Frame* prev = f->prev;
    frame_pop(f);
    --vt->depth;
    vt->frame = prev;
    if (entry) return Value::null();
    f = prev;
    LOAD_FRAME();
    goto error;
  }
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
