// math.cpp: the math module, with CPython's domain and overflow errors.
#include "interp/modules/modules.h"

#include <cmath>

#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {

Value float_to_int_checked(double v) {
  if (std::isinf(v)) return raise(&g_OverflowError, "cannot convert float infinity to integer");
  if (std::isnan(v)) return raise(&g_ValueError, "cannot convert float NaN to integer");
  if (v >= 9223372036854775808.0 || v < -9223372036854775808.0)
    return raise(&g_OverflowError, "int too large to convert to ftpy's 64-bit int");
  return make_int(std::int64_t(v));
}

Value math_round_fn(const Value* args, std::size_t nargs, TupleObject* kwnames, const char* name,
                    double (*fn)(double)) {
  if (check_args(name, nargs, kwnames, 1, 1) < 0) return Value::null();
  std::int64_t i;
  if (!(args[0].is_object() && type_of(args[0]) == &g_float_type) && as_int64(args[0], &i))
    return make_int(i);
  double x;
  if (!arg_as_double(args[0], &x)) return Value::null();
  return float_to_int_checked(fn(x));
}
NATIVE(math_floor) { return math_round_fn(args, nargs, kwnames, "floor", std::floor); }
NATIVE(math_ceil) { return math_round_fn(args, nargs, kwnames, "ceil", std::ceil); }
NATIVE(math_trunc) { return math_round_fn(args, nargs, kwnames, "trunc", std::trunc); }

Value math_unary(const Value* args, std::size_t nargs, TupleObject* kwnames, const char* name,
                 double (*fn)(double), bool (*domain_ok)(double)) {
  if (check_args(name, nargs, kwnames, 1, 1) < 0) return Value::null();
  double x;
  if (!arg_as_double(args[0], &x)) return Value::null();
  if (domain_ok && !domain_ok(x)) return raise(&g_ValueError, "math domain error");
  double r = fn(x);
  if (std::isinf(r) && std::isfinite(x)) return raise(&g_OverflowError, "math range error");
  return make_float(r);
}
bool nonneg(double x) { return x >= 0 || std::isnan(x); }
bool positive(double x) { return x > 0 || std::isnan(x); }
bool unit(double x) { return (x >= -1 && x <= 1) || std::isnan(x); }
NATIVE(math_sqrt) { return math_unary(args, nargs, kwnames, "sqrt", std::sqrt, nonneg); }
NATIVE(math_fabs) { return math_unary(args, nargs, kwnames, "fabs", std::fabs, nullptr); }
NATIVE(math_exp) { return math_unary(args, nargs, kwnames, "exp", std::exp, nullptr); }
NATIVE(math_sin) { return math_unary(args, nargs, kwnames, "sin", std::sin, nullptr); }
NATIVE(math_cos) { return math_unary(args, nargs, kwnames, "cos", std::cos, nullptr); }
NATIVE(math_tan) { return math_unary(args, nargs, kwnames, "tan", std::tan, nullptr); }
NATIVE(math_atan) { return math_unary(args, nargs, kwnames, "atan", std::atan, nullptr); }
NATIVE(math_asin) { return math_unary(args, nargs, kwnames, "asin", std::asin, unit); }
NATIVE(math_acos) { return math_unary(args, nargs, kwnames, "acos", std::acos, unit); }
NATIVE(math_log2) { return math_unary(args, nargs, kwnames, "log2", std::log2, positive); }
NATIVE(math_log10) { return math_unary(args, nargs, kwnames, "log10", std::log10, positive); }
NATIVE(math_log) {
  if (check_args("log", nargs, kwnames, 1, 2) < 0) return Value::null();
  double x, b = 0;
  if (!arg_as_double(args[0], &x)) return Value::null();
  if (nargs == 2 && !arg_as_double(args[1], &b)) return Value::null();
  if (!positive(x) || (nargs == 2 && !positive(b))) return raise(&g_ValueError, "math domain error");
  double r = std::log(x);
  if (nargs == 2) {
    double lb = std::log(b);
    if (lb == 0) return raise(&g_ZeroDivisionError, "float division by zero");
    r /= lb;
  }
  return make_float(r);
}
NATIVE(math_pow) {
  if (check_args("pow", nargs, kwnames, 2, 2) < 0) return Value::null();
  double x, y;
  if (!arg_as_double(args[0], &x) || !arg_as_double(args[1], &y)) return Value::null();
  if (x == 0 && y < 0) return raise(&g_ValueError, "math domain error");
  double r = std::pow(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y))
    return raise(&g_ValueError, "math domain error");
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
    return raise(&g_OverflowError, "math range error");
  return make_float(r);
}
NATIVE(math_atan2) {
  if (check_args("atan2", nargs, kwnames, 2, 2) < 0) return Value::null();
  double y, x;
  if (!arg_as_double(args[0], &y) || !arg_as_double(args[1], &x)) return Value::null();
  return make_float(std::atan2(y, x));
}
NATIVE(math_hypot) {
  if (kwnames && kwnames->size) return raise(&g_TypeError, "hypot() takes no keyword arguments");
  double acc = 0;
  for (std::size_t i = 0; i < nargs; i++) {
    double x;
    if (!arg_as_double(args[i], &x)) return Value::null();
    acc = std::hypot(acc, x);
  }
  return make_float(acc);
}
NATIVE(math_copysign) {
  if (check_args("copysign", nargs, kwnames, 2, 2) < 0) return Value::null();
  double x, y;
  if (!arg_as_double(args[0], &x) || !arg_as_double(args[1], &y))
    return Value::null();
  return make_float(std::copysign(x, y));
}
Value math_pred(const Value* args, std::size_t nargs, TupleObject* kwnames, const char* name,
                bool (*fn)(double)) {
  if (check_args(name, nargs, kwnames, 1, 1) < 0) return Value::null();
  double x;
  if (!arg_as_double(args[0], &x)) return Value::null();
  return py_bool(fn(x));
}
NATIVE(math_isnan) {
  return math_pred(args, nargs, kwnames, "isnan", [](double x) { return std::isnan(x); });
}
NATIVE(math_isinf) {
  return math_pred(args, nargs, kwnames, "isinf", [](double x) { return std::isinf(x); });
}
NATIVE(math_isfinite) {
  return math_pred(args, nargs, kwnames, "isfinite", [](double x) { return std::isfinite(x); });
}
NATIVE(math_isqrt) {
  ARGS("isqrt", 1, 1);
  std::int64_t n;
  if (!arg_as_int64(args[0], &n)) return Value::null();
  if (n < 0) return raise(&g_ValueError, "isqrt() argument must be nonnegative");
  std::uint64_t r = std::uint64_t(std::sqrt(double(n)));
  while (r * r > std::uint64_t(n)) r--;
  while ((r + 1) * (r + 1) <= std::uint64_t(n)) r++;
  return make_int(std::int64_t(r));
}
NATIVE(math_gcd) {
  if (kwnames && kwnames->size) return raise(&g_TypeError, "gcd() takes no keyword arguments");
  std::uint64_t g = 0;
  for (std::size_t i = 0; i < nargs; i++) {
    std::int64_t v;
    if (!arg_as_int64(args[i], &v)) return Value::null();
    std::uint64_t a = v < 0 ? 0 - std::uint64_t(v) : std::uint64_t(v);
    while (a) {
      std::uint64_t t = g % a;
      g = a;
      a = t;
    }
  }
  if (g > std::uint64_t(INT64_MAX)) return raise(&g_OverflowError, "gcd result out of range");
  return make_int(std::int64_t(g));
}
NATIVE(math_factorial) {
  ARGS("factorial", 1, 1);
  std::int64_t n;
  if (!arg_as_int64(args[0], &n)) return Value::null();
  if (n < 0) return raise(&g_ValueError, "factorial() not defined for negative values");
  std::int64_t r = 1;
  for (std::int64_t i = 2; i <= n; i++)
    if (__builtin_mul_overflow(r, i, &r))
      return raise(&g_OverflowError, "factorial result does not fit ftpy's 64-bit int");
  return make_int(r);
}

}  // namespace

Value create_math() {
  static const NativeMethodDef k_defs[] = {
      {"sqrt", math_sqrt},   {"floor", math_floor}, {"ceil", math_ceil},
      {"trunc", math_trunc}, {"isqrt", math_isqrt}, {"gcd", math_gcd},
      {"fabs", math_fabs},   {"isnan", math_isnan}, {"isinf", math_isinf},
      {"isfinite", math_isfinite}, {"exp", math_exp}, {"log", math_log},
      {"log2", math_log2},   {"log10", math_log10}, {"sin", math_sin},
      {"cos", math_cos},     {"tan", math_tan},     {"atan", math_atan},
      {"asin", math_asin},   {"acos", math_acos},   {"atan2", math_atan2},
      {"hypot", math_hypot}, {"pow", math_pow},     {"copysign", math_copysign},
      {"factorial", math_factorial}, {nullptr, nullptr}};
  Value m = make_native_module("math", k_defs);
  if (!m) return m;
  if (module_set(m, "pi", make_float(M_PI)) < 0 ||
      module_set(m, "e", make_float(M_E)) < 0 || module_set(m, "tau", make_float(2 * M_PI)) < 0 ||
      module_set(m, "inf", make_float(HUGE_VAL)) < 0 ||
      module_set(m, "nan", make_float(std::nan(""))) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}


}  // namespace ftpy::interp
