// range_type.cpp: range (start, stop, step and the precomputed length; immutable) with a fast
// iterator, and slice objects with CPython's index resolution (slice_indices).
#include <string>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_range_type, g_slice_type, g_range_iter_type;

namespace {

inline RangeObject* R(Value v) { return reinterpret_cast<RangeObject*>(v.obj()); }

// |step| as unsigned: exact for INT64_MIN too.
std::uint64_t step_magnitude(std::int64_t step) {
  return step < 0 ? std::uint64_t(0) - std::uint64_t(step) : std::uint64_t(step);
}

// The number of items, up to 2**64 - 1 (range(-2**63, 2**63 - 1) has 2**64 - 1), so unsigned:
// stop - start may not fit in int64 either.
std::uint64_t range_length(std::int64_t start, std::int64_t stop, std::int64_t step) {
  if (step > 0 && start < stop)
    return (std::uint64_t(stop) - std::uint64_t(start) - 1) / std::uint64_t(step) + 1;
  if (step < 0 && start > stop)
    return (std::uint64_t(start) - std::uint64_t(stop) - 1) / step_magnitude(step) + 1;
  return 0;
}

// Item i (i < length) of start, start + step, ...: always between start and stop, so the
// wrapping sum is exact.
std::int64_t item_at(std::int64_t start, std::int64_t step, std::uint64_t i) {
  return std::int64_t(std::uint64_t(start) + i * std::uint64_t(step));
}
std::int64_t range_item(const RangeObject* r, std::uint64_t i) {
  return item_at(r->start, r->step, i);
}

// A length as a Python int, or OverflowError past int64 (ftpy's ints are 64-bit).
bool length_fits(const RangeObject* r) {
  if (r->length <= std::uint64_t(INT64_MAX)) return true;
  raise(&g_OverflowError, "Python int too large to convert to C ssize_t");
  return false;
}

Value make_range(std::int64_t start, std::int64_t stop, std::int64_t step) {
  Object* o = runtime::alloc_object(&g_range_type.rt, sizeof(RangeObject));
  if (!o) return raise_no_memory();
  RangeObject* r = reinterpret_cast<RangeObject*>(o);
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->length = range_length(start, stop, step);
  return Value::from(o);
}

Value range_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("range", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 3) {
    if (nargs < 1) return raise(&g_TypeError, "range expected at least 1 argument, got 0");
    return raise_fmt(&g_TypeError, "range expected at most 3 arguments, got {}", nargs);
  }
  std::int64_t v[3] = {0, 0, 1};
  for (std::size_t i = 0; i < nargs; i++)
    if (!index_value(args[i], &v[i], "range")) return Value::null();
  if (nargs == 1) return make_range(0, v[0], 1);
  if (v[2] == 0) return raise(&g_ValueError, "range() arg 3 must not be zero");
  return make_range(v[0], v[1], v[2]);
}

Value range_repr(Value self) {
  RangeObject* r = R(self);
  if (r->step == 1) return make_str_owned(fmt::format("range({}, {})", r->start, r->stop));
  return make_str_owned(fmt::format("range({}, {}, {})", r->start, r->stop, r->step));
}

std::int64_t range_len(Value self) {
  return length_fits(R(self)) ? std::int64_t(R(self)->length) : -1;
}
int range_truthy(Value self) { return R(self)->length != 0; }

Value range_slice(const RangeObject* r, Value slice);

Value range_getitem(Value self, Value key) {
  RangeObject* r = R(self);
  if (is_int(key)) {
    std::int64_t i = int_value_unchecked(key);
    std::uint64_t back = std::uint64_t(0) - std::uint64_t(i);  // |i| for a negative i
    if (i < 0 ? back > r->length : std::uint64_t(i) >= r->length)
      return raise(&g_IndexError, "range object index out of range");
    return make_int(range_item(r, i < 0 ? r->length - back : std::uint64_t(i)));
  }
  if (is_exact(key, &g_slice_type)) return range_slice(r, key);
  return raise_fmt(&g_TypeError, "range indices must be integers or slices, not {}",
                   type_name(key));
}

// Whether int v is an item of r, and if so its index (in *index): by arithmetic, exact in
// unsigned arithmetic at the 64-bit edges.
bool int_position(const RangeObject* r, std::int64_t v, std::uint64_t* index) {
  if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop)) return false;
  std::uint64_t distance = r->step > 0 ? std::uint64_t(v) - std::uint64_t(r->start)
                                       : std::uint64_t(r->start) - std::uint64_t(v);
  if (distance % step_magnitude(r->step) != 0) return false;
  *index = distance / step_magnitude(r->step);
  return true;
}

// Any other value, by equality with each item, as CPython: how many are equal (first: stop
// at the first, its index), or -1 with an exception set; -2 when first and none is equal.
std::int64_t scan_equal(const RangeObject* r, Value x, bool first) {
  std::int64_t found = 0;
  for (std::uint64_t i = 0; i < r->length; i++) {
    Value v = make_int(range_item(r, i));
    if (!v) return -1;
    int c = richcompare_bool(v, x, CompareOp::Eq);
    decref(v);
    if (c < 0) return -1;
    if (c && first) return std::int64_t(i);
    found += c;
  }
  return first ? -2 : found;
}

int range_contains(Value self, Value x) {
  std::uint64_t i;
  if (is_int(x)) return int_position(R(self), int_value_unchecked(x), &i);
  std::int64_t n = scan_equal(R(self), x, true);
  return n == -1 ? -1 : n >= 0;
}

// range.count(x) and range.index(x).
Value range_count_index(Value self, const Value* args, std::size_t nargs, TupleObject* kw,
                        bool count) {
  if (no_kwargs(count ? "count" : "index", kw) < 0) return Value::null();
  if (nargs != 1)
    return raise_fmt(&g_TypeError, "range.{}() takes exactly one argument ({} given)",
                     count ? "count" : "index", nargs);
  RangeObject* r = R(self);
  Value x = args[0];
  std::int64_t n;
  if (is_int(x)) {
    std::uint64_t i;
    bool in = int_position(r, int_value_unchecked(x), &i);
    if (count) return make_int(in);
    if (in && i > std::uint64_t(INT64_MAX))
      return raise(&g_OverflowError, "Python int too large to convert to C int64");
    n = in ? std::int64_t(i) : -2;
  } else {
    n = scan_equal(r, x, !count);
    if (n == -1 || count) return n == -1 ? Value::null() : make_int(n);
  }
  if (n >= 0) return make_int(n);
  Value rx = repr(x);
  if (!rx) return rx;
  Value err = raise_fmt(&g_ValueError, "{} is not in range", as_str(rx)->view());
  decref(rx);
  return err;
}
Value m_count(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return range_count_index(self, args, nargs, kw, true);
}
Value m_index(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return range_count_index(self, args, nargs, kw, false);
}
const NativeMethodDef k_methods[] = {{"index", m_index}, {"count", m_count}, {nullptr, nullptr}};

Value range_richcompare(Value a, Value b, CompareOp op) {
  if (!is_exact(b, &g_range_type) || (op != CompareOp::Eq && op != CompareOp::Ne))
    return not_implemented();
  RangeObject *x = R(a), *y = R(b);
  bool eq = x->length == y->length &&
            (x->length == 0 || (x->start == y->start && (x->length == 1 || x->step == y->step)));
  return py_bool(op == CompareOp::Eq ? eq : !eq);
}

std::int64_t range_hash(Value self) {
  // CPython's: equal ranges hash alike, so only what equality compares takes part:
  // (len, None, None) when empty, (1, start, None) for one item, else (len, start, step). A
  // length past int64 stands in as its residue mod 2**61 - 1, which is its hash as an int.
  RangeObject* r = R(self);
  constexpr std::uint64_t k_modulus = (std::uint64_t(1) << 61) - 1;
  std::uint64_t n = r->length;
  Value t[3] = {make_int(std::int64_t(n <= std::uint64_t(INT64_MAX) ? n : n % k_modulus)),
                n == 0 ? none() : make_int(r->start), n <= 1 ? none() : make_int(r->step)};
  Value tup = make_tuple_from(t, 3);
  for (Value v : t) decref(v);
  if (!tup) return -1;
  std::int64_t h = hash(tup);
  decref(tup);
  return h;
}

// Threads may share one iterator: each item is handed out once (fetch_add on its index).
struct RangeIter {
  Object header;
  std::int64_t start, step;
  std::uint64_t length;
  std::atomic<std::uint64_t> index;
};

Value new_range_iter(std::int64_t start, std::int64_t step, std::uint64_t length) {
  Object* o = runtime::alloc_object(&g_range_iter_type.rt, sizeof(RangeIter));
  if (!o) return raise_no_memory();
  auto* it = reinterpret_cast<RangeIter*>(o);
  it->start = start;
  it->step = step;
  it->length = length;
  it->index.store(0, std::memory_order_relaxed);
  return Value::from(o);
}

Value range_iter(Value self) {
  RangeObject* r = R(self);
  return new_range_iter(r->start, r->step, r->length);
}

}  // namespace

// reversed(range): the same items from the last, stepping by -step (wrapping, so exact for
// a step of -2**63 too).
Value range_reversed(Value range) {
  RangeObject* r = R(range);
  return new_range_iter(r->length ? range_item(r, r->length - 1) : 0,
                        std::int64_t(std::uint64_t(0) - std::uint64_t(r->step)), r->length);
}

namespace {

Value range_iter_next(Value self) {
  auto* it = reinterpret_cast<RangeIter*>(self.obj());
  // Checked first, so an exhausted iterator's index stops growing (2**64 calls never come).
  if (it->index.load(std::memory_order_relaxed) >= it->length) return Value::null();
  std::uint64_t i = it->index.fetch_add(1, std::memory_order_relaxed);
  if (i >= it->length) return Value::null();
  return make_int(item_at(it->start, it->step, i));
}

Value self_iter(Value self) { return newref(self); }

Value get_start(Value self) { return make_int(R(self)->start); }
Value get_stop(Value self) { return make_int(R(self)->stop); }
Value get_step(Value self) { return make_int(R(self)->step); }

// --- slices -----------------------------------------------------------------------------------
inline SliceObject* SL(Value v) { return reinterpret_cast<SliceObject*>(v.obj()); }

void slice_dealloc(Object* o) {
  runtime::gc_untrack(o);
  auto* s = reinterpret_cast<SliceObject*>(o);
  Value a = s->start, b = s->stop, c = s->step;
  runtime::free_object(o);
  xdecref(a);
  xdecref(b);
  xdecref(c);
}
int slice_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* s = reinterpret_cast<SliceObject*>(o);
  FTPY_VISIT(s->start);
  FTPY_VISIT(s->stop);
  FTPY_VISIT(s->step);
  return 0;
}
// The GC's clear, for an unreachable slice (dealloc then drops None).
void slice_clear(Object* o) {
  auto* s = reinterpret_cast<SliceObject*>(o);
  Value a = s->start, b = s->stop, c = s->step;
  s->start = s->stop = s->step = none();
  decref(a);
  decref(b);
  decref(c);
}
// Only a slice that holds a container can be part of a cycle: the usual ones (numbers and
// None, as every x[a:b] makes) stay untracked, and the collector never looks at them.
bool may_hold_cycle(Value v) {
  return v.is_object() && (v.obj()->ob_type->flags & runtime::type_flags::k_gc);
}

Value slice_repr(Value self) {
  Value parts[3] = {repr(SL(self)->start), Value::null(), Value::null()};
  if (parts[0]) parts[1] = repr(SL(self)->stop);
  if (parts[1]) parts[2] = repr(SL(self)->step);
  Value out = Value::null();
  if (parts[2])
    out = make_str_owned(fmt::format("slice({}, {}, {})", as_str(parts[0])->view(),
                                     as_str(parts[1])->view(), as_str(parts[2])->view()));
  for (Value p : parts) xdecref(p);
  return out;
}

Value slice_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("slice", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 3)
    return raise_fmt(&g_TypeError, "slice expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 3", nargs);
  if (nargs == 1) return make_slice(none(), args[0], none());
  return make_slice(args[0], args[1], nargs == 3 ? args[2] : none());
}

Value get_sstart(Value self) { return newref(SL(self)->start); }
Value get_sstop(Value self) { return newref(SL(self)->stop); }
Value get_sstep(Value self) { return newref(SL(self)->step); }

int slice_bound(Value v, std::int64_t* out) {
  if (v == none()) return 0;
  if (!as_int64(v, out)) {
    raise(&g_TypeError, "slice indices must be integers or None or have an __index__ method");
    return -1;
  }
  return 1;
}

// A slice's bounds resolved against a sequence of length `len` (CPython's
// PySlice_Unpack + PySlice_AdjustIndices): a None start or stop is the end the step walks
// from or to, a negative one counts from the end, both are clamped to [-1, len]. I is the
// width to compute in: int64 for sequences, 128 bits for ranges (lengths up to 2**64 - 1).
// 0, or -1 with TypeError / ValueError set.
template <class I>
int resolve_slice(Value slice, I len, std::int64_t* step, I* start, I* stop) {
  SliceObject* sl = SL(slice);
  std::int64_t v[3] = {0, 0, 1};
  int has[3];
  if ((has[2] = slice_bound(sl->step, &v[2])) < 0 || (has[0] = slice_bound(sl->start, &v[0])) < 0 ||
      (has[1] = slice_bound(sl->stop, &v[1])) < 0)
    return -1;
  if (v[2] == 0) {
    raise(&g_ValueError, "slice step cannot be zero");
    return -1;
  }
  bool back = v[2] < 0;
  auto resolve = [&](int i) -> I {
    // A None stop with a negative step means "before index 0" (-1, not from the end).
    if (!has[i]) return i == 0 ? (back ? len - 1 : 0) : (back ? -1 : len);
    I x = v[i];
    if (x < 0) {
      x += len;
      if (x < 0) x = back ? -1 : 0;
    } else if (x >= len) {
      x = back ? len - 1 : len;
    }
    return x;
  };
  *step = v[2];
  *start = resolve(0);
  *stop = resolve(1);
  return 0;
}

// r[slice], CPython's compute_slice: the items at the resolved start and stop index bound the
// new range. They and the new step must fit in 64 bits (ftpy's ints), or OverflowError.
__extension__ using Wide = __int128;
Value range_slice(const RangeObject* r, Value slice) {
  std::int64_t step;
  Wide start, stop;
  if (resolve_slice<Wide>(slice, r->length, &step, &start, &stop) < 0) return Value::null();
  Wide nstart = Wide(r->start) + start * r->step, nstop = Wide(r->start) + stop * r->step;
  Wide nstep = Wide(r->step) * step;
  auto fits = [](Wide x) { return x >= INT64_MIN && x <= INT64_MAX; };
  if (!fits(nstart) || !fits(nstop) || !fits(nstep))
    return raise(&g_OverflowError, "Python int too large to convert to C int64");
  return make_range(std::int64_t(nstart), std::int64_t(nstop), std::int64_t(nstep));
}

}  // namespace

void range_bounds(Value range, std::int64_t* start, std::int64_t* step, std::uint64_t* length) {
  *start = R(range)->start;
  *step = R(range)->step;
  *length = R(range)->length;
}

Value make_slice(Value start, Value stop, Value step) {
  Object* o = runtime::alloc_object(&g_slice_type.rt, sizeof(SliceObject));
  if (!o) return raise_no_memory();
  auto* s = reinterpret_cast<SliceObject*>(o);
  s->start = newref(start ? start : none());
  s->stop = newref(stop ? stop : none());
  s->step = newref(step ? step : none());
  if (may_hold_cycle(s->start) || may_hold_cycle(s->stop) || may_hold_cycle(s->step))
    runtime::gc_track(o);
  return Value::from(o);
}

int slice_indices(Value slice, std::int64_t len, std::int64_t* start, std::int64_t* stop,
                  std::int64_t* step, std::int64_t* slicelen) {
  std::int64_t st, a, b;
  if (resolve_slice<std::int64_t>(slice, len, &st, &a, &b) < 0) return -1;
  if (st == INT64_MIN) st = -INT64_MAX;  // so -st below is defined; same items for len < 2**63
  std::int64_t n = 0;
  if (st < 0) {
    if (b < a) n = (a - b - 1) / (-st) + 1;
  } else {
    if (a < b) n = (b - a - 1) / st + 1;
  }
  *start = a;
  *stop = b;
  *step = st;
  *slicelen = n;
  return 0;
}

bool init_range_type() {
  TypeObject* t = &g_range_type;
  if (!setup_type(t, "range", &g_object_type, sizeof(RangeObject), false, runtime::free_object))
    return false;
  t->new_ = range_new;
  t->repr = range_repr;
  t->len = range_len;
  t->truthy = range_truthy;
  t->getitem = range_getitem;
  t->contains = range_contains;
  t->richcompare = range_richcompare;
  t->hash = range_hash;
  t->iter = range_iter;
  if (add_getset(t, "start", get_start, nullptr) < 0 || add_getset(t, "stop", get_stop, nullptr) < 0 ||
      add_getset(t, "step", get_step, nullptr) < 0 || add_native_methods(t, k_methods) < 0)
    return false;
  if (!setup_type(&g_range_iter_type, "range_iterator", &g_object_type, sizeof(RangeIter), false,
                  runtime::free_object))
    return false;
  g_range_iter_type.iter = self_iter;
  g_range_iter_type.iternext = range_iter_next;
  TypeObject* s = &g_slice_type;
  if (!setup_type(s, "slice", &g_object_type, sizeof(SliceObject), true, slice_dealloc))
    return false;
  s->rt.traverse = slice_traverse;
  s->rt.clear = slice_clear;
  s->repr = slice_repr;
  s->new_ = slice_new;
  return add_getset(s, "start", get_sstart, nullptr) >= 0 &&
         add_getset(s, "stop", get_sstop, nullptr) >= 0 &&
         add_getset(s, "step", get_sstep, nullptr) >= 0;
}

}  // namespace ftpy::interp
