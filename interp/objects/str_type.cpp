// str_type.cpp: str — immutable UTF-8 text with the code point length and an ASCII flag
// cached at creation (ASCII strings index and slice by byte). Hashes are computed lazily and
// cached (a benign race: every thread computes the same value). Interned strings live in one
// process-wide set behind g_intern_mutex; they and the one-character ASCII strings are
// immortal and allocated outside any thread's heap (they outlive every thread state).
#include <cstdlib>
#include <optional>
#include <string>

#include "interp/text/numfmt.h"
#include "interp/text/text.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_str_type;
TypeObject g_str_iter_type;

namespace {

StrObject* g_chars[128];  // one-character ASCII strings, immortal
StrObject* g_empty;

sync::RankedMutex g_intern_mutex{sync::LockRank::Intern};
StrObject** g_intern_table FTPY_GUARDED_BY(g_intern_mutex) = nullptr;
std::size_t g_intern_cap FTPY_GUARDED_BY(g_intern_mutex) = 0;
std::size_t g_intern_used FTPY_GUARDED_BY(g_intern_mutex) = 0;

std::int64_t compute_hash(std::string_view s) {
  std::int64_t h = std::int64_t(text::hash(s));
  if (h == 0) h = 1;  // 0 marks "not computed"
  return h;
}

void fill_str(StrObject* s, std::string_view utf8) {
  s->byte_length = utf8.size();
  std::memcpy(s->data, utf8.data(), utf8.size());
  s->data[utf8.size()] = 0;
  s->ascii = text::is_ascii(utf8);
  s->length = s->ascii ? std::int64_t(utf8.size()) : std::int64_t(text::length(utf8));
}

StrObject* make_immortal_str(std::string_view utf8) {
  auto* s = static_cast<StrObject*>(std::calloc(1, sizeof(StrObject) + utf8.size() + 1));
  if (!s) return nullptr;
  s->header.ob_type = &g_str_type.rt;
  runtime::make_immortal(&s->header);
  fill_str(s, utf8);
  s->hash.store(compute_hash(utf8), std::memory_order_relaxed);
  s->interned = true;
  return s;
}

inline StrObject* S(Value v) { return reinterpret_cast<StrObject*>(v.obj()); }

}  // namespace

bool is_str(Value v) { return v.is_object() && (type_of(v)->tp_flags & k_tp_str_subclass); }

Value make_str(std::string_view utf8) {
  if (utf8.size() <= 1) {
    if (utf8.empty()) return Value::from(&g_empty->header);
    unsigned char c = utf8[0];
    if (c < 128) return Value::from(&g_chars[c]->header);
  }
  Object* o = runtime::alloc_object(&g_str_type.rt, sizeof(StrObject) + utf8.size() + 1);
  if (!o) return raise_no_memory();
  fill_str(reinterpret_cast<StrObject*>(o), utf8);
  return Value::from(o);
}

Value make_str_owned(std::string&& utf8) { return make_str(utf8); }

StrObject* intern(std::string_view utf8) {
  sync::MutexGuard g(g_intern_mutex);
  std::uint64_t h = std::uint64_t(compute_hash(utf8));
  if (g_intern_used * 2 >= g_intern_cap) {
    std::size_t ncap = g_intern_cap ? g_intern_cap * 2 : 1024;
    auto** nt = static_cast<StrObject**>(std::calloc(ncap, sizeof(StrObject*)));
    if (!nt) return nullptr;
    for (std::size_t i = 0; i < g_intern_cap; i++) {
      StrObject* s = g_intern_table[i];
      if (!s) continue;
      std::size_t j = std::uint64_t(s->hash.load(std::memory_order_relaxed)) & (ncap - 1);
      while (nt[j]) j = (j + 1) & (ncap - 1);
      nt[j] = s;
    }
    std::free(g_intern_table);
    g_intern_table = nt;
    g_intern_cap = ncap;
  }
  std::size_t j = h & (g_intern_cap - 1);
  while (StrObject* s = g_intern_table[j]) {
    if (std::uint64_t(s->hash.load(std::memory_order_relaxed)) == h && s->view() == utf8)
      return s;
    j = (j + 1) & (g_intern_cap - 1);
  }
  StrObject* s = make_immortal_str(utf8);
  if (!s) return nullptr;
  g_intern_table[j] = s;
  g_intern_used++;
  return s;
}

Value str_concat(Value a, Value b) {
  StrObject* x = S(a);
  StrObject* y = S(b);
  if (y->byte_length == 0) return newref(a);
  if (x->byte_length == 0) return newref(b);
  std::size_t n = x->byte_length + y->byte_length;
  Object* o = runtime::alloc_object(&g_str_type.rt, sizeof(StrObject) + n + 1);
  if (!o) return raise_no_memory();
  auto* s = reinterpret_cast<StrObject*>(o);
  std::memcpy(s->data, x->data, x->byte_length);
  std::memcpy(s->data + x->byte_length, y->data, y->byte_length);
  s->data[n] = 0;
  s->byte_length = n;
  s->length = x->length + y->length;
  s->ascii = x->ascii && y->ascii;
  return Value::from(o);
}

Value str_join_values(std::string_view sep, const Value* items, std::size_t n) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; i++) {
    if (!is_str(items[i]))
      return raise_fmt(&g_TypeError, "sequence item {}: expected str instance, {} found", i,
                       type_name(items[i]));
    total += S(items[i])->byte_length;
  }
  if (n == 1) return newref(items[0]);
  std::size_t seps, size;
  if (__builtin_mul_overflow(n ? n - 1 : 0, sep.size(), &seps) ||
      __builtin_add_overflow(seps, total, &size))
    return raise_no_memory();
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < n; i++) {
    if (i) out += sep;
    out += S(items[i])->view();
  }
  return make_str(out);
}

namespace {

std::int64_t str_hash(Value v) {
  StrObject* s = S(v);
  std::int64_t h = s->hash.load(std::memory_order_relaxed);
  if (h) return h;
  h = compute_hash(s->view());
  s->hash.store(h, std::memory_order_relaxed);
  return h;
}

bool str_eq(StrObject* a, StrObject* b) {
  if (a == b) return true;
  if (a->byte_length != b->byte_length) return false;
  if (a->interned && b->interned) return false;
  std::int64_t ha = a->hash.load(std::memory_order_relaxed);
  std::int64_t hb = b->hash.load(std::memory_order_relaxed);
  if (ha && hb && ha != hb) return false;
  return std::memcmp(a->data, b->data, a->byte_length) == 0;
}

Value str_richcompare(Value a, Value b, CompareOp op) {
  if (!is_str(b)) return not_implemented();
  if (op == CompareOp::Eq) return py_bool(str_eq(S(a), S(b)));
  if (op == CompareOp::Ne) return py_bool(!str_eq(S(a), S(b)));
  return py_bool(compare_op(op, text::compare(S(a)->view(), S(b)->view()), 0));
}

Value str_repr(Value v) { return make_str(text::repr(S(v)->view())); }
Value str_str(Value v) { return newref(v); }
std::int64_t str_len(Value v) { return S(v)->length; }
int str_truthy(Value v) { return S(v)->byte_length != 0; }

Value char_at(StrObject* s, std::int64_t i) {
  if (s->ascii) return make_str(std::string_view(s->data + i, 1));
  std::size_t off = text::byte_offset(s->view(), std::size_t(i));
  std::size_t next = 0;
  text::decode_at(s->view(), off, &next);
  return make_str(std::string_view(s->data + off, next - off));
}

Value str_getitem(Value self, Value key) {
  StrObject* s = S(self);
  if (is_int(key)) {
    std::int64_t i = int_value_unchecked(key);
    if (!normalize_index(&i, s->length)) return raise(&g_IndexError, "string index out of range");
    return char_at(s, i);
  }
  if (is_exact(key, &g_slice_type)) {
    std::int64_t start, stop, step, n;
    if (slice_indices(key, s->length, &start, &stop, &step, &n) < 0) return Value::null();
    if (n <= 0) return make_str("");
    if (step == 1) {
      if (s->ascii) return make_str(std::string_view(s->data + start, std::size_t(n)));
      return make_str(text::substr(s->view(), std::size_t(start), std::size_t(stop)));
    }
    if (s->ascii) {
      std::string out;
      out.reserve(std::size_t(n));
      for (std::int64_t k = 0, i = start; k < n; k++, i += step) out += s->data[i];
      return make_str(out);
    }
    text::SliceIndices si{start, stop, step, n};
    return make_str(text::slice(s->view(), si));
  }
  return raise_fmt(&g_TypeError, "string indices must be integers, not '{}'", type_name(key));
}

int str_contains(Value self, Value item) {
  if (!is_str(item)) {
    raise_fmt(&g_TypeError, "'in <string>' requires string as left operand, not {}",
              type_name(item));
    return -1;
  }
  return S(self)->view().find(S(item)->view()) != std::string_view::npos;
}

Value str_repeat(Value s, Value n) {
  std::int64_t k = int_value_unchecked(n);
  StrObject* x = S(s);
  if (k <= 0 || x->byte_length == 0) return make_str("");
  if (k == 1) return newref(s);
  if (std::uint64_t(k) > (std::uint64_t(1) << 40) / x->byte_length) return raise_no_memory();
  std::size_t total = x->byte_length * std::size_t(k);
  Object* o = runtime::alloc_object(&g_str_type.rt, sizeof(StrObject) + total + 1);
  if (!o) return raise_no_memory();
  auto* r = reinterpret_cast<StrObject*>(o);
  for (std::int64_t i = 0; i < k; i++)
    std::memcpy(r->data + std::size_t(i) * x->byte_length, x->data, x->byte_length);
  r->data[total] = 0;
  r->byte_length = total;
  r->length = x->length * k;
  r->ascii = x->ascii;
  return Value::from(o);
}

Value str_add(Value a, Value b) {
  if (!is_str(a) || !is_str(b)) {
    if (is_str(a) && !is_str(b) && type_of(b)->binary[int(BinaryOp::Add)] == nullptr)
      return raise_fmt(&g_TypeError, "can only concatenate str (not \"{}\") to str",
                       type_name(b));
    return not_implemented();
  }
  return str_concat(a, b);
}

Value str_mul(Value a, Value b) {
  if (is_str(a) && is_int(b)) return str_repeat(a, b);
  if (is_int(a) && is_str(b)) return str_repeat(b, a);
  if (is_str(a) && !is_int(b) && (is_float(b) || is_str(b) || is_list(b) || is_tuple(b)))
    return raise_fmt(&g_TypeError, "can't multiply sequence by non-int of type '{}'",
                     type_name(b));
  return not_implemented();
}

Value str_format_slot(Value self, StrObject* spec) {
  if (spec->byte_length == 0) return newref(self);
  std::string out, err;
  numfmt::ErrorKind kind = numfmt::ErrorKind::Value;
  if (!numfmt::format_str(S(self)->view(), spec->view(), &out, &err, &kind))
    return raise_format_error(int(kind), err);
  return make_str(out);
}

Value str_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  static const char* const names[] = {"object"};
  Value a[1];
  if (parse_args("str", args, nargs, kwnames, names, 1, 1, 0, a) < 0) return Value::null();
  if (!a[0]) return make_str("");
  return str(a[0]);
}

// --- iterator ---------------------------------------------------------------------------------
struct StrIter {
  Object header;
  Value str;                     // owned
  std::atomic<std::size_t> off;  // byte offset of the next code point
};

void str_iter_dealloc(Object* o) {
  Value s = reinterpret_cast<StrIter*>(o)->str;
  runtime::free_object(o);
  xdecref(s);
}
// Threads may share one iterator: each character is handed out once (a compare-and-swap on
// the byte offset), and the str stays referenced until the iterator dies.
Value str_iter_next(Value self) {
  auto* it = reinterpret_cast<StrIter*>(self.obj());
  StrObject* s = S(it->str);
  std::size_t off = it->off.load(std::memory_order_relaxed);
  std::size_t next;
  do {
    if (off >= s->byte_length) return Value::null();
    next = off + 1;
    if (!s->ascii) text::decode_at(s->view(), off, &next);
  } while (!it->off.compare_exchange_weak(off, next, std::memory_order_relaxed));
  return make_str(std::string_view(s->data + off, next - off));
}
Value self_iter(Value self) { return newref(self); }

Value str_iter(Value self) {
  Object* o = runtime::alloc_object(&g_str_iter_type.rt, sizeof(StrIter));
  if (!o) return raise_no_memory();
  auto* it = reinterpret_cast<StrIter*>(o);
  it->str = newref(self);
  it->off.store(0, std::memory_order_relaxed);
  return Value::from(o);
}

// --- methods ----------------------------------------------------------------------------------
// Optional slice bound: absent or None -> nullopt.
int opt_bound(Value v, std::optional<std::int64_t>* out) {
  if (!v || v == none()) {
    *out = std::nullopt;
    return 0;
  }
  if (!is_int(v)) {
    raise(&g_TypeError, "slice indices must be integers or None or have an __index__ method");
    return -1;
  }
  *out = int_value_unchecked(v);
  return 0;
}

Value list_of_views(const std::vector<std::string_view>& parts) {
  Value l = make_list(parts.size());
  if (!l) return l;
  Value* items = list_data(l);
  for (std::size_t i = 0; i < parts.size(); i++) {
    Value s = make_str(parts[i]);
    if (!s) {
      decref(l);
      return s;
    }
    items[i] = s;
  }
  return l;
}

int need_str(Value v, const char* what) {
  if (!is_str(v)) {
    raise_fmt(&g_TypeError, "{} must be str, not {}", what, type_name(v));
    return -1;
  }
  return 0;
}

Value m_join(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("join", kw) < 0) return Value::null();
  if (nargs != 1)
    return raise_fmt(&g_TypeError, "str.join() takes exactly one argument ({} given)", nargs);
  Value seq = args[0];
  if (is_list(seq)) {
    ObjectLock lock(seq, k_short);  // joining runs no Python code
    return str_join_values(S(self)->view(), list_data(seq), list_size(seq));
  }
  if (is_tuple(seq))
    return str_join_values(S(self)->view(), as_tuple(seq)->items, as_tuple(seq)->size);
  Value l = list_from_iterable(seq);
  if (!l) {
    if (error_matches(&g_TypeError)) {
      clear_error();
      return raise(&g_TypeError, "can only join an iterable");
    }
    return l;
  }
  Value r = str_join_values(S(self)->view(), list_data(l), list_size(l));
  decref(l);
  return r;
}

Value do_split(Value self, const Value* args, std::size_t nargs, TupleObject* kw, bool right) {
  static const char* const names[] = {"sep", "maxsplit"};
  Value a[2];
  if (parse_args(right ? "rsplit" : "split", args, nargs, kw, names, 2, 2, 0, a) < 0)
    return Value::null();
  std::int64_t maxsplit = -1;
  if (a[1] && !index_value(a[1], &maxsplit, "maxsplit")) return Value::null();
  std::string_view s = S(self)->view();
  if (!a[0] || a[0] == none())
    return list_of_views(right ? text::rsplit_whitespace(s, maxsplit)
                               : text::split_whitespace(s, maxsplit));
  if (need_str(a[0], "sep") < 0) return Value::null();
  std::string_view sep = S(a[0])->view();
  if (sep.empty()) return raise(&g_ValueError, "empty separator");
  return list_of_views(right ? text::rsplit(s, sep, maxsplit) : text::split(s, sep, maxsplit));
}
Value m_split(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return do_split(self, args, nargs, kw, false);
}
Value m_rsplit(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return do_split(self, args, nargs, kw, true);
}

template <int Which>
Value m_strip(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  static const char* const fnames[] = {"strip", "lstrip", "rstrip"};
  static const char* const names[] = {"chars"};
  Value a[1];
  if (parse_args(fnames[Which], args, nargs, kw, names, 1, 1, 0, a) < 0) return Value::null();
  std::optional<std::string_view> chars;
  if (a[0] && a[0] != none()) {
    if (!is_str(a[0]))
      return raise_fmt(&g_TypeError, "{} arg must be None or str", fnames[Which]);
    chars = S(a[0])->view();
  }
  std::string_view s = S(self)->view();
  std::string_view r = Which == 0 ? text::strip(s, chars)
                        : Which == 1 ? text::lstrip(s, chars)
                                     : text::rstrip(s, chars);
  if (r.size() == s.size()) return newref(self);
  return make_str(r);
}

template <bool End>
Value m_startswith(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  const char* fname = End ? "endswith" : "startswith";
  if (no_kwargs(fname, kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 3)
    return raise_fmt(&g_TypeError, "{} expected {} arguments, got {}", fname,
                     nargs < 1 ? "at least 1" : "at most 3", nargs);
  std::optional<std::int64_t> start, end;
  if (opt_bound(nargs > 1 ? args[1] : Value::null(), &start) < 0) return Value::null();
  if (opt_bound(nargs > 2 ? args[2] : Value::null(), &end) < 0) return Value::null();
  std::string_view s = S(self)->view();
  auto test = [&](Value p) {
    return End ? text::endswith(s, S(p)->view(), start, end)
               : text::startswith(s, S(p)->view(), start, end);
  };
  Value p = args[0];
  if (is_str(p)) return py_bool(test(p));
  if (is_tuple(p)) {
    TupleObject* t = as_tuple(p);
    for (std::size_t i = 0; i < t->size; i++) {
      if (!is_str(t->items[i]))
        return raise_fmt(&g_TypeError, "tuple for {} must only contain str, not {}", fname,
                         type_name(t->items[i]));
      if (test(t->items[i])) return py_bool(true);
    }
    return py_bool(false);
  }
  return raise_fmt(&g_TypeError, "{} first arg must be str or a tuple of str, not {}", fname,
                   type_name(p));
}

// find (0), rfind (1), index (2), rindex (3), count (4)
template <int Which>
Value m_find(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  static const char* const fnames[] = {"find", "rfind", "index", "rindex", "count"};
  const char* fname = fnames[Which];
  if (no_kwargs(fname, kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 3)
    return raise_fmt(&g_TypeError, "{} expected {} arguments, got {}", fname,
                     nargs < 1 ? "at least 1" : "at most 3", nargs);
  if (!is_str(args[0]))
    return raise_fmt(&g_TypeError, "must be str, not {}", type_name(args[0]));
  std::optional<std::int64_t> start, end;
  if (opt_bound(nargs > 1 ? args[1] : Value::null(), &start) < 0) return Value::null();
  if (opt_bound(nargs > 2 ? args[2] : Value::null(), &end) < 0) return Value::null();
  std::string_view s = S(self)->view();
  std::string_view sub = S(args[0])->view();
  if (Which == 4) return make_int(text::count(s, sub, start, end));
  std::int64_t r = (Which == 1 || Which == 3) ? text::rfind(s, sub, start, end)
                                              : text::find(s, sub, start, end);
  if (r < 0 && Which >= 2) return raise(&g_ValueError, "substring not found");
  return make_int(r);
}

Value m_replace(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("replace", kw) < 0) return Value::null();
  if (nargs < 2 || nargs > 3)
    return raise_fmt(&g_TypeError, "replace expected {} arguments, got {}",
                     nargs < 2 ? "at least 2" : "at most 3", nargs);
  for (int i = 0; i < 2; i++)
    if (!is_str(args[i]))
      return raise_fmt(&g_TypeError, "replace() argument {} must be str, not {}", i + 1,
                       type_name(args[i]));
  std::int64_t count = -1;
  if (nargs == 3 && !index_value(args[2], &count, "count")) return Value::null();
  return make_str(text::replace(S(self)->view(), S(args[0])->view(), S(args[1])->view(), count));
}

template <int Which>
Value m_case(Value self, const Value*, std::size_t nargs, TupleObject* kw) {
  static const char* const fnames[] = {"upper", "lower", "isdigit", "isalpha", "isspace"};
  if (nargs || (kw && kw->size))
    return raise_fmt(&g_TypeError, "str.{}() takes no arguments ({} given)", fnames[Which],
                     nargs);
  std::string_view s = S(self)->view();
  switch (Which) {
    case 0:
      if (S(self)->ascii) {
        std::string r(s);
        for (char& c : r)
          if (c >= 'a' && c <= 'z') c = char(c - 32);
        return make_str(r);
      }
      return make_str(text::upper(s));
    case 1:
      if (S(self)->ascii) {
        std::string r(s);
        for (char& c : r)
          if (c >= 'A' && c <= 'Z') c = char(c + 32);
        return make_str(r);
      }
      return make_str(text::lower(s));
    case 2: return py_bool(text::isdigit(s));
    case 3: return py_bool(text::isalpha(s));
    default: return py_bool(text::isspace(s));
  }
}

int fill_arg(const char* fname, Value v, char32_t* fill) {
  if (!is_str(v)) {
    raise_fmt(&g_TypeError, "{}() argument 2 must be str, not {}", fname, type_name(v));
    return -1;
  }
  if (S(v)->length != 1) {
    raise(&g_TypeError, "The fill character must be exactly one character long");
    return -1;
  }
  *fill = text::decode_at(S(v)->view(), 0, nullptr);
  return 0;
}

template <int Which>
Value m_just(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  static const char* const fnames[] = {"ljust", "rjust", "center", "zfill"};
  const char* fname = fnames[Which];
  if (no_kwargs(fname, kw) < 0) return Value::null();
  std::size_t maxn = Which == 3 ? 1 : 2;
  if (nargs < 1 || nargs > maxn) {
    if (maxn == 1)
      return raise_fmt(&g_TypeError, "{}() takes exactly one argument ({} given)", fname, nargs);
    return raise_fmt(&g_TypeError, "{} expected {} arguments, got {}", fname,
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  }
  if (!is_int(args[0]))
    return raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer",
                     type_name(args[0]));
  std::int64_t width = int_value_unchecked(args[0]);
  char32_t fill = U' ';
  if (nargs == 2 && fill_arg(fname, args[1], &fill) < 0) return Value::null();
  if (width <= S(self)->length) return newref(self);
  std::string_view s = S(self)->view();
  switch (Which) {
    case 0: return make_str(text::ljust(s, width, fill));
    case 1: return make_str(text::rjust(s, width, fill));
    case 2: return make_str(text::center(s, width, fill));
    default: return make_str(text::zfill(s, width));
  }
}

// str.format: positional ({} {0}), keyword ({name}), conversion (!r !s), spec (:...).
Value m_format(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  std::size_t nkw = kw ? kw->size : 0;
  std::size_t npos = nargs - nkw;
  std::string_view f = S(self)->view();
  std::string out;
  int auto_mode = 0;  // 0 unknown, 1 automatic, 2 manual
  std::size_t next_auto = 0;
  std::size_t i = 0;
  while (i < f.size()) {
    char c = f[i];
    if (c == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') {
        out += '}';
        i += 2;
        continue;
      }
      return raise(&g_ValueError, "Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      i++;
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      i += 2;
      continue;
    }
    // Parse a replacement field up to the matching '}' (nested braces in the spec allowed).
    std::size_t j = i + 1;
    int depth = 1;
    while (j < f.size()) {
      if (f[j] == '{') depth++;
      else if (f[j] == '}' && --depth == 0) break;
      j++;
    }
    if (j >= f.size()) return raise(&g_ValueError, "expected '}' before end of string");
    std::string_view field = f.substr(i + 1, j - i - 1);
    i = j + 1;
    std::string_view name = field, spec;
    char conv = 0;
    std::size_t colon = field.find(':');
    std::size_t bang = field.find('!');
    if (bang != std::string_view::npos && (colon == std::string_view::npos || bang < colon)) {
      name = field.substr(0, bang);
      std::string_view rest = field.substr(bang + 1);
      if (rest.empty() || (rest.size() > 1 && rest[1] != ':'))
        return raise(&g_ValueError, "expected ':' after conversion specifier");
      conv = rest[0];
      if (rest.size() > 1) spec = rest.substr(2);
    } else if (colon != std::string_view::npos) {
      name = field.substr(0, colon);
      spec = field.substr(colon + 1);
    }
    Value arg;
    if (name.empty()) {
      if (auto_mode == 2)
        return raise(&g_ValueError,
                     "cannot switch from manual field specification to automatic field numbering");
      auto_mode = 1;
      if (next_auto >= npos)
        return raise_fmt(&g_IndexError,
                         "Replacement index {} out of range for positional args tuple",
                         next_auto);
      arg = args[next_auto++];
    } else if (name[0] >= '0' && name[0] <= '9') {
      if (auto_mode == 1)
        return raise(&g_ValueError,
                     "cannot switch from automatic field numbering to manual field specification");
      auto_mode = 2;
      std::size_t idx = 0;
      for (char d : name) {
        if (d < '0' || d > '9') return raise(&g_ValueError, "invalid format field");
        idx = idx * 10 + std::size_t(d - '0');
      }
      if (idx >= npos)
        return raise_fmt(&g_IndexError,
                         "Replacement index {} out of range for positional args tuple", idx);
      arg = args[idx];
    } else {
      for (std::size_t k = 0; k < nkw; k++)
        if (S(kw->items[k])->view() == name) arg = args[npos + k];
      if (!arg) return raise_fmt(&g_KeyError, "'{}'", name);
    }
    Value conv_v;
    if (conv == 'r') conv_v = repr(arg);
    else if (conv == 's') conv_v = str(arg);
    else if (conv) return raise_fmt(&g_ValueError, "Unknown conversion specifier {}", conv);
    else conv_v = newref(arg);
    if (!conv_v) return conv_v;
    Value spec_s = make_str(spec);
    if (!spec_s) {
      decref(conv_v);
      return spec_s;
    }
    Value r = format(conv_v, S(spec_s));
    decref(spec_s);
    decref(conv_v);
    if (!r) return r;
    out += S(r)->view();
    decref(r);
  }
  return make_str(out);
}

const NativeMethodDef k_methods[] = {
    {"join", m_join},
    {"split", m_split},
    {"rsplit", m_rsplit},
    {"strip", m_strip<0>},
    {"lstrip", m_strip<1>},
    {"rstrip", m_strip<2>},
    {"startswith", m_startswith<false>},
    {"endswith", m_startswith<true>},
    {"find", m_find<0>},
    {"rfind", m_find<1>},
    {"index", m_find<2>},
    {"rindex", m_find<3>},
    {"count", m_find<4>},
    {"replace", m_replace},
    {"upper", m_case<0>},
    {"lower", m_case<1>},
    {"isdigit", m_case<2>},
    {"isalpha", m_case<3>},
    {"isspace", m_case<4>},
    {"format", m_format},
    {"ljust", m_just<0>},
    {"rjust", m_just<1>},
    {"center", m_just<2>},
    {"zfill", m_just<3>},
    {nullptr, nullptr},
};

void str_dealloc(Object* o) { runtime::free_object(o); }

}  // namespace

// Sets what interning and dict lookups of str keys need, before any allocation happens.
bool init_str_type_early() {
  g_str_type.header.ob_type = &g_type_type.rt;
  runtime::make_immortal(&g_str_type.header);
  g_str_type.rt.name = "str";
  g_str_type.rt.basic_size = sizeof(StrObject);
  g_str_type.rt.dealloc = str_dealloc;
  g_str_type.rt.flags = runtime::type_flags::k_immutable;
  g_str_type.tp_flags = k_tp_str_subclass;
  g_str_type.hash = str_hash;
  g_str_type.richcompare = str_richcompare;
  g_str_type.repr = str_repr;
  g_str_type.str = str_str;
  // Interned like the one-character strings: the literal "" (interned by the compiler) and
  // every empty str made at run time are then the same object, and str_eq's "two interned
  // strings differ unless identical" holds.
  g_empty = intern("");
  if (!g_empty) return false;
  for (int c = 0; c < 128; c++) {
    char ch = char(c);
    g_chars[c] = intern(std::string_view(&ch, 1));
    if (!g_chars[c]) return false;
  }
  return true;
}

bool init_str_type() {
  if (!setup_type(&g_str_type, "str", &g_object_type, sizeof(StrObject), false, str_dealloc))
    return false;
  TypeObject* t = &g_str_type;
  t->tp_flags = k_tp_str_subclass;
  t->hash = str_hash;
  t->richcompare = str_richcompare;
  t->repr = str_repr;
  t->str = str_str;
  t->len = str_len;
  t->truthy = str_truthy;
  t->getitem = str_getitem;
  t->contains = str_contains;
  t->iter = str_iter;
  t->binary[int(BinaryOp::Add)] = str_add;
  t->binary[int(BinaryOp::Mul)] = str_mul;
  t->format = str_format_slot;
  t->new_ = str_new;
  if (add_native_methods(t, k_methods) < 0) return false;
  if (!setup_type(&g_str_iter_type, "str_ascii_iterator", &g_object_type, sizeof(StrIter), false,
                  str_iter_dealloc))
    return false;
  g_str_iter_type.iter = self_iter;
  g_str_iter_type.iternext = str_iter_next;
  return true;
}

}  // namespace ftpy::interp
