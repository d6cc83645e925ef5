// int_type.cpp: int (immediate small ints and boxed IntObjects for the rest of int64), bool
// (True/False are header-only immortal objects; their value is their identity), None,
// NotImplemented and Ellipsis. Every int operation is overflow-checked: a result outside
// int64 raises OverflowError (LANGUAGE.md's documented difference). Mixed int/float
// operations return NotImplemented here and are done by float's slots.
#include <charconv>
#include <cmath>
#include <string>

#include "interp/text/numfmt.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_int_type, g_bool_type, g_none_type, g_not_implemented_type, g_ellipsis_type;
Object g_none, g_true_obj, g_false_obj, g_not_implemented, g_ellipsis;

namespace {
constexpr std::uint64_t k_hash_modulus = (std::uint64_t(1) << 61) - 1;

Value overflow() {
  return raise(&g_OverflowError, "integer overflow: the result does not fit in 64 bits");
}
}  // namespace

Value make_int(std::int64_t v) {
  if (Value::fits_small(v)) return Value::small(v);
  Object* o = runtime::alloc_object(&g_int_type.rt, sizeof(IntObject));
  if (!o) return raise_no_memory();
  reinterpret_cast<IntObject*>(o)->value = v;
  return Value::from(o);
}

bool as_int64(Value v, std::int64_t* out) {
  if (v.is_small_int()) {
    *out = v.small_value();
    return true;
  }
  if (!v.is_object() || !(type_of(v)->tp_flags & k_tp_int_subclass)) return false;
  *out = int_value_unchecked(v);
  return true;
}

bool index_value(Value v, std::int64_t* out, const char* what) {
  if (as_int64(v, out)) return true;
  (void)what;
  raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(v));
  return false;
}

std::int64_t hash_int64(std::int64_t v) {
  std::uint64_t a = v < 0 ? std::uint64_t(0) - std::uint64_t(v) : std::uint64_t(v);
  std::int64_t x = std::int64_t(a % k_hash_modulus);
  if (v < 0) x = -x;
  return x == -1 ? -2 : x;
}

Value int_from_string(std::string_view s, int base) {
  std::int64_t v = 0;
  std::string err;
  numfmt::ParseStatus st = numfmt::parse_int(s, base, &v, &err);
  if (st == numfmt::ParseStatus::Ok) return make_int(v);
  if (st == numfmt::ParseStatus::Overflow)
    return err.empty() ? overflow() : raise(&g_OverflowError, err);
  if (!err.empty()) return raise(&g_ValueError, err);
  Value r = make_str(s);
  if (!r) return r;
  Value rr = repr(r);
  decref(r);
  if (!rr) return rr;
  Value e = raise_fmt(&g_ValueError, "invalid literal for int() with base {}: {}", base,
                      as_str(rr)->view());
  decref(rr);
  return e;
}

namespace {

inline std::int64_t I(Value v) { return int_value_unchecked(v); }

Value int_repr(Value v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, I(v));
  return make_str(std::string_view(buf, std::size_t(r.ptr - buf)));
}

std::int64_t int_hash(Value v) { return hash_int64(I(v)); }

Value int_richcompare(Value a, Value b, CompareOp op) {
  if (!is_int(b)) return not_implemented();
  return py_bool(compare_op(op, I(a), I(b)));
}

int int_truthy(Value v) { return I(v) != 0; }

bool int_pow_checked(std::int64_t base, std::int64_t exp, std::int64_t* out) {
  std::int64_t result = 1;
  while (exp > 0) {
    if (exp & 1)
      if (__builtin_mul_overflow(result, base, &result)) return false;
    exp >>= 1;
    if (exp && __builtin_mul_overflow(base, base, &base)) {
      // base overflowed but may no longer be needed only if the remaining exp is 0.
      return false;
    }
  }
  *out = result;
  return true;
}

template <BinaryOp Op>
Value int_binary(Value a, Value b) {
  if (!is_int(a) || !is_int(b)) return not_implemented();
  std::int64_t x = I(a), y = I(b), r = 0;
  switch (Op) {
    case BinaryOp::Add:
      if (__builtin_add_overflow(x, y, &r)) return overflow();
      return make_int(r);
    case BinaryOp::Sub:
      if (__builtin_sub_overflow(x, y, &r)) return overflow();
      return make_int(r);
    case BinaryOp::Mul:
      if (__builtin_mul_overflow(x, y, &r)) return overflow();
      return make_int(r);
    case BinaryOp::TrueDiv:
      if (y == 0) return raise(&g_ZeroDivisionError, "division by zero");
      return make_float(double(x) / double(y));
    case BinaryOp::FloorDiv:
      if (y == 0) return raise(&g_ZeroDivisionError, "integer division or modulo by zero");
      if (x == INT64_MIN && y == -1) return overflow();
      return make_int(floor_div(x, y));
    case BinaryOp::Mod:
      if (y == 0) return raise(&g_ZeroDivisionError, "integer modulo by zero");
      if (y == -1) return make_int(0);
      return make_int(floor_mod(x, y));
    case BinaryOp::Pow:
      if (y < 0) {
        if (x == 0)
          return raise(&g_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return make_float(std::pow(double(x), double(y)));
      }
      if (x == 1) return make_int(1);
      if (x == -1) return make_int((y & 1) ? -1 : 1);
      if (x == 0) return make_int(y == 0 ? 1 : 0);
      if (!int_pow_checked(x, y, &r)) return overflow();
      return make_int(r);
    case BinaryOp::LShift:
      if (y < 0) return raise(&g_ValueError, "negative shift count");
      if (x == 0) return make_int(0);
      if (y >= 63) return overflow();
      r = std::int64_t(std::uint64_t(x) << y);
      if ((r >> y) != x) return overflow();
      return make_int(r);
    case BinaryOp::RShift:
      if (y < 0) return raise(&g_ValueError, "negative shift count");
      if (y >= 63) return make_int(x < 0 ? -1 : 0);
      return make_int(x >> y);
    case BinaryOp::And: return make_int(x & y);
    case BinaryOp::Or: return make_int(x | y);
    case BinaryOp::Xor: return make_int(x ^ y);
    default: return not_implemented();
  }
}

Value int_neg(Value a) {
  std::int64_t x = I(a);
  if (x == INT64_MIN) return overflow();
  return make_int(-x);
}
Value int_pos(Value a) { return make_int(I(a)); }
Value int_invert(Value a) { return make_int(~I(a)); }

Value int_format(Value self, StrObject* spec) {
  if (spec->byte_length == 0) return str(self);
  std::string out, err;
  numfmt::ErrorKind kind = numfmt::ErrorKind::Value;
  if (!numfmt::format_int(I(self), spec->view(), &out, &err, &kind,
                          is_exact(self, &g_bool_type) ? "bool" : "int"))
    return raise_format_error(int(kind), err);
  return make_str(out);
}

Value int_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  static const char* const names[] = {"x", "base"};
  Value a[2];
  if (parse_args("int", args, nargs, kwnames, names, 2, 2, 0, a) < 0) return Value::null();
  Value x = a[0];
  if (!x) {
    if (a[1]) return raise(&g_TypeError, "int() missing string argument");
    return make_int(0);
  }
  if (a[1]) {
    std::int64_t base;
    if (!index_value(a[1], &base, "base")) return Value::null();
    if (!is_str(x))
      return raise(&g_TypeError, "int() can't convert non-string with explicit base");
    if (base != 0 && (base < 2 || base > 36))
      return raise(&g_ValueError, "int() base must be >= 2 and <= 36, or 0");
    return int_from_string(as_str(x)->view(), int(base));
  }
  if (is_int(x)) return make_int(I(x));
  if (is_float(x)) {
    double d = float_value(x);
    if (std::isinf(d)) return raise(&g_OverflowError, "cannot convert float infinity to integer");
    if (std::isnan(d)) return raise(&g_ValueError, "cannot convert float NaN to integer");
    double t = std::trunc(d);
    if (t >= 9223372036854775808.0 || t < -9223372036854775808.0) return overflow();
    return make_int(std::int64_t(t));
  }
  if (is_str(x)) return int_from_string(as_str(x)->view(), 10);
  return raise_fmt(&g_TypeError,
                   "int() argument must be a string, a bytes-like object or a real number, not "
                   "'{}'",
                   type_name(x));
}

// --- bool ---------------------------------------------------------------------------------------
Value bool_repr(Value v) {
  static StrObject* const t = intern("True");
  static StrObject* const f = intern("False");
  return Value::from(&(v.obj() == &g_true_obj ? t : f)->header);
}

template <BinaryOp Op>
Value bool_bitwise(Value a, Value b) {
  if (is_exact(a, &g_bool_type) && is_exact(b, &g_bool_type)) {
    bool x = a.obj() == &g_true_obj, y = b.obj() == &g_true_obj;
    return py_bool(Op == BinaryOp::And ? (x && y) : Op == BinaryOp::Or ? (x || y) : (x != y));
  }
  return int_binary<Op>(a, b);
}

Value bool_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (no_kwargs("bool", kwnames) < 0) return Value::null();
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "bool expected at most 1 argument, got {}", nargs);
  if (nargs == 0) return py_bool(false);
  int t = truthy(args[0]);
  if (t < 0) return Value::null();
  return py_bool(t);
}

Value bool_format(Value self, StrObject* spec) {
  if (spec->byte_length == 0) return bool_repr(self);
  return int_format(self, spec);
}

// --- None, NotImplemented, Ellipsis -----------------------------------------------------------
Value none_repr(Value) {
  static StrObject* const s = intern("None");
  return Value::from(&s->header);
}
int none_truthy(Value) { return 0; }
std::int64_t none_hash(Value) { return 0xFCA86420 >> 4; }
Value not_impl_repr(Value) { return make_str("NotImplemented"); }
Value ellipsis_repr(Value) { return make_str("Ellipsis"); }
Value none_new(TypeObject*, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise(&g_TypeError, "NoneType takes no arguments");
  return none();
}

void init_singleton(Object* o, TypeObject* t) {
  o->ob_type = &t->rt;
  runtime::make_immortal(o);
}

}  // namespace

bool init_int_types() {
  TypeObject* t = &g_int_type;
  if (!setup_type(t, "int", &g_object_type, sizeof(IntObject), false, runtime::free_object))
    return false;
  t->tp_flags |= k_tp_int_subclass;
  t->repr = int_repr;
  t->str = int_repr;
  t->hash = int_hash;
  t->richcompare = int_richcompare;
  t->truthy = int_truthy;
  t->binary[int(BinaryOp::Add)] = int_binary<BinaryOp::Add>;
  t->binary[int(BinaryOp::Sub)] = int_binary<BinaryOp::Sub>;
  t->binary[int(BinaryOp::Mul)] = int_binary<BinaryOp::Mul>;
  t->binary[int(BinaryOp::TrueDiv)] = int_binary<BinaryOp::TrueDiv>;
  t->binary[int(BinaryOp::FloorDiv)] = int_binary<BinaryOp::FloorDiv>;
  t->binary[int(BinaryOp::Mod)] = int_binary<BinaryOp::Mod>;
  t->binary[int(BinaryOp::Pow)] = int_binary<BinaryOp::Pow>;
  t->binary[int(BinaryOp::LShift)] = int_binary<BinaryOp::LShift>;
  t->binary[int(BinaryOp::RShift)] = int_binary<BinaryOp::RShift>;
  t->binary[int(BinaryOp::And)] = int_binary<BinaryOp::And>;
  t->binary[int(BinaryOp::Or)] = int_binary<BinaryOp::Or>;
  t->binary[int(BinaryOp::Xor)] = int_binary<BinaryOp::Xor>;
  t->unary[int(UnaryOp::Neg)] = int_neg;
  t->unary[int(UnaryOp::Pos)] = int_pos;
  t->unary[int(UnaryOp::Invert)] = int_invert;
  t->format = int_format;
  t->new_ = int_new;

  TypeObject* b = &g_bool_type;
  if (!setup_type(b, "bool", &g_int_type, sizeof(Object), false, nullptr)) return false;
  // bool inherits every int slot, then overrides repr, the bitwise ops and construction.
  b->repr = int_repr;
  for (int i = 0; i < int(BinaryOp::Count); i++) b->binary[i] = t->binary[i];
  for (int i = 0; i < 4; i++) b->unary[i] = t->unary[i];
  b->str = b->repr = bool_repr;
  b->hash = int_hash;
  b->richcompare = int_richcompare;
  b->truthy = int_truthy;
  b->tp_flags |= k_tp_int_subclass;
  b->binary[int(BinaryOp::And)] = bool_bitwise<BinaryOp::And>;
  b->binary[int(BinaryOp::Or)] = bool_bitwise<BinaryOp::Or>;
  b->binary[int(BinaryOp::Xor)] = bool_bitwise<BinaryOp::Xor>;
  b->format = bool_format;
  b->new_ = bool_new;

  if (!setup_type(&g_none_type, "NoneType", &g_object_type, sizeof(Object), false, nullptr))
    return false;
  g_none_type.repr = g_none_type.str = none_repr;
  g_none_type.truthy = none_truthy;
  g_none_type.hash = none_hash;
  g_none_type.new_ = none_new;
  if (!setup_type(&g_not_implemented_type, "NotImplementedType", &g_object_type, sizeof(Object),
                  false, nullptr))
    return false;
  g_not_implemented_type.repr = g_not_implemented_type.str = not_impl_repr;
  g_not_implemented_type.hash = identity_hash;
  if (!setup_type(&g_ellipsis_type, "ellipsis", &g_object_type, sizeof(Object), false, nullptr))
    return false;
  g_ellipsis_type.repr = g_ellipsis_type.str = ellipsis_repr;
  g_ellipsis_type.hash = identity_hash;
  return true;
}

void init_singletons_early() {
  init_singleton(&g_true_obj, &g_bool_type);
  init_singleton(&g_false_obj, &g_bool_type);
  init_singleton(&g_none, &g_none_type);
  init_singleton(&g_not_implemented, &g_not_implemented_type);
  init_singleton(&g_ellipsis, &g_ellipsis_type);
}

}  // namespace ftpy::interp
