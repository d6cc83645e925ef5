// module.cpp: the module type, import of built-in modules, and the modules sys, time, math
// and gc. sys.stdout/stderr write through the shared buffered streams (write_stdout), so
// their output interleaves with print's exactly as in CPython. time.sleep detaches the thread
// state for the duration (other threads and stop-the-world requests never wait for it).
#include "interp/module.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "gc/collect.h"
#include "gc/state.h"
#include "interp/class.h"
#include "interp/compiler.h"
#include "interp/code.h"
#include "interp/queue_module.h"
#include "interp/thread_module.h"
#include "interp/types_internal.h"
#include "interp/vm.h"
#include "runtime/local_refs.h"
#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

TypeObject g_module_type;

namespace {

TypeObject g_stream_type;

struct StreamObject {
  Object header;
  int fd;  // 1 stdout, 2 stderr
};

struct Factory {
  const char* name;
  ModuleFactory create;
};
std::vector<Factory> g_factories;

Value mod_dict(Value m) {
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
  if (Value v = dict_get_str(mod_dict(self), name->interned ? name : intern(name->view())))
    return newref(v);
  if (name->view() == "__dict__") return newref(mod_dict(self));
  if (name->view() == "__class__") return newref(Value::from(&g_module_type.header));
  return raise_fmt(&g_AttributeError, "module '{}' has no attribute '{}'", m->name->view(),
                   name->view());
}

int module_setattr(Value self, StrObject* name, Value value) {
  auto* m = reinterpret_cast<ModuleObject*>(self.obj());
  if (!value) {
    if (dict_delitem(mod_dict(self), Value::from(&name->header)) < 0) {
      clear_error();
      raise_fmt(&g_AttributeError, "module '{}' has no attribute '{}'", m->name->view(),
                name->view());
      return -1;
    }
    return 0;
  }
  return dict_setitem_str(mod_dict(self), name->interned ? name : intern(name->view()), value);
}

Value module_repr(Value self) {
  auto* m = reinterpret_cast<ModuleObject*>(self.obj());
  return make_str(fmt::format("<module '{}' (built-in)>", m->name->view()));
}

int set_value(Value module, const char* name, Value v) {
  if (!v) return -1;
  int r = dict_setitem_str(mod_dict(module), intern(name), v);
  decref(v);
  return r;
}

int add_functions(Value module, const NativeMethodDef* defs) {
  for (; defs->name; defs++)
    if (set_value(module, defs->name, make_builtin_function(defs->name, defs->fn, none())) < 0)
      return -1;
  return 0;
}

bool get_double(Value v, double* out, const char* fname) {
  std::int64_t i;
  if (v.is_object() && type_of(v) == &g_float_type) {
    *out = reinterpret_cast<FloatObject*>(v.obj())->value;
    return true;
  }
  if (as_int64(v, &i)) {
    *out = double(i);
    return true;
  }
  (void)fname;
  raise_fmt(&g_TypeError, "must be real number, not {}", type_name(v));
  return false;
}

int check_args(const char* fname, std::size_t nargs, TupleObject* kwnames, std::size_t lo,
               std::size_t hi) {
  if (kwnames && kwnames->size) {
    raise_fmt(&g_TypeError, "{}() takes no keyword arguments", fname);
    return -1;
  }
  if (nargs < lo || nargs > hi) {
    if (lo == hi)
      raise_fmt(&g_TypeError, "{}() takes exactly {} argument{} ({} given)", fname, lo,
                lo == 1 ? "" : "s", nargs);
    else
      raise_fmt(&g_TypeError, "{}() takes at most {} arguments ({} given)", fname, hi, nargs);
    return -1;
  }
  return 0;
}

#define NATIVE(fn) Value fn(Value, const Value* args, std::size_t nargs, TupleObject* kwnames)
#define ARGS(name, lo, hi) \
  if (check_args(name, nargs, kwnames, lo, hi) < 0) return Value::null()

// ---- sys ----------------------------------------------------------------------------------

Value g_argv_list;

NATIVE(sys_exit) {
  ARGS("exit", 0, 1);
  Value t = make_tuple_from(args, nargs);
  if (!t) return t;
  Value exc = make_exception(&g_SystemExit, t);
  decref(t);
  if (!exc) return exc;
  restore_error(exc);
  return Value::null();
}
NATIVE(sys_getrecursionlimit) {
  ARGS("getrecursionlimit", 0, 0);
  (void)args;
  return make_int(t_vm->interp->recursion_limit);
}
NATIVE(sys_setrecursionlimit) {
  ARGS("setrecursionlimit", 1, 1);
  std::int64_t n;
  if (!as_int64(args[0], &n))
    return raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer",
                     type_name(args[0]));
  if (n < 1) return raise(&g_ValueError, "recursion limit must be greater or equal than 1");
  if (n > 1000000000) n = 1000000000;
  t_vm->interp->recursion_limit = int(n);
  return none();
}
NATIVE(sys_is_gil_enabled) {
  ARGS("_is_gil_enabled", 0, 0);
  (void)args;
  return py_bool(false);
}
NATIVE(sys_intern) {
  ARGS("intern", 1, 1);
  if (!isinstance_of(args[0], &g_str_type))
    return raise_fmt(&g_TypeError, "intern() argument must be str, not {}", type_name(args[0]));
  return newref(Value::from(&intern(as_str(args[0])->view())->header));
}

Value stream_write(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  ARGS("write", 1, 1);
  if (!isinstance_of(args[0], &g_str_type))
    return raise_fmt(&g_TypeError, "write() argument must be str, not {}", type_name(args[0]));
  StrObject* s = as_str(args[0]);
  if (reinterpret_cast<StreamObject*>(self.obj())->fd == 1)
    write_stdout(s->view());
  else
    write_stderr(s->view());
  return make_int(s->length);
}
Value stream_flush(Value self, const Value*, std::size_t nargs, TupleObject* kwnames) {
  ARGS("flush", 0, 0);
  (void)self;
  flush_std_streams();
  return none();
}
Value stream_repr(Value self) {
  return make_str(reinterpret_cast<StreamObject*>(self.obj())->fd == 1
                      ? "<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>"
                      : "<_io.TextIOWrapper name='<stderr>' mode='w' encoding='utf-8'>");
}

Value make_stream(int fd) {
  Object* o = runtime::alloc_object(&g_stream_type.rt, sizeof(StreamObject));
  if (!o) return raise_no_memory();
  reinterpret_cast<StreamObject*>(o)->fd = fd;
  return Value::from(o);
}

Value create_sys() {
  Value m = make_module("sys");
  if (!m) return m;
  static const NativeMethodDef k_defs[] = {{"exit", sys_exit},
                                           {"getrecursionlimit", sys_getrecursionlimit},
                                           {"setrecursionlimit", sys_setrecursionlimit},
                                           {"_is_gil_enabled", sys_is_gil_enabled},
                                           {"intern", sys_intern},
                                           {nullptr, nullptr}};
  if (add_functions(m, k_defs) < 0 ||
      set_value(m, "maxsize", make_int(INT64_MAX)) < 0 ||
      set_value(m, "argv", g_argv_list ? newref(g_argv_list) : make_list(0)) < 0 ||
      set_value(m, "stdout", make_stream(1)) < 0 || set_value(m, "stderr", make_stream(2)) < 0 ||
      set_value(m, "__stdout__", make_stream(1)) < 0 ||
      set_value(m, "__stderr__", make_stream(2)) < 0 ||
      set_value(m, "platform", make_str("linux")) < 0 ||
      set_value(m, "version", make_str("3.11.0 (ftpy 0.1.0)")) < 0 ||
      set_value(m, "byteorder", make_str("little")) < 0 ||
      set_value(m, "modules", newref(t_vm->interp->modules)) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

// ---- time ---------------------------------------------------------------------------------

double seconds_since_epoch() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}
double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

NATIVE(time_time) {
  ARGS("time", 0, 0);
  (void)args;
  return make_float(seconds_since_epoch());
}
NATIVE(time_time_ns) {
  ARGS("time_ns", 0, 0);
  (void)args;
  using namespace std::chrono;
  return make_int(duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count());
}
NATIVE(time_perf_counter) {
  ARGS("perf_counter", 0, 0);
  (void)args;
  return make_float(monotonic_seconds());
}
NATIVE(time_monotonic) {
  ARGS("monotonic", 0, 0);
  (void)args;
  return make_float(monotonic_seconds());
}
NATIVE(time_perf_counter_ns) {
  ARGS("perf_counter_ns", 0, 0);
  (void)args;
  using namespace std::chrono;
  return make_int(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
}
NATIVE(time_sleep) {
  ARGS("sleep", 1, 1);
  double secs;
  if (!get_double(args[0], &secs, "sleep")) {
    clear_error();
    return raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer",
                     type_name(args[0]));
  }
  if (std::isnan(secs)) return raise(&g_ValueError, "Invalid value NaN (not a number)");
  if (secs < 0) return raise(&g_ValueError, "sleep length must be non-negative");
  {
    runtime::Detached detached{t_vm->ts};
    std::this_thread::sleep_for(std::chrono::duration<double>(secs));
  }
  return none();
}

Value create_time() {
  Value m = make_module("time");
  if (!m) return m;
  static const NativeMethodDef k_defs[] = {
      {"time", time_time},         {"time_ns", time_time_ns},
      {"perf_counter", time_perf_counter}, {"perf_counter_ns", time_perf_counter_ns},
      {"monotonic", time_monotonic}, {"sleep", time_sleep},
      {nullptr, nullptr}};
  if (add_functions(m, k_defs) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

// ---- math ---------------------------------------------------------------------------------

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
  if (!get_double(args[0], &x, name)) return Value::null();
  return float_to_int_checked(fn(x));
}
NATIVE(math_floor) { return math_round_fn(args, nargs, kwnames, "floor", std::floor); }
NATIVE(math_ceil) { return math_round_fn(args, nargs, kwnames, "ceil", std::ceil); }
NATIVE(math_trunc) { return math_round_fn(args, nargs, kwnames, "trunc", std::trunc); }

Value math_unary(const Value* args, std::size_t nargs, TupleObject* kwnames, const char* name,
                 double (*fn)(double), bool (*domain_ok)(double)) {
  if (check_args(name, nargs, kwnames, 1, 1) < 0) return Value::null();
  double x;
  if (!get_double(args[0], &x, name)) return Value::null();
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
  if (!get_double(args[0], &x, "log")) return Value::null();
  if (nargs == 2 && !get_double(args[1], &b, "log")) return Value::null();
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
  if (!get_double(args[0], &x, "pow") || !get_double(args[1], &y, "pow")) return Value::null();
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
  if (!get_double(args[0], &y, "atan2") || !get_double(args[1], &x, "atan2")) return Value::null();
  return make_float(std::atan2(y, x));
}
NATIVE(math_hypot) {
  if (kwnames && kwnames->size) return raise(&g_TypeError, "hypot() takes no keyword arguments");
  double acc = 0;
  for (std::size_t i = 0; i < nargs; i++) {
    double x;
    if (!get_double(args[i], &x, "hypot")) return Value::null();
    acc = std::hypot(acc, x);
  }
  return make_float(acc);
}
NATIVE(math_copysign) {
  if (check_args("copysign", nargs, kwnames, 2, 2) < 0) return Value::null();
  double x, y;
  if (!get_double(args[0], &x, "copysign") || !get_double(args[1], &y, "copysign"))
    return Value::null();
  return make_float(std::copysign(x, y));
}
Value math_pred(const Value* args, std::size_t nargs, TupleObject* kwnames, const char* name,
                bool (*fn)(double)) {
  if (check_args(name, nargs, kwnames, 1, 1) < 0) return Value::null();
  double x;
  if (!get_double(args[0], &x, name)) return Value::null();
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
bool int_arg(Value v, std::int64_t* out) {
  if (as_int64(v, out)) return true;
  raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(v));
  return false;
}
NATIVE(math_isqrt) {
  ARGS("isqrt", 1, 1);
  std::int64_t n;
  if (!int_arg(args[0], &n)) return Value::null();
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
    if (!int_arg(args[i], &v)) return Value::null();
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
  if (!int_arg(args[0], &n)) return Value::null();
  if (n < 0) return raise(&g_ValueError, "factorial() not defined for negative values");
  std::int64_t r = 1;
  for (std::int64_t i = 2; i <= n; i++)
    if (__builtin_mul_overflow(r, i, &r))
      return raise(&g_OverflowError, "factorial result does not fit ftpy's 64-bit int");
  return make_int(r);
}

Value create_math() {
  Value m = make_module("math");
  if (!m) return m;
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
  if (add_functions(m, k_defs) < 0 || set_value(m, "pi", make_float(M_PI)) < 0 ||
      set_value(m, "e", make_float(M_E)) < 0 || set_value(m, "tau", make_float(2 * M_PI)) < 0 ||
      set_value(m, "inf", make_float(HUGE_VAL)) < 0 ||
      set_value(m, "nan", make_float(std::nan(""))) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

// ---- os (getpid only; the processes issue adds fork and friends) ---------------------------

NATIVE(os_getpid) {
  ARGS("getpid", 0, 0);
  (void)args;
  return make_int(std::int64_t(::getpid()));
}

Value create_os() {
  Value m = make_module("os");
  if (!m) return m;
  static const NativeMethodDef k_defs[] = {{"getpid", os_getpid}, {nullptr, nullptr}};
  if (add_functions(m, k_defs) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

// ---- gc -------------------------------------------------------------------------------------

gc::GcState& gc_state() { return gc::state(t_vm->interp->rt); }

NATIVE(gc_collect) {
  std::size_t nkw = kwnames ? kwnames->size : 0;
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "collect() takes at most 1 argument ({} given)", nargs);
  if (nkw && as_str(kwnames->items[0])->view() != "generation")
    return raise_fmt(&g_TypeError, "'{}' is an invalid keyword argument for collect()",
                     as_str(kwnames->items[0])->view());
  if (nargs == 1) {
    std::int64_t generation;
    if (!int_arg(args[0], &generation)) return Value::null();
    if (generation < 0 || generation > 2) return raise(&g_ValueError, "invalid generation");
  }
  // Non-generational: every generation asks for a full collection.
  return make_int(gc::collect(gc::Reason::Manual));
}
NATIVE(gc_enable) {
  ARGS("enable", 0, 0);
  (void)args;
  gc::set_enabled(t_vm->interp->rt, true);
  return none();
}
NATIVE(gc_disable) {
  ARGS("disable", 0, 0);
  (void)args;
  gc::set_enabled(t_vm->interp->rt, false);
  return none();
}
NATIVE(gc_isenabled) {
  ARGS("isenabled", 0, 0);
  (void)args;
  return py_bool(gc_state().enabled.load(std::memory_order_relaxed));
}
NATIVE(gc_get_count) {
  ARGS("get_count", 0, 0);
  (void)args;
  std::int64_t n = gc::allocation_count(t_vm->interp->rt);
  Value items[3] = {make_int(n < 0 ? 0 : n), make_int(0), make_int(0)};
  return make_tuple_from(items, 3);
}
NATIVE(gc_get_threshold) {
  ARGS("get_threshold", 0, 0);
  (void)args;
  gc::GcState& gc = gc_state();
  Value items[3] = {make_int(gc.threshold.load(std::memory_order_relaxed)),
                    make_int(gc.threshold1.load(std::memory_order_relaxed)),
                    make_int(gc.threshold2.load(std::memory_order_relaxed))};
  return make_tuple_from(items, 3);
}
NATIVE(gc_set_threshold) {
  ARGS("set_threshold", 1, 3);
  gc::GcState& gc = gc_state();
  std::int64_t v[3] = {0, gc.threshold1.load(std::memory_order_relaxed),
                       gc.threshold2.load(std::memory_order_relaxed)};
  for (std::size_t i = 0; i < nargs; i++)
    if (!int_arg(args[i], &v[i])) return Value::null();
  gc::set_threshold(t_vm->interp->rt, v[0], v[1], v[2]);
  return none();
}

Value create_gc() {
  Value m = make_module("gc");
  if (!m) return m;
  static const NativeMethodDef k_defs[] = {
      {"collect", gc_collect},         {"enable", gc_enable},
      {"disable", gc_disable},         {"isenabled", gc_isenabled},
      {"get_count", gc_get_count},     {"get_threshold", gc_get_threshold},
      {"set_threshold", gc_set_threshold}, {nullptr, nullptr}};
  if (add_functions(m, k_defs) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

}  // namespace

Value make_module(std::string_view name) {
  Object* o = runtime::alloc_object(&g_module_type.rt, sizeof(ModuleObject));
  if (!o) return raise_no_memory();
  auto* m = reinterpret_cast<ModuleObject*>(o);
  Value dict = make_dict();
  if (!dict) {
    runtime::free_object(o);
    return dict;
  }
  runtime::set_shared_locked(dict.obj());  // LOAD_GLOBAL's caches hold borrowed values from it
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

void register_builtin_module(const char* name, ModuleFactory create) {
  g_factories.push_back({name, create});
}

Value import_module(StrObject* name) {
  Value modules = t_vm->interp->modules;
  if (Value m = dict_get_str(modules, name)) return newref(m);
  for (const Factory& f : g_factories) {
    if (name->view() != f.name) continue;
    Value m = f.create();
    if (!m) return m;
    if (dict_setitem_str(modules, name, m) < 0) {
      decref(m);
      return Value::null();
    }
    return m;
  }
  Value exc = make_exception_str(&g_ModuleNotFoundError,
                                 fmt::format("No module named '{}'", name->view()));
  if (!exc) return exc;
  if (DictObject** slot = instance_dict_slot(exc)) {
    (void)slot;
    setattr(exc, intern("name"), Value::from(&name->header));
    clear_error();
  }
  restore_error(exc);
  return Value::null();
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
  if (main && globals == mod_dict(main)) {
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
    if (is_type_object(v)) {
      auto* t = reinterpret_cast<TypeObject*>(v.obj());
      if (!(t->tp_flags & k_tp_heaptype) || !t->dict) continue;
      Value ns = Value::from(&t->dict->header);
      std::size_t p2 = 0;
      Value k2, v2;
      while (dict_next(ns, &p2, &k2, &v2)) share_with_items(v2, &budget);
    }
  }
}

Value run_frozen_module(Value m, const char* name, const char* source) {
  Value dict = mod_dict(m);
  auto src = std::make_shared<const Source>(fmt::format("<frozen {}>", name), source);
  SyntaxErrorInfo err;
  CodeObject* code = compile_source(src, &err);
  if (!code) {
    decref(m);
    if (!err.message.empty()) return raise_fmt(&g_RuntimeError, "{} source: {}", name, err.message);
    return Value::null();
  }
  Value r = run_code(code, dict, dict);
  decref(Value::from(&code->header));
  if (!r) {
    decref(m);
    return r;
  }
  decref(r);
  return m;
}

int set_sys_argv(const std::vector<std::string>& argv) {
  Value list = make_list(0);
  if (!list) return -1;
  for (const std::string& a : argv) {
    Value s = make_str(a);
    if (!s || list_append(list, s) < 0) {
      xdecref(s);
      decref(list);
      return -1;
    }
    decref(s);
  }
  xdecref(g_argv_list);
  g_argv_list = list;
  if (Value sys = dict_get_str(t_vm->interp->modules, intern("sys")))
    return dict_setitem_str(mod_dict(sys), intern("argv"), list);
  return 0;
}

bool init_module_types() {
  if (!init_static_type(&g_module_type, "module", sizeof(ModuleObject), true, module_dealloc))
    return false;
  g_module_type.rt.traverse = module_traverse;
  g_module_type.rt.clear = module_clear;
  g_module_type.getattr = module_getattr;
  g_module_type.setattr = module_setattr;
  g_module_type.repr = module_repr;
  if (!init_static_type(&g_stream_type, "TextIOWrapper", sizeof(StreamObject), false,
                        runtime::free_object))
    return false;
  g_stream_type.repr = stream_repr;
  static const NativeMethodDef k_stream_methods[] = {
      {"write", stream_write}, {"flush", stream_flush}, {nullptr, nullptr}};
  return add_native_methods(&g_stream_type, k_stream_methods) >= 0;
}

void register_core_modules() {
  register_builtin_module("sys", create_sys);
  register_builtin_module("time", create_time);
  register_builtin_module("math", create_math);
  register_builtin_module("gc", create_gc);
  register_builtin_module("os", create_os);
  register_builtin_module("threading", create_threading_module);
  register_builtin_module("queue", create_queue_module);
}

}  // namespace ftpy::interp
