// builtins.cpp: the built-in functions (print, len, min, sorted, ...) and the names of the
// built-in types and exceptions in the builtins namespace. init_builtins_module fills the
// interpreter's builtins dict once at start-up; the functions themselves are stateless and
// run on whichever thread calls them. `type`, `object` and `super` come from the VM side.
#include <charconv>
#include <cmath>
#include <string>

#include "interp/text/numfmt.h"
#include "interp/text/text.h"
#include "interp/objects/types_internal.h"
#include "interp/modules/modules.h"
#include "runtime/local_refs.h"

namespace ftpy::interp {

namespace {

using Args = const Value*;

// --- print ----------------------------------------------------------------------------------
int append_str_of(std::string& out, Value v) {
  if (is_exact(v, &g_str_type)) {
    out += as_str(v)->view();
    return 0;
  }
  if (v.is_small_int()) {  // the common case, without a temporary str object
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v.small_value());
    out.append(buf, std::size_t(r.ptr - buf));
    return 0;
  }
  Value s = str(v);
  if (!s) return -1;
  out += as_str(s)->view();
  decref(s);
  return 0;
}

Value b_print(Value, Args args, std::size_t nargs, TupleObject* kw) {
  std::size_t nkw = kw ? kw->size : 0;
  std::size_t npos = nargs - nkw;
  Value sep = Value::null(), end = Value::null(), file = Value::null(), flush = Value::null();
  for (std::size_t i = 0; i < nkw; i++) {
    StrObject* k = as_str(kw->items[i]);
    std::string_view n = k->view();
    Value v = args[npos + i];
    if (n == "sep") sep = v;
    else if (n == "end") end = v;
    else if (n == "file") file = v;
    else if (n == "flush") flush = v;
    else return raise_fmt(&g_TypeError, "'{}' is an invalid keyword argument for print()", n);
  }
  if (sep && sep != none() && !is_str(sep))
    return raise_fmt(&g_TypeError, "sep must be None or a string, not {}", type_name(sep));
  if (end && end != none() && !is_str(end))
    return raise_fmt(&g_TypeError, "end must be None or a string, not {}", type_name(end));
  std::string_view sepv = sep && sep != none() ? as_str(sep)->view() : " ";
  std::string_view endv = end && end != none() ? as_str(end)->view() : "\n";
  std::string out;
  for (std::size_t i = 0; i < npos; i++) {
    if (i) out += sepv;
    if (append_str_of(out, args[i]) < 0) return Value::null();
  }
  out += endv;
  int fl = 0;
  if (flush && (fl = truthy(flush)) < 0) return Value::null();
  if (file && file != none()) {
    Value w = getattr(file, g_names.write);
    if (!w) return w;
    Value s = make_str(out);
    if (!s) {
      decref(w);
      return s;
    }
    Value r = call1(w, s);
    decref(s);
    decref(w);
    if (!r) return r;
    decref(r);
    if (fl) flush_std_streams();
    return none();
  }
  write_stdout(out);
  if (fl) flush_std_streams();
  return none();
}

int exactly(const char* fname, std::size_t nargs, TupleObject* kw, std::size_t n) {
  if (no_kwargs(fname, kw) < 0) return -1;
  if (nargs != n) {
    if (n == 1)
      raise_fmt(&g_TypeError, "{}() takes exactly one argument ({} given)", fname, nargs);
    else
      raise_fmt(&g_TypeError, "{} expected {} arguments, got {}", fname, n, nargs);
    return -1;
  }
  return 0;
}

Value b_len(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("len", nargs, kw, 1) < 0) return Value::null();
  std::int64_t n = length(args[0]);
  if (n < 0) return Value::null();
  return make_int(n);
}

Value b_repr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("repr", nargs, kw, 1) < 0) return Value::null();
  return repr(args[0]);
}

Value b_abs(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("abs", nargs, kw, 1) < 0) return Value::null();
  Value v = args[0];
  if (is_int(v)) {
    std::int64_t x = int_value_unchecked(v);
    if (x == INT64_MIN)
      return raise(&g_OverflowError, "integer overflow: the result does not fit in 64 bits");
    return make_int(x < 0 ? -x : x);
  }
  if (is_float(v)) return make_float(std::fabs(float_value(v)));
  return raise_fmt(&g_TypeError, "bad operand type for abs(): '{}'", type_name(v));
}

// min (Lt) and max (Gt).
Value minmax(Args args, std::size_t nargs, TupleObject* kw, bool is_max) {
  const char* fname = is_max ? "max" : "min";
  std::size_t nkw = kw ? kw->size : 0;
  std::size_t npos = nargs - nkw;
  Value key = Value::null(), dflt = Value::null();
  for (std::size_t i = 0; i < nkw; i++) {
    std::string_view n = as_str(kw->items[i])->view();
    if (n == "key") key = args[npos + i];
    else if (n == "default") dflt = args[npos + i];
    else return raise_fmt(&g_TypeError, "{}() got an unexpected keyword argument '{}'", fname, n);
  }
  if (key == none()) key = Value::null();
  if (npos == 0)
    return raise_fmt(&g_TypeError, "{} expected at least 1 argument, got 0", fname);
  if (npos > 1 && dflt)
    return raise_fmt(&g_TypeError,
                     "Cannot specify a default for {}() with multiple positional arguments",
                     fname);
  Value seq = Value::null();
  if (npos == 1) {
    seq = list_from_iterable(args[0]);
    if (!seq) return seq;
  } else {
    seq = make_list(0);
    if (!seq) return seq;
    for (std::size_t i = 0; i < npos; i++) list_append(seq, args[i]);
  }
  std::size_t n = list_size(seq);
  if (n == 0) {
    decref(seq);
    if (dflt) return newref(dflt);
    return raise_fmt(&g_ValueError, "{}() arg is an empty sequence", fname);
  }
  Value best = Value::null(), best_key = Value::null();
  CompareOp op = is_max ? CompareOp::Gt : CompareOp::Lt;
  for (std::size_t i = 0; i < n; i++) {
    Value item = list_data(seq)[i];
    Value k = key ? call1(key, item) : newref(item);
    if (!k) goto fail;
    if (!best) {
      best = item;
      best_key = k;
      continue;
    }
    {
      int c = richcompare_bool(k, best_key, op);
      if (c < 0) {
        decref(k);
        goto fail;
      }
      if (c) {
        decref(best_key);
        best = item;
        best_key = k;
      } else {
        decref(k);
      }
    }
  }
  {
    Value r = newref(best);
    decref(best_key);
    decref(seq);
    return r;
  }
fail:
  xdecref(best_key);
  decref(seq);
  return Value::null();
}

Value b_min(Value, Args args, std::size_t nargs, TupleObject* kw) {
  return minmax(args, nargs, kw, false);
}
Value b_max(Value, Args args, std::size_t nargs, TupleObject* kw) {
  return minmax(args, nargs, kw, true);
}

Value b_sum(Value, Args args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"iterable", "start"};
  Value a[2];
  if (parse_args("sum", args, nargs, kw, names, 2, 2, 1, a) < 0) return Value::null();
  Value acc = a[1] ? newref(a[1]) : Value::small(0);
  if (is_str(acc)) {
    decref(acc);
    return raise(&g_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  }
  Value it = get_iter(a[0]);
  if (!it) {
    decref(acc);
    return it;
  }
  for (;;) {
    Value v = iter_next(it);
    if (!v) break;
    Value r;
    if (acc.is_small_int() && v.is_small_int()) {
      r = make_int(acc.small_value() + v.small_value());
    } else if (is_float(acc) && is_float(v)) {
      r = make_float(float_value(acc) + float_value(v));
    } else {
      r = binary_op(acc, v, BinaryOp::Add);
    }
    decref(v);
    decref(acc);
    if (!r) {
      decref(it);
      return r;
    }
    acc = r;
  }
  decref(it);
  if (error_occurred()) {
    decref(acc);
    return Value::null();
  }
  return acc;
}

Value b_sorted(Value, Args args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"iterable", "key", "reverse"};
  Value a[3];
  if (parse_args("sorted", args, nargs, kw, names, 3, 1, 1, a) < 0) return Value::null();
  int rev = 0;
  if (a[2] && (rev = truthy(a[2])) < 0) return Value::null();
  Value l = make_list(0);
  if (!l) return l;
  if (list_extend(l, a[0]) < 0) {
    decref(l);
    return Value::null();
  }
  Value r = list_sort(l, a[1], rev);
  if (!r) {
    decref(l);
    return r;
  }
  decref(r);
  return l;
}

template <bool All>
Value b_anyall(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly(All ? "all" : "any", nargs, kw, 1) < 0) return Value::null();
  Value it = get_iter(args[0]);
  if (!it) return it;
  for (;;) {
    Value v = iter_next(it);
    if (!v) break;
    int t = truthy(v);
    decref(v);
    if (t < 0) {
      decref(it);
      return Value::null();
    }
    if (All ? !t : t) {
      decref(it);
      return py_bool(!All);
    }
  }
  decref(it);
  if (error_occurred()) return Value::null();
  return py_bool(All);
}

// 1/0 whether `t` (a type) matches classinfo (a type or nested tuple of them); -1 error.
int class_matches(TypeObject* t, Value classinfo, const char* fname) {
  if (is_type(classinfo))
    return is_subtype(t, as_type(classinfo));
  if (is_tuple(classinfo)) {
    TupleObject* tup = as_tuple(classinfo);
    for (std::size_t i = 0; i < tup->size; i++) {
      int r = class_matches(t, tup->items[i], fname);
      if (r != 0) return r;
    }
    return 0;
  }
  raise_fmt(&g_TypeError, "{}() arg 2 must be a type, a tuple of types, or a union", fname);
  return -1;
}

Value b_isinstance(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("isinstance", nargs, kw, 2) < 0) return Value::null();
  int r = class_matches(type_of(args[0]), args[1], "isinstance");
  if (r < 0) return Value::null();
  return py_bool(r);
}

Value b_issubclass(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("issubclass", nargs, kw, 2) < 0) return Value::null();
  if (!is_type(args[0])) return raise(&g_TypeError, "issubclass() arg 1 must be a class");
  int r = class_matches(as_type(args[0]), args[1], "issubclass");
  if (r < 0) return Value::null();
  return py_bool(r);
}

StrObject* attr_name(Value v) {
  if (!is_str(v)) {
    raise_fmt(&g_TypeError, "attribute name must be string, not '{}'", type_name(v));
    return nullptr;
  }
  StrObject* s = as_str(v);
  if (s->interned) return s;
  StrObject* r = intern(s->view());
  if (!r) raise_no_memory();
  return r;
}

Value b_getattr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("getattr", kw) < 0) return Value::null();
  if (nargs < 2 || nargs > 3)
    return raise_fmt(&g_TypeError, "getattr expected {} arguments, got {}",
                     nargs < 2 ? "at least 2" : "at most 3", nargs);
  StrObject* name = attr_name(args[1]);
  if (!name) return Value::null();
  Value r = getattr(args[0], name);
  if (!r && nargs == 3 && error_matches(&g_AttributeError)) {
    clear_error();
    return newref(args[2]);
  }
  return r;
}

Value b_hasattr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("hasattr", nargs, kw, 2) < 0) return Value::null();
  StrObject* name = attr_name(args[1]);
  if (!name) return Value::null();
  Value r = getattr(args[0], name);
  if (r) {
    decref(r);
    return py_bool(true);
  }
  if (error_matches(&g_AttributeError)) {
    clear_error();
    return py_bool(false);
  }
  return r;
}

Value b_setattr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("setattr", nargs, kw, 3) < 0) return Value::null();
  StrObject* name = attr_name(args[1]);
  if (!name || setattr(args[0], name, args[2]) < 0) return Value::null();
  return none();
}

Value b_delattr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("delattr", nargs, kw, 2) < 0) return Value::null();
  StrObject* name = attr_name(args[1]);
  if (!name || delattr(args[0], name) < 0) return Value::null();
  return none();
}

Value b_id(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("id", nargs, kw, 1) < 0) return Value::null();
  return make_int(std::int64_t(args[0].bits >> (args[0].is_small_int() ? 0 : 0)));
}

Value b_hash(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("hash", nargs, kw, 1) < 0) return Value::null();
  std::int64_t h = hash(args[0]);
  if (h == -1) return Value::null();
  return make_int(h);
}

Value b_iter(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("iter", nargs, kw, 1) < 0) return Value::null();
  return get_iter(args[0]);
}

Value b_next(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("next", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 2)
    return raise_fmt(&g_TypeError, "next expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  TypeObject* t = type_of(args[0]);
  if (!t->iternext)
    return raise_fmt(&g_TypeError, "'{}' object is not an iterator", t->name->view());
  Value r = t->iternext(args[0]);
  if (r) return r;
  if (error_occurred()) {
    if (nargs == 2 && error_matches(&g_StopIteration)) {
      clear_error();
      return newref(args[1]);
    }
    return r;
  }
  if (nargs == 2) return newref(args[1]);
  Value e = make_tuple(0);
  if (!e) return e;
  Value exc = make_exception(&g_StopIteration, e);
  decref(e);
  if (exc) restore_error(exc);
  return Value::null();
}

Value b_ord(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("ord", nargs, kw, 1) < 0) return Value::null();
  if (!is_str(args[0]))
    return raise_fmt(&g_TypeError, "ord() expected string of length 1, but {} found",
                     type_name(args[0]));
  StrObject* s = as_str(args[0]);
  if (s->length != 1)
    return raise_fmt(&g_TypeError, "ord() expected a character, but string of length {} found",
                     s->length);
  return make_int(std::int64_t(text::decode_at(s->view(), 0, nullptr)));
}

Value b_chr(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("chr", nargs, kw, 1) < 0) return Value::null();
  std::int64_t c;
  if (!index_value(args[0], &c, "chr")) return Value::null();
  if (c < 0 || c > 0x10FFFF) return raise(&g_ValueError, "chr() arg not in range(0x110000)");
  if (c >= 0xD800 && c <= 0xDFFF)
    return raise(&g_ValueError, "chr() of a surrogate is not supported (strings are UTF-8)");
  std::string out;
  text::append_utf8(out, char32_t(c));
  return make_str(out);
}

// Rounds an int to 10**-ndigits (ndigits < 0), half to even.
Value round_int(std::int64_t v, std::int64_t ndigits) {
  if (ndigits >= 0) return make_int(v);
  if (ndigits < -18) return make_int(0);
  std::int64_t p = 1;
  for (std::int64_t i = 0; i < -ndigits; i++) p *= 10;
  std::int64_t q = v / p, r = v % p;
  if (r < 0) {
    r += p;
    q -= 1;
  }
  std::int64_t twice = r * 2;
  if (twice > p || (twice == p && (q & 1))) q += 1;
  std::int64_t out;
  if (__builtin_mul_overflow(q, p, &out))
    return raise(&g_OverflowError, "integer overflow: the result does not fit in 64 bits");
  return make_int(out);
}

Value b_round(Value, Args args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"number", "ndigits"};
  Value a[2];
  if (parse_args("round", args, nargs, kw, names, 2, 2, 1, a) < 0) return Value::null();
  Value x = a[0];
  bool has_nd = a[1] && a[1] != none();
  std::int64_t nd = 0;
  if (has_nd && !index_value(a[1], &nd, "ndigits")) return Value::null();
  if (is_int(x)) return round_int(int_value_unchecked(x), has_nd ? nd : 0);
  if (is_float(x)) {
    double d = float_value(x);
    if (!has_nd) {
      std::int64_t r;
      if (numfmt::round_to_int(d, &r)) return make_int(r);
      if (std::isnan(d)) return raise(&g_ValueError, "cannot convert float NaN to integer");
      if (std::isinf(d)) return raise(&g_OverflowError, "cannot convert float infinity to integer");
      return raise(&g_OverflowError, "integer overflow: the result does not fit in 64 bits");
    }
    if (nd > 400) nd = 400;
    if (nd < -400) nd = -400;
    double r = numfmt::round_float(d, int(nd));
    if (std::isinf(r) && std::isfinite(d))
      return raise(&g_OverflowError, "rounded value too large to represent");
    return make_float(r);
  }
  return raise_fmt(&g_TypeError, "type {} doesn't define __round__ method", type_name(x));
}

Value b_divmod(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("divmod", nargs, kw, 2) < 0) return Value::null();
  Value a = args[0], b = args[1];
  bool numeric = (is_int(a) || is_float(a)) && (is_int(b) || is_float(b));
  if (!numeric)
    return raise_fmt(&g_TypeError, "unsupported operand type(s) for divmod(): '{}' and '{}'",
                     type_name(a), type_name(b));
  if (is_float(a) || is_float(b)) {
    double y = is_float(b) ? float_value(b) : double(int_value_unchecked(b));
    if (y == 0) return raise(&g_ZeroDivisionError, "float divmod()");
  }
  Value q = binary_op(a, b, BinaryOp::FloorDiv);
  if (!q) return q;
  Value r = binary_op(a, b, BinaryOp::Mod);
  if (!r) {
    decref(q);
    return r;
  }
  Value t = make_tuple(2);
  if (!t) {
    decref(q);
    decref(r);
    return t;
  }
  as_tuple(t)->items[0] = q;
  as_tuple(t)->items[1] = r;
  return t;
}

// a * b % m without overflow: the 128-bit product is a GNU extension both compilers have.
std::int64_t mulmod(std::int64_t a, std::int64_t b, std::int64_t m) {
  __extension__ using Wide = __int128;
  return std::int64_t(Wide(a) * b % m);
}

Value b_pow(Value, Args args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"base", "exp", "mod"};
  Value a[3];
  if (parse_args("pow", args, nargs, kw, names, 3, 3, 2, a) < 0) return Value::null();
  if (!a[2] || a[2] == none()) return binary_op(a[0], a[1], BinaryOp::Pow);
  if (!is_int(a[0]) || !is_int(a[1]) || !is_int(a[2]))
    return raise(&g_TypeError,
                 "pow() 3rd argument not allowed unless all arguments are integers");
  std::int64_t base = int_value_unchecked(a[0]), e = int_value_unchecked(a[1]),
               m = int_value_unchecked(a[2]);
  if (m == 0) return raise(&g_ValueError, "pow() 3rd argument cannot be 0");
  bool neg_mod = m < 0;
  if (m == INT64_MIN)
    return raise(&g_OverflowError, "integer overflow: the result does not fit in 64 bits");
  if (neg_mod) m = -m;
  base %= m;
  if (base < 0) base += m;
  if (e < 0) {
    // Modular inverse by the extended Euclidean algorithm.
    std::int64_t t0 = 0, t1 = 1, r0 = m, r1 = base;
    while (r1) {
      std::int64_t q = r0 / r1;
      std::int64_t tmp = r0 - q * r1;
      r0 = r1;
      r1 = tmp;
      tmp = t0 - q * t1;
      t0 = t1;
      t1 = tmp;
    }
    if (r0 != 1) return raise(&g_ValueError, "base is not invertible for the given modulus");
    base = t0 < 0 ? t0 + m : t0;
    e = e == INT64_MIN ? INT64_MAX : -e;
  }
  std::int64_t r = 1 % m;
  while (e > 0) {
    if (e & 1) r = mulmod(r, base, m);
    base = mulmod(base, base, m);
    e >>= 1;
  }
  if (neg_mod && r != 0) r -= m;
  return make_int(r);
}

template <int Base>
Value b_base(Value, Args args, std::size_t nargs, TupleObject* kw) {
  const char* fname = Base == 16 ? "hex" : Base == 8 ? "oct" : "bin";
  if (exactly(fname, nargs, kw, 1) < 0) return Value::null();
  std::int64_t v;
  if (!index_value(args[0], &v, fname)) return Value::null();
  return make_str(numfmt::int_to_base(v, Base, true));
}

Value b_callable(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (exactly("callable", nargs, kw, 1) < 0) return Value::null();
  return py_bool(type_of(args[0])->call != nullptr);
}

Value b_format(Value, Args args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("format", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 2)
    return raise_fmt(&g_TypeError, "format expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  Value spec = nargs == 2 ? args[1] : Value::null();
  if (spec && !is_str(spec))
    return raise_fmt(&g_TypeError, "format() argument 2 must be str, not {}", type_name(spec));
  static StrObject* const empty = intern("");
  return format(args[0], spec ? as_str(spec) : empty);
}

const NativeMethodDef k_functions[] = {
    {"print", b_print},
    {"len", b_len},
    {"repr", b_repr},
    {"abs", b_abs},
    {"min", b_min},
    {"max", b_max},
    {"sum", b_sum},
    {"sorted", b_sorted},
    {"any", b_anyall<false>},
    {"all", b_anyall<true>},
    {"isinstance", b_isinstance},
    {"issubclass", b_issubclass},
    {"getattr", b_getattr},
    {"hasattr", b_hasattr},
    {"setattr", b_setattr},
    {"delattr", b_delattr},
    {"id", b_id},
    {"hash", b_hash},
    {"iter", b_iter},
    {"next", b_next},
    {"ord", b_ord},
    {"chr", b_chr},
    {"round", b_round},
    {"divmod", b_divmod},
    {"pow", b_pow},
    {"hex", b_base<16>},
    {"oct", b_base<8>},
    {"bin", b_base<2>},
    {"callable", b_callable},
    {"format", b_format},
    {nullptr, nullptr},
};

}  // namespace

int init_builtins_module(Value dict) {
  mark_shared(dict);  // LOAD_GLOBAL's caches hold borrowed values from it
  for (const NativeMethodDef* d = k_functions; d->name; d++) {
    Value f = make_builtin_function(d->name, d->fn, none());
    if (!f) return -1;
    // Builtin functions live as long as the interpreter's builtins: untracked and immortal
    // would leak across interpreters, so they stay ordinary objects owned by the dict.
    runtime::use_local_refs(f.obj());  // every thread calls them (local_refs.h)
    int r = dict_setitem_str(dict, intern(d->name), f);
    decref(f);
    if (r < 0) return -1;
  }
  runtime::use_local_refs(dict.obj());
  TypeObject* const types[] = {
      &g_int_type, &g_float_type, &g_str_type, &g_bool_type, &g_list_type, &g_tuple_type,
      &g_dict_type, &g_range_type, &g_slice_type, &g_enumerate_type, &g_zip_type, &g_map_type,
      &g_filter_type, &g_reversed_type,
      &g_BaseException, &g_Exception, &g_ArithmeticError, &g_ZeroDivisionError,
      &g_OverflowError, &g_ValueError, &g_TypeError, &g_LookupError, &g_KeyError, &g_IndexError,
      &g_AttributeError, &g_NameError, &g_UnboundLocalError, &g_RuntimeError,
      &g_RecursionError, &g_NotImplementedError, &g_StopIteration, &g_AssertionError,
      &g_ImportError, &g_ModuleNotFoundError, &g_MemoryError, &g_SystemExit,
      &g_KeyboardInterrupt, &g_PythonFinalizationError, &g_SyntaxError, &g_IndentationError,
      &g_UnicodeError, &g_SystemError};
  for (TypeObject* t : types)
    if (dict_setitem_str(dict, t->name, Value::from(&t->header)) < 0) return -1;
  if (dict_setitem_str(dict, intern("NotImplemented"), not_implemented()) < 0) return -1;
  if (dict_setitem_str(dict, intern("Ellipsis"), Value::from(&g_ellipsis)) < 0) return -1;
  if (dict_setitem_str(dict, intern("None"), none()) < 0) return -1;
  if (dict_setitem_str(dict, intern("True"), py_bool(true)) < 0) return -1;
  if (dict_setitem_str(dict, intern("False"), py_bool(false)) < 0) return -1;
  return 0;
}

}  // namespace ftpy::interp
