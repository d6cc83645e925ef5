// tuple_type.cpp: tuple — an immutable array of values inline after the header. A tuple is
// GC-tracked from birth: the items of one being filled are null, which traverse skips. The
// empty tuple is an immortal singleton. Hash is CPython's xxHash-based tuplehash, so hash((1,
// 2)) prints as under CPython.
#include <string>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_tuple_type;
TypeObject g_tuple_iter_type;

namespace {
TupleObject* g_empty_tuple;
inline TupleObject* T(Value v) { return reinterpret_cast<TupleObject*>(v.obj()); }
}  // namespace

Value make_tuple(std::size_t n) {
  if (n == 0 && g_empty_tuple) return Value::from(&g_empty_tuple->header);
  if (n > (std::size_t(1) << 40)) return raise_no_memory();
  Object* o = runtime::alloc_object(&g_tuple_type.rt, sizeof(TupleObject) + n * sizeof(Value));
  if (!o) return raise_no_memory();
  reinterpret_cast<TupleObject*>(o)->size = n;
  runtime::gc_track(o);
  return Value::from(o);
}

Value make_tuple_from(const Value* items, std::size_t n) {
  Value t = make_tuple(n);
  if (!t) return t;
  for (std::size_t i = 0; i < n; i++) T(t)->items[i] = newref(items[i]);
  return t;
}

Value tuple_from_iterable(Value iterable) {
  if (is_tuple(iterable)) return newref(iterable);
  if (is_list(iterable)) return list_snapshot(iterable);
  Value l = list_from_iterable(iterable);
  if (!l) return l;
  Value t = make_tuple_from(list_data(l), list_size(l));
  decref(l);
  return t;
}

namespace {

void tuple_dealloc(Object* o) {
  if (!trashcan_begin(o)) return;
  runtime::gc_untrack(o);
  auto* t = reinterpret_cast<TupleObject*>(o);
  for (std::size_t i = 0; i < t->size; i++) xdecref(t->items[i]);
  runtime::free_object(o);
  trashcan_end();
}

int tuple_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* t = reinterpret_cast<TupleObject*>(o);
  for (std::size_t i = 0; i < t->size; i++) FTPY_VISIT(t->items[i]);
  return 0;
}

void tuple_clear(Object* o) {
  auto* t = reinterpret_cast<TupleObject*>(o);
  for (std::size_t i = 0; i < t->size; i++) {
    Value v = t->items[i];
    t->items[i] = Value::null();
    xdecref(v);
  }
}

std::int64_t tuple_hash(Value v) {
  constexpr std::uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                          p5 = 2870177450012600261ULL;
  TupleObject* t = T(v);
  RecursionScope scope(" while hashing");  // a tuple nested 200,000 deep crashes CPython
  if (!scope.ok()) return -1;
  std::uint64_t acc = p5;
  for (std::size_t i = 0; i < t->size; i++) {
    std::int64_t h = hash(t->items[i]);
    if (h == -1) return -1;
    acc += std::uint64_t(h) * p2;
    acc = (acc << 31) | (acc >> 33);
    acc *= p1;
  }
  acc += t->size ^ (p5 ^ 3527539UL);
  if (acc == std::uint64_t(-1)) return 1546275796;
  return std::int64_t(acc);
}

}  // namespace

// The index of the first pair a[i], b[i] that is not equal (richcompare_bool's Eq: identity
// means equal), or min(na, nb) when one sequence is a prefix of the other; -1 on error. Pairs
// of small ints, floats or strs are compared inline, without the type's slot.
std::int64_t seq_first_unequal(const Value* a, std::size_t na, const Value* b,
                               std::size_t nb) {
  std::size_t n = na < nb ? na : nb;
  for (std::size_t i = 0; i < n; i++) {
    Value x = a[i], y = b[i];
    if (x == y) continue;
    if (x.is_small_int() && y.is_small_int()) return std::int64_t(i);
    if (is_float(x) && is_float(y)) {
      if (float_value(x) == float_value(y)) continue;
      return std::int64_t(i);
    }
    if (is_exact(x, &g_str_type) && is_exact(y, &g_str_type)) {
      if (as_str(x)->view() == as_str(y)->view()) continue;
      return std::int64_t(i);
    }
    int eq = richcompare_bool(x, y, CompareOp::Eq);
    if (eq < 0) return -1;
    if (!eq) return std::int64_t(i);
  }
  return std::int64_t(n);
}

// Lexicographic comparison shared by tuple and list.
Value seq_richcompare(const Value* a, std::size_t na, const Value* b, std::size_t nb,
                      CompareOp op) {
  RecursionScope scope(" in comparison");
  if (!scope.ok()) return Value::null();
  std::int64_t found = seq_first_unequal(a, na, b, nb);
  if (found < 0) return Value::null();
  std::size_t i = std::size_t(found);
  if (i >= na || i >= nb) return py_bool(compare_op(op, na, nb));
  if (op == CompareOp::Eq) return py_bool(false);
  if (op == CompareOp::Ne) return py_bool(true);
  return richcompare(a[i], b[i], op);
}

// "(1, 2)" / "[1, 2]" with the recursion guard's "..." for self-containing containers.
Value seq_repr(Value self, const Value* items, std::size_t n, char open, char close,
               bool one_comma) {
  if (n == 0) return make_str(open == '(' ? "()" : "[]");
  RecursionScope scope(" while getting the repr of an object");
  if (!scope.ok()) return Value::null();
  int g = repr_enter(self);
  if (g < 0) return Value::null();
  if (g > 0) return make_str(open == '(' ? "(...)" : "[...]");
  std::string out(1, open);
  for (std::size_t i = 0; i < n; i++) {
    if (i) out += ", ";
    Value r = repr(items[i]);
    if (!r) {
      repr_leave(self);
      return r;
    }
    out += as_str(r)->view();
    decref(r);
  }
  if (one_comma && n == 1) out += ',';
  out += close;
  repr_leave(self);
  return make_str(out);
}

int seq_contains(const Value* items, std::size_t n, Value x) {
  for (std::size_t i = 0; i < n; i++) {
    int r = richcompare_bool(items[i], x, CompareOp::Eq);
    if (r != 0) return r;
  }
  return 0;
}

namespace {

Value tuple_richcompare(Value a, Value b, CompareOp op) {
  if (!is_tuple(b)) return not_implemented();
  return seq_richcompare(T(a)->items, T(a)->size, T(b)->items, T(b)->size, op);
}

Value tuple_repr(Value v) { return seq_repr(v, T(v)->items, T(v)->size, '(', ')', true); }
std::int64_t tuple_len(Value v) { return std::int64_t(T(v)->size); }
int tuple_truthy(Value v) { return T(v)->size != 0; }
int tuple_contains(Value v, Value x) { return seq_contains(T(v)->items, T(v)->size, x); }

Value tuple_getitem(Value self, Value key) {
  TupleObject* t = T(self);
  if (is_int(key)) {
    std::int64_t i = int_value_unchecked(key);
    if (!normalize_index(&i, std::int64_t(t->size)))
      return raise(&g_IndexError, "tuple index out of range");
    return newref(t->items[i]);
  }
  if (is_exact(key, &g_slice_type)) {
    std::int64_t start, stop, step, n;
    if (slice_indices(key, std::int64_t(t->size), &start, &stop, &step, &n) < 0)
      return Value::null();
    if (step == 1 && n == std::int64_t(t->size)) return newref(self);
    Value r = make_tuple(std::size_t(n));
    if (!r) return r;
    for (std::int64_t k = 0, i = start; k < n; k++, i += step) T(r)->items[k] = newref(t->items[i]);
    return r;
  }
  return raise_fmt(&g_TypeError, "tuple indices must be integers or slices, not {}",
                   type_name(key));
}

Value tuple_add(Value a, Value b) {
  if (!is_tuple(a)) return not_implemented();
  if (!is_tuple(b))
    return raise_fmt(&g_TypeError, "can only concatenate tuple (not \"{}\") to tuple",
                     type_name(b));
  TupleObject *x = T(a), *y = T(b);
  if (y->size == 0) return newref(a);
  if (x->size == 0) return newref(b);
  Value r = make_tuple(x->size + y->size);
  if (!r) return r;
  for (std::size_t i = 0; i < x->size; i++) T(r)->items[i] = newref(x->items[i]);
  for (std::size_t i = 0; i < y->size; i++) T(r)->items[x->size + i] = newref(y->items[i]);
  return r;
}

Value tuple_mul(Value a, Value b) {
  Value t = is_tuple(a) ? a : b;
  Value n = is_tuple(a) ? b : a;
  if (!is_tuple(t)) return not_implemented();
  if (!is_int(n)) {
    if (t == a)
      return raise_fmt(&g_TypeError, "can't multiply sequence by non-int of type '{}'",
                       type_name(n));
    return not_implemented();
  }
  std::int64_t k = int_value_unchecked(n);
  std::size_t sz = T(t)->size;
  if (k <= 0 || sz == 0) return make_tuple(0);
  if (k == 1) return newref(t);
  if (std::uint64_t(k) > (std::uint64_t(1) << 36) / sz) return raise_no_memory();
  Value r = make_tuple(sz * std::size_t(k));
  if (!r) return r;
  for (std::int64_t j = 0; j < k; j++)
    for (std::size_t i = 0; i < sz; i++) T(r)->items[std::size_t(j) * sz + i] = newref(T(t)->items[i]);
  return r;
}

// Threads may share one iterator: each index is handed out once (fetch_add; a tuple never
// changes, so an index past the end stays past it), and the tuple stays referenced until the
// iterator dies, so a racing next() never reads a released tuple.
struct SeqIter {
  Object header;
  Value seq;  // owned; null only after the collector's clear
  std::atomic<std::size_t> index;
};

Value tuple_iter(Value self) {
  Object* o = runtime::alloc_object(&g_tuple_iter_type.rt, sizeof(SeqIter));
  if (!o) return raise_no_memory();
  auto* it = reinterpret_cast<SeqIter*>(o);
  it->seq = newref(self);
  it->index.store(0, std::memory_order_relaxed);
  runtime::gc_track(o);
  return Value::from(o);
}

Value tuple_iter_next(Value self) {
  auto* it = reinterpret_cast<SeqIter*>(self.obj());
  if (!it->seq) return Value::null();
  TupleObject* t = T(it->seq);
  // Relaxed: the tuple's items were published before the iterator could see the tuple.
  // Checked first, so an exhausted iterator's index stops growing.
  if (it->index.load(std::memory_order_relaxed) >= t->size) return Value::null();
  std::size_t i = it->index.fetch_add(1, std::memory_order_relaxed);
  if (i < t->size) return newref(t->items[i]);
  return Value::null();
}

Value tuple_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (no_kwargs("tuple", kwnames) < 0) return Value::null();
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "tuple expected at most 1 argument, got {}", nargs);
  if (nargs == 0) return make_tuple(0);
  return tuple_from_iterable(args[0]);
}

}  // namespace

// index/count shared by tuple and list: Which 0 = index, 1 = count.
Value seq_index_count(const char* tname, const Value* items, std::size_t n, const Value* args,
                      std::size_t nargs, TupleObject* kw, bool count) {
  if (no_kwargs(count ? "count" : "index", kw) < 0) return Value::null();
  if (count) {
    if (nargs != 1)
      return raise_fmt(&g_TypeError, "{}.count() takes exactly one argument ({} given)", tname,
                       nargs);
    std::int64_t c = 0;
    for (std::size_t i = 0; i < n; i++) {
      int r = richcompare_bool(items[i], args[0], CompareOp::Eq);
      if (r < 0) return Value::null();
      c += r;
    }
    return make_int(c);
  }
  if (nargs < 1 || nargs > 3)
    return raise_fmt(&g_TypeError, "index expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 3", nargs);
  std::int64_t len = std::int64_t(n), start = 0, stop = len;
  if (nargs > 1 && !index_value(args[1], &start, "start")) return Value::null();
  if (nargs > 2 && !index_value(args[2], &stop, "stop")) return Value::null();
  if (start < 0) start = std::max<std::int64_t>(0, start + len);
  if (stop < 0) stop = std::max<std::int64_t>(0, stop + len);
  for (std::int64_t i = start; i < stop && i < std::int64_t(n); i++) {
    int r = richcompare_bool(items[i], args[0], CompareOp::Eq);
    if (r < 0) return Value::null();
    if (r) return make_int(i);
  }
  if (tname[0] == 't') return raise(&g_ValueError, "tuple.index(x): x not in tuple");
  Value r = repr(args[0]);
  if (!r) return r;
  Value e = raise_fmt(&g_ValueError, "{} is not in list", as_str(r)->view());
  decref(r);
  return e;
}

namespace {

Value m_index(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return seq_index_count("tuple", T(self)->items, T(self)->size, args, nargs, kw, false);
}
Value m_count(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return seq_index_count("tuple", T(self)->items, T(self)->size, args, nargs, kw, true);
}
const NativeMethodDef k_methods[] = {{"index", m_index}, {"count", m_count}, {nullptr, nullptr}};

void seq_iter_dealloc(Object* o) {
  runtime::gc_untrack(o);
  Value s = reinterpret_cast<SeqIter*>(o)->seq;
  runtime::free_object(o);
  xdecref(s);
}
int seq_iter_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  FTPY_VISIT(reinterpret_cast<SeqIter*>(o)->seq);
  return 0;
}
void seq_iter_clear(Object* o) {
  auto* it = reinterpret_cast<SeqIter*>(o);
  Value s = it->seq;
  it->seq = Value::null();
  xdecref(s);
}
Value self_iter(Value self) { return newref(self); }

}  // namespace

bool init_tuple_type() {
  TypeObject* t = &g_tuple_type;
  if (!setup_type(t, "tuple", &g_object_type, sizeof(TupleObject), true, tuple_dealloc))
    return false;
  t->rt.traverse = tuple_traverse;
  t->rt.clear = tuple_clear;
  t->hash = tuple_hash;
  t->richcompare = tuple_richcompare;
  t->repr = tuple_repr;
  t->len = tuple_len;
  t->truthy = tuple_truthy;
  t->contains = tuple_contains;
  t->getitem = tuple_getitem;
  t->iter = tuple_iter;
  t->binary[int(BinaryOp::Add)] = tuple_add;
  t->binary[int(BinaryOp::Mul)] = tuple_mul;
  t->new_ = tuple_new;
  if (add_native_methods(t, k_methods) < 0) return false;
  Object* e = static_cast<Object*>(std::calloc(1, sizeof(TupleObject)));
  if (!e) return false;
  e->ob_type = &t->rt;
  runtime::make_immortal(e);
  g_empty_tuple = reinterpret_cast<TupleObject*>(e);
  if (!setup_type(&g_tuple_iter_type, "tuple_iterator", &g_object_type, sizeof(SeqIter), true,
                  seq_iter_dealloc))
    return false;
  g_tuple_iter_type.rt.traverse = seq_iter_traverse;
  g_tuple_iter_type.rt.clear = seq_iter_clear;
  g_tuple_iter_type.iter = self_iter;
  g_tuple_iter_type.iternext = tuple_iter_next;
  return true;
}

}  // namespace ftpy::interp
