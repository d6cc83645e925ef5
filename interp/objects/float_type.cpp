// float_type.cpp: float (an IEEE double in a FloatObject). repr is the shortest round-trip
// string (numfmt::float_repr); arithmetic accepts int operands on either side (int's slots
// return NotImplemented for floats); int/float comparisons are exact, and hash(1.0) ==
// hash(1) with CPython's hashing of doubles modulo 2**61 - 1.
#include <cmath>
#include <string>

#include "interp/text/numfmt.h"
#include "interp/objects/types_internal.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

TypeObject g_float_type;

// The float free list (vm_state.h's FloatFreeList, types_internal.h's float_free_push/pop):
// float_dealloc fills it, make_float and the eval loop's float results (vm.cpp) take from it,
// and the eval loop's own decref puts floats it saw die straight back. A block in it keeps
// this thread state's ob_tid and zero counts, so a pop only sets the local count. The list
// lives in the VmThread: a thread state's blocks are reused only by it, and released (while
// attached) by release_float_cache at its teardown.
namespace {
void float_dealloc(Object* o) {
  // Not while the thread state is being torn down (its m_upper_state is cleared first): the
  // list is released before that, and a float pushed during the teardown would be lost.
  if (VmThread* vt = t_vm; vt && vt->ts == runtime::ThreadState::current() &&
                           vt->ts->m_upper_state == vt) {
    // It may have died through its shared count, on a thread that does not own it.
    o->ob_tid.store(runtime::t_current_tid, std::memory_order_relaxed);
    o->ob_ref_local.store(0, std::memory_order_relaxed);
    o->ob_ref_shared.store(0, std::memory_order_relaxed);
    if (float_free_push(vt, o)) return;
  }
  runtime::free_object(o);
}
}  // namespace

void release_float_cache() {
  if (VmThread* vt = t_vm)
    while (Object* o = float_free_pop(vt)) runtime::free_object(o);
}

Value make_float(double v) {
  if (VmThread* vt = t_vm)
    if (Object* o = float_free_pop(vt)) {
      o->ob_ref_local.store(1, std::memory_order_relaxed);
      reinterpret_cast<FloatObject*>(o)->value = v;
      return Value::from(o);
    }
  Object* o = runtime::alloc_object(&g_float_type.rt, sizeof(FloatObject));
  if (!o) return raise_no_memory();
  reinterpret_cast<FloatObject*>(o)->value = v;
  return Value::from(o);
}

std::int64_t hash_double(double v, Value self) {
  constexpr std::uint64_t P = (std::uint64_t(1) << 61) - 1;
  if (!std::isfinite(v)) {
    if (std::isinf(v)) return v > 0 ? 314159 : -314159;
    std::uint64_t p = reinterpret_cast<std::uint64_t>(self.obj());
    std::int64_t h = std::int64_t((p >> 4) | (p << 60));
    return h == -1 ? -2 : h;
  }
  int e = 0;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m) {
    x = ((x << 28) & P) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    std::uint64_t y = std::uint64_t(m);
    m -= double(y);
    x += y;
    if (x >= P) x -= P;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & P) | x >> (61 - e);
  std::int64_t r = std::int64_t(x) * sign;
  return r == -1 ? -2 : r;
}

namespace {
// numfmt::parse_float reports success as a bool or a ParseStatus, whichever it settles on.
[[maybe_unused]] inline bool parse_ok(bool ok) { return ok; }
template <class S>
inline bool parse_ok(S st) {
  return st == S::Ok;
}
}  // namespace

Value float_from_string(std::string_view s) {
  double d = 0;
  std::string err;
  auto st = numfmt::parse_float(s, &d, &err);
  if (parse_ok(st)) return make_float(d);
  if (!err.empty()) return raise(&g_ValueError, err);
  Value r = make_str(s);
  if (!r) return r;
  Value rr = repr(r);
  decref(r);
  if (!rr) return rr;
  Value e = raise_fmt(&g_ValueError, "could not convert string to float: {}", as_str(rr)->view());
  decref(rr);
  return e;
}

namespace {

inline double F(Value v) { return float_value(v); }

// Converts an int or float operand; false for anything else.
inline bool to_double(Value v, double* out) {
  if (is_float(v)) {
    *out = F(v);
    return true;
  }
  if (is_int(v)) {
    *out = double(int_value_unchecked(v));
    return true;
  }
  return false;
}

Value float_repr(Value v) { return make_str(numfmt::float_repr(F(v))); }
std::int64_t float_hash(Value v) { return hash_double(F(v), v); }
int float_truthy(Value v) { return F(v) != 0.0; }

// Exact comparison of a double with an int64: -1, 0, 1, or 2 when d is NaN.
int cmp_double_int(double d, std::int64_t i) {
  if (std::isnan(d)) return 2;
  if (d >= 9223372036854775808.0) return 1;
  if (d < -9223372036854775808.0) return -1;
  double t = std::trunc(d);
  std::int64_t ti = std::int64_t(t);
  if (ti != i) return ti < i ? -1 : 1;
  double frac = d - t;
  return frac > 0 ? 1 : frac < 0 ? -1 : 0;
}

// c is a three-way result, or 2 when unordered (NaN): then only != holds.
bool apply(CompareOp op, int c) { return c == 2 ? op == CompareOp::Ne : compare_op(op, c, 0); }

Value float_richcompare(Value a, Value b, CompareOp op) {
  double x = F(a);
  if (is_float(b)) return py_bool(compare_op(op, x, F(b)));
  if (is_int(b)) return py_bool(apply(op, cmp_double_int(x, int_value_unchecked(b))));
  return not_implemented();
}

double fmod_py(double vx, double wx) {
  double mod = std::fmod(vx, wx);
  if (mod) {
    if ((wx < 0) != (mod < 0)) mod += wx;
  } else {
    mod = std::copysign(0.0, wx);
  }
  return mod;
}

double floordiv_py(double vx, double wx) {
  double mod = std::fmod(vx, wx);
  double div = (vx - mod) / wx;
  if (mod) {
    if ((wx < 0) != (mod < 0)) div -= 1.0;
  }
  double floordiv;
  if (div) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, vx / wx);
  }
  return floordiv;
}

Value float_pow(double x, double y) {
  if (y == 0) return make_float(1.0);
  if (std::isnan(x)) return make_float(x);
  if (std::isnan(y)) return make_float(x == 1.0 ? 1.0 : y);
  if (x == 0 && y < 0 && std::isfinite(y))
    return raise(&g_ZeroDivisionError, "0.0 cannot be raised to a negative power");
  if (x < 0 && std::isfinite(x) && std::isfinite(y) && y != std::floor(y))
    return raise(&g_ValueError,
                 "negative number cannot be raised to a fractional power (complex results are "
                 "not supported)");
  errno = 0;
  double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
    return raise(&g_OverflowError, "(34, 'Numerical result out of range')");
  return make_float(r);
}

template <BinaryOp Op>
Value float_binary(Value a, Value b) {
  double x, y;
  if (!to_double(a, &x) || !to_double(b, &y)) return not_implemented();
  switch (Op) {
    case BinaryOp::Add: return make_float(x + y);
    case BinaryOp::Sub: return make_float(x - y);
    case BinaryOp::Mul: return make_float(x * y);
    case BinaryOp::TrueDiv:
      if (y == 0) return raise(&g_ZeroDivisionError, "float division by zero");
      return make_float(x / y);
    case BinaryOp::FloorDiv:
      if (y == 0) return raise(&g_ZeroDivisionError, "float floor division by zero");
      return make_float(floordiv_py(x, y));
    case BinaryOp::Mod:
      if (y == 0) return raise(&g_ZeroDivisionError, "float modulo");
      return make_float(fmod_py(x, y));
    case BinaryOp::Pow: return float_pow(x, y);
    default: return not_implemented();
  }
}

Value float_neg(Value a) { return make_float(-F(a)); }
Value float_pos(Value a) { return make_float(F(a)); }

Value float_format(Value self, StrObject* spec) {
  if (spec->byte_length == 0) return float_repr(self);
  std::string out, err;
  numfmt::ErrorKind kind = numfmt::ErrorKind::Value;
  if (!numfmt::format_float(F(self), spec->view(), &out, &err, &kind))
    return raise_format_error(int(kind), err);
  return make_str(out);
}

Value float_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (no_kwargs("float", kwnames) < 0) return Value::null();
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "float expected at most 1 argument, got {}", nargs);
  if (nargs == 0) return make_float(0.0);
  Value x = args[0];
  if (is_float(x)) return newref(x);
  if (is_int(x)) return make_float(double(int_value_unchecked(x)));
  if (is_str(x)) return float_from_string(as_str(x)->view());
  return raise_fmt(&g_TypeError, "float() argument must be a string or a real number, not '{}'",
                   type_name(x));
}

Value m_is_integer(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise(&g_TypeError, "float.is_integer() takes no arguments");
  double d = F(self);
  return py_bool(std::isfinite(d) && d == std::floor(d));
}

const NativeMethodDef k_methods[] = {{"is_integer", m_is_integer}, {nullptr, nullptr}};

}  // namespace

bool init_float_type() {
  TypeObject* t = &g_float_type;
  if (!setup_type(t, "float", &g_object_type, sizeof(FloatObject), false, float_dealloc))
    return false;
  t->repr = t->str = float_repr;
  t->hash = float_hash;
  t->richcompare = float_richcompare;
  t->truthy = float_truthy;
  t->binary[int(BinaryOp::Add)] = float_binary<BinaryOp::Add>;
  t->binary[int(BinaryOp::Sub)] = float_binary<BinaryOp::Sub>;
  t->binary[int(BinaryOp::Mul)] = float_binary<BinaryOp::Mul>;
  t->binary[int(BinaryOp::TrueDiv)] = float_binary<BinaryOp::TrueDiv>;
  t->binary[int(BinaryOp::FloorDiv)] = float_binary<BinaryOp::FloorDiv>;
  t->binary[int(BinaryOp::Mod)] = float_binary<BinaryOp::Mod>;
  t->binary[int(BinaryOp::Pow)] = float_binary<BinaryOp::Pow>;
  t->unary[int(UnaryOp::Neg)] = float_neg;
  t->unary[int(UnaryOp::Pos)] = float_pos;
  t->format = float_format;
  t->new_ = float_new;
  return add_native_methods(t, k_methods) >= 0;
}

}  // namespace ftpy::interp
