// list_type.cpp: list — a ListObject whose items live in a separate ListItems array in the Mem
// heap. size <= items->capacity; slots [0, size) hold owned references.
// Threads: every mutation holds the list's critical section (ObjectLock); indexing and
// iteration read without it (list_fetch), and operations that may run Python code while they
// read (repr, comparisons, index/count) work on a snapshot tuple taken under the lock. See
// containers.h for why lock-free reads are safe. Sorting is a stable merge sort with
// insertion-sorted runs; while it runs the list is empty, as in CPython, and a list changed
// by a key function or comparison raises "list modified during sort".
#include <algorithm>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "interp/objects/types_internal.h"
#include "interp/text/text.h"

namespace ftpy::interp {

TypeObject g_list_type;
TypeObject g_list_iter_type;

Value seq_richcompare(const Value* a, std::size_t na, const Value* b, std::size_t nb,
                      CompareOp op);
std::int64_t seq_first_unequal(const Value* a, std::size_t na, const Value* b, std::size_t nb);
Value seq_repr(Value self, const Value* items, std::size_t n, char open, char close,
               bool one_comma);
int seq_contains(const Value* items, std::size_t n, Value x);
Value seq_index_count(const char* tname, const Value* items, std::size_t n, const Value* args,
                      std::size_t nargs, TupleObject* kw, bool count);

namespace {

inline ListObject* L(Value v) { return reinterpret_cast<ListObject*>(v.obj()); }
inline std::size_t size_of(ListObject* l) { return l->size.load(std::memory_order_relaxed); }
inline ListItems* items_of(ListObject* l) { return l->items.load(std::memory_order_relaxed); }
inline Value* data_of(ListObject* l) {
  ListItems* it = items_of(l);
  return it ? it->items : nullptr;
}
inline std::size_t cap_of(ListObject* l) {
  ListItems* it = items_of(l);
  return it ? it->capacity : 0;
}

ListItems* alloc_items(std::size_t cap) {
  if (cap > (std::size_t(1) << 40)) return nullptr;
  auto* it = static_cast<ListItems*>(mem_alloc(sizeof(ListItems) + cap * sizeof(Value)));
  if (it) it->capacity = cap;
  return it;
}

// Ensures capacity >= need (amortised O(1) appends). Small arrays grow by ~1.125x + 6, as
// CPython's. Large ones double: CPython's realloc of a large block remaps its pages in place,
// but here every growth is a new block, a copy and a fault for each newly touched page, and at
// 1.125x the pages touched over a list's growth come to about nine times its final size (half
// the time of building a list of millions by appends went to faults and copies). Doubling
// touches about twice the final size; the capacity beyond the size costs address space, not
// memory, since nothing touches it until an append does.
constexpr std::size_t k_double_from = std::size_t(1) << 15;  // items: 256 KiB of slots
bool reserve(ListObject* l, std::size_t need) {
  std::size_t cap = cap_of(l);
  if (need <= cap) return true;
  std::size_t ncap =
      need >= k_double_from ? 2 * need : need + (need >> 3) + (need < 9 ? 3 : 6);
  ListItems* n = alloc_items(ncap);
  if (!n) return false;
  std::size_t sz = size_of(l);
  if (sz) std::memcpy(n->items, data_of(l), sz * sizeof(Value));
  ListItems* old = items_of(l);
  l->items.store(n, std::memory_order_release);
  free_unlinked_mem(Value::from(&l->header), old);
  return true;
}

// Item i of the list as a new reference, without the lock: false if i is out of range (the
// caller raises IndexError), normalising a negative i first when `negative` is allowed.
bool list_fetch(ListObject* l, std::int64_t i, Value* out) {
  ensure_shared(&l->header);
  ListItems* it = l->items.load(std::memory_order_acquire);
  std::int64_t n = std::int64_t(l->size.load(std::memory_order_acquire));
  if (i < 0) i += n;
  if (i < 0 || i >= n) return false;
  if (it && std::size_t(i) < it->capacity) {
    Value v = slot_load(&it->items[i]);
    if (v) {
      incref(v);
      *out = v;
      return true;
    }
  }
  // The array was swapped under us: read again under the lock.
  ObjectLock lock(Value::from(&l->header), k_short);
  n = std::int64_t(size_of(l));
  if (i >= n) return false;
  *out = newref(data_of(l)[i]);
  return true;
}

}  // namespace

std::size_t list_size(Value list) { return size_of(L(list)); }
Value* list_data(Value list) { return data_of(L(list)); }

// The items as a tuple, taken under the lock (for readers that run Python code as they go).
Value list_snapshot(Value list) {
  ObjectLock lock(list, k_short);
  return make_tuple_from(data_of(L(list)), size_of(L(list)));
}

Value make_list(std::size_t n) {
  Object* o = runtime::alloc_object(&g_list_type.rt, sizeof(ListObject));
  if (!o) return raise_no_memory();
  auto* l = reinterpret_cast<ListObject*>(o);
  if (n) {
    ListItems* it = alloc_items(n);
    if (!it) {
      runtime::free_object(o);
      return raise_no_memory();
    }
    std::memset(static_cast<void*>(it->items), 0, n * sizeof(Value));
    l->items.store(it, std::memory_order_relaxed);
    l->size.store(n, std::memory_order_relaxed);
  }
  runtime::gc_track(o);
  return Value::from(o);
}

int list_append(Value list, Value item) {
  // Appends by several threads move the tail slot's line between cores: start its move now,
  // from a racy read, so that it overlaps the lock's instead of following it inside the
  // section (sync/cpu.h).
  ListObject* l = L(list);
  sync::prefetch_for_write(l);  // the lock, size and items: one line (interp/object.h)
  if (ListItems* it = items_of(l)) sync::prefetch_for_write(&it->items[size_of(l)]);
  ObjectLock lock(list, k_short);
  return list_append_unshared(list, item);
}

int list_append_unshared(Value list, Value item) {
  ListObject* l = L(list);
  std::size_t sz = size_of(l);
  if (sz >= cap_of(l) && !reserve(l, sz + 1)) return raise_no_memory(), -1;
  slot_store(&data_of(l)[sz], newref(item));
  l->size.store(sz + 1, std::memory_order_release);
  return 0;
}

bool list_store_steal(Value list, std::int64_t i, Value v) {
  ObjectLock lock(list, k_short);
  ListObject* l = L(list);
  if (!normalize_index(&i, std::int64_t(size_of(l)))) return false;
  Value* slot = &data_of(l)[i];
  Value old = *slot;
  slot_store(slot, v);
  release_unlinked(list, old);
  return true;
}

Value list_get(Value list, std::int64_t index) {
  Value v;
  if (!list_fetch(L(list), index, &v)) return raise(&g_IndexError, "list index out of range");
  return v;
}

int list_extend(Value list, Value iterable) {
  ListObject* l = L(list);
  if (is_list(iterable) || is_tuple(iterable)) {
    ObjectLock2 lock(list, is_list(iterable) ? iterable : list, k_short);
    // Copy the source's items first: list.extend(itself) must see the original length.
    std::size_t n = is_list(iterable) ? list_size(iterable) : as_tuple(iterable)->size;
    std::size_t sz = size_of(l);
    if (!reserve(l, sz + n)) return raise_no_memory(), -1;
    const Value* src = is_list(iterable) ? list_data(iterable) : as_tuple(iterable)->items;
    Value* dst = data_of(l);
    for (std::size_t i = 0; i < n; i++) slot_store(&dst[sz + i], newref(src[i]));
    l->size.store(sz + n, std::memory_order_release);
    return 0;
  }
  Value it = get_iter(iterable);
  if (!it) return -1;
  TypeObject* t = type_of(it);
  for (;;) {
    Value v = t->iternext ? t->iternext(it) : iter_next(it);
    if (!v) break;
    int r = list_append(list, v);
    decref(v);
    if (r < 0) {
      decref(it);
      return -1;
    }
  }
  decref(it);
  return error_occurred() ? -1 : 0;
}

Value list_from_iterable(Value iterable) {
  Value l = make_list(0);
  if (!l) return l;
  if (is_list(iterable) || is_tuple(iterable) || type_of(iterable)->iter) {
    if (list_extend(l, iterable) < 0) {
      decref(l);
      return Value::null();
    }
    return l;
  }
  Value it = get_iter(iterable);  // raises "'int' object is not iterable"
  if (!it) {
    decref(l);
    return it;
  }
  int r = list_extend(l, it);
  decref(it);
  if (r < 0) {
    decref(l);
    return Value::null();
  }
  return l;
}

namespace {

void list_dealloc(Object* o) {
  if (!trashcan_begin(o)) return;
  runtime::gc_untrack(o);
  auto* l = reinterpret_cast<ListObject*>(o);
  std::size_t n = size_of(l);
  Value* d = data_of(l);
  for (std::size_t i = 0; i < n; i++) xdecref(d[i]);
  mem_free(items_of(l));
  runtime::free_object(o);
  trashcan_end();
}

int list_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* l = reinterpret_cast<ListObject*>(o);
  std::size_t n = size_of(l);
  Value* d = data_of(l);
  for (std::size_t i = 0; i < n; i++) FTPY_VISIT(d[i]);
  return 0;
}

// Empties the list (lock held, or the list unreachable); the references are dropped after the
// list is consistent again, since a dropped item's dealloc may look at this list.
void list_clear_items(ListObject* l) {
  Value self = Value::from(&l->header);
  std::size_t n = size_of(l);
  ListItems* it = items_of(l);
  l->size.store(0, std::memory_order_release);
  l->items.store(nullptr, std::memory_order_release);
  if (it) {
    for (std::size_t i = 0; i < n; i++) release_unlinked(self, it->items[i]);
    free_unlinked_mem(self, it);
  }
}

void list_clear(Object* o) {
  ObjectLock lock(Value::from(o), k_short);
  list_clear_items(reinterpret_cast<ListObject*>(o));
}

Value list_repr(Value v) {
  Value snap = list_snapshot(v);
  if (!snap) return snap;
  Value r = seq_repr(v, as_tuple(snap)->items, as_tuple(snap)->size, '[', ']', false);
  decref(snap);
  return r;
}
std::int64_t list_len(Value v) { return std::int64_t(size_of(L(v))); }
int list_truthy(Value v) { return size_of(L(v)) != 0; }
int list_contains(Value v, Value x) {
  ListObject* l = L(v);
  Value item;
  for (std::int64_t i = 0; list_fetch(l, i, &item); i++) {
    int r = richcompare_bool(item, x, CompareOp::Eq);
    decref(item);
    if (r != 0) return r;
  }
  return 0;
}

Value list_richcompare(Value a, Value b, CompareOp op) {
  if (!is_list(b)) return not_implemented();
  if ((op == CompareOp::Eq || op == CompareOp::Ne) && list_size(a) != list_size(b))
    return py_bool(op == CompareOp::Ne);
  Value sa = list_snapshot(a);
  if (!sa) return sa;
  Value sb = list_snapshot(b);
  if (!sb) {
    decref(sa);
    return sb;
  }
  Value r = seq_richcompare(as_tuple(sa)->items, as_tuple(sa)->size, as_tuple(sb)->items,
                            as_tuple(sb)->size, op);
  decref(sa);
  decref(sb);
  return r;
}

Value slice_copy(ListObject* l, std::int64_t start, std::int64_t step, std::int64_t n) {
  Value r = make_list(std::size_t(n));
  if (!r) return r;
  Value* src = data_of(l);
  Value* dst = list_data(r);
  for (std::int64_t k = 0, i = start; k < n; k++, i += step) dst[k] = newref(src[i]);
  return r;
}

Value list_getitem(Value self, Value key) {
  ListObject* l = L(self);
  if (is_int(key)) {
    Value v;
    if (!list_fetch(l, int_value_unchecked(key), &v))
      return raise(&g_IndexError, "list index out of range");
    return v;
  }
  if (is_exact(key, &g_slice_type)) {
    ObjectLock lock(self, k_short);
    std::int64_t start, stop, step, n;
    if (slice_indices(key, std::int64_t(size_of(l)), &start, &stop, &step, &n) < 0)
      return Value::null();
    return slice_copy(l, start, step, n < 0 ? 0 : n);
  }
  return raise_fmt(&g_TypeError, "list indices must be integers or slices, not {}",
                   type_name(key));
}

// Deletes the slice's items (lock held); the removed references are dropped at the end.
int list_del_slice(ListObject* l, std::int64_t start, std::int64_t step, std::int64_t n) {
  if (n <= 0) return 0;
  std::size_t sz = size_of(l);
  Value* d = data_of(l);
  Value* removed = static_cast<Value*>(mem_alloc(std::size_t(n) * sizeof(Value)));
  if (!removed) return raise_no_memory(), -1;
  if (step < 0) {
    start = start + step * (n - 1);
    step = -step;
  }
  std::size_t w = std::size_t(start);
  std::int64_t k = 0;
  for (std::size_t r = std::size_t(start); r < sz; r++) {
    if (k < n && std::int64_t(r) == start + k * step) {
      removed[k++] = d[r];
      continue;
    }
    slot_store(&d[w++], d[r]);
  }
  l->size.store(sz - std::size_t(n), std::memory_order_release);
  for (std::int64_t i = 0; i < n; i++) release_unlinked(Value::from(&l->header), removed[i]);
  mem_free(removed);
  return 0;
}

int list_ass_slice(Value self, Value key, Value value) {
  ListObject* l = L(self);
  std::int64_t start, stop, step, n;
  if (!value) {
    ObjectLock lock(self, k_short);
    if (slice_indices(key, std::int64_t(size_of(l)), &start, &stop, &step, &n) < 0) return -1;
    return list_del_slice(l, start, step, n < 0 ? 0 : n);
  }
  // Materialise the right-hand side first (it may be this very list; it may run Python code).
  Value src = list_from_iterable(value);
  if (!src) {
    if (error_matches(&g_TypeError)) {
      clear_error();
      // CPython names the extended form by the slice's own step, before any index is
      // computed: a[::1] = 5 is a plain slice assignment.
      Value st = reinterpret_cast<SliceObject*>(key.obj())->step;
      bool extended = st != none() && !(st.is_small_int() && st.small_value() == 1);
      raise(&g_TypeError, extended ? "must assign iterable to extended slice"
                                   : "can only assign an iterable");
    }
    return -1;
  }
  ObjectLock lock(self, k_short);
  if (slice_indices(key, std::int64_t(size_of(l)), &start, &stop, &step, &n) < 0) {
    decref(src);
    return -1;
  }
  if (n < 0) n = 0;
  std::size_t m = list_size(src);
  Value* s = list_data(src);
  if (step != 1) {
    if (std::int64_t(m) != n) {
      decref(src);
      raise_fmt(&g_ValueError, "attempt to assign sequence of size {} to extended slice of size {}",
                m, n);
      return -1;
    }
    Value* d = data_of(l);
    for (std::int64_t k = 0, i = start; k < n; k++, i += step) {
      Value old = d[i];
      slot_store(&d[i], newref(s[k]));
      release_unlinked(self, old);
    }
    decref(src);
    return 0;
  }
  if (stop < start) stop = start;
  std::size_t sz = size_of(l);
  std::size_t removed = std::size_t(stop - start);
  std::size_t nsz = sz - removed + m;
  Value* old = static_cast<Value*>(mem_alloc((removed ? removed : 1) * sizeof(Value)));
  if (!old || !reserve(l, nsz)) {
    mem_free(old);
    decref(src);
    return raise_no_memory(), -1;
  }
  Value* d = data_of(l);
  std::memcpy(static_cast<void*>(old), d + start, removed * sizeof(Value));
  slots_move(self, d + start + m, d + stop, sz - std::size_t(stop));
  for (std::size_t k = 0; k < m; k++) slot_store(&d[std::size_t(start) + k], newref(s[k]));
  l->size.store(nsz, std::memory_order_release);
  for (std::size_t k = 0; k < removed; k++) release_unlinked(self, old[k]);
  mem_free(old);
  decref(src);
  return 0;
}

int list_setitem(Value self, Value key, Value value) {
  ListObject* l = L(self);
  if (is_int(key)) {
    std::int64_t i = int_value_unchecked(key);
    ObjectLock lock(self, k_short);
    if (!normalize_index(&i, std::int64_t(size_of(l)))) {
      raise(&g_IndexError, "list assignment index out of range");
      return -1;
    }
    if (!value) return list_del_slice(l, i, 1, 1);
    Value* d = data_of(l);
    Value old = d[i];
    slot_store(&d[i], newref(value));
    release_unlinked(self, old);
    return 0;
  }
  if (is_exact(key, &g_slice_type)) return list_ass_slice(self, key, value);
  raise_fmt(&g_TypeError, "list indices must be integers or slices, not {}", type_name(key));
  return -1;
}

Value list_add(Value a, Value b) {
  if (!is_list(a)) return not_implemented();
  if (!is_list(b))
    return raise_fmt(&g_TypeError, "can only concatenate list (not \"{}\") to list",
                     type_name(b));
  ObjectLock2 lock(a, b, k_short);
  std::size_t na = list_size(a), nb = list_size(b);
  Value r = make_list(na + nb);
  if (!r) return r;
  Value* d = list_data(r);
  for (std::size_t i = 0; i < na; i++) d[i] = newref(list_data(a)[i]);
  for (std::size_t i = 0; i < nb; i++) d[na + i] = newref(list_data(b)[i]);
  return r;
}

Value list_mul(Value a, Value b) {
  Value l = is_list(a) ? a : b;
  Value n = is_list(a) ? b : a;
  if (!is_list(l)) return not_implemented();
  if (!is_int(n)) {
    if (l == a)
      return raise_fmt(&g_TypeError, "can't multiply sequence by non-int of type '{}'",
                       type_name(n));
    return not_implemented();
  }
  std::int64_t k = int_value_unchecked(n);
  ObjectLock lock(l, k_short);
  std::size_t sz = list_size(l);
  if (k <= 0 || sz == 0) return make_list(0);
  if (std::uint64_t(k) > (std::uint64_t(1) << 36) / sz) return raise_no_memory();
  Value r = make_list(sz * std::size_t(k));
  if (!r) return r;
  Value* d = list_data(r);
  Value* s = list_data(l);
  for (std::int64_t j = 0; j < k; j++)
    for (std::size_t i = 0; i < sz; i++) d[std::size_t(j) * sz + i] = newref(s[i]);
  return r;
}

// --- iterator ---------------------------------------------------------------------------------
// Threads may share one iterator: each index is handed out once (a compare-and-swap on it),
// and the list stays referenced until the iterator dies (only the collector's clear drops it,
// with the world stopped), so a racing next() never reads a released list. Once exhausted
// the index is k_exhausted for good: items appended later are not seen, as in CPython.
struct ListIter {
  Object header;
  Value list;  // owned; null only after the collector's clear
  std::atomic<std::uint64_t> index;
};
constexpr std::uint64_t k_exhausted = ~std::uint64_t(0);

Value list_iter(Value self) {
  Object* o = runtime::alloc_object(&g_list_iter_type.rt, sizeof(ListIter));
  if (!o) return raise_no_memory();
  auto* it = reinterpret_cast<ListIter*>(o);
  it->list = newref(self);
  it->index.store(0, std::memory_order_relaxed);
  runtime::gc_track(o);
  return Value::from(o);
}

Value list_iter_next(Value self) {
  auto* it = reinterpret_cast<ListIter*>(self.obj());
  if (!it->list) return Value::null();
  // Relaxed: the index orders nothing; the items are read through list_fetch's acquires.
  std::uint64_t i = it->index.load(std::memory_order_relaxed);
  while (i != k_exhausted) {
    Value v;
    if (!list_fetch(L(it->list), std::int64_t(i), &v)) {
      if (it->index.compare_exchange_weak(i, k_exhausted, std::memory_order_relaxed)) break;
      continue;
    }
    if (it->index.compare_exchange_weak(i, i + 1, std::memory_order_relaxed)) return v;
    decref(v);  // another thread took index i: try the next one
  }
  return Value::null();
}

void list_iter_dealloc(Object* o) {
  runtime::gc_untrack(o);
  Value s = reinterpret_cast<ListIter*>(o)->list;
  runtime::free_object(o);
  xdecref(s);
}
int list_iter_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  FTPY_VISIT(reinterpret_cast<ListIter*>(o)->list);
  return 0;
}
void list_iter_clear(Object* o) {
  auto* it = reinterpret_cast<ListIter*>(o);
  Value s = it->list;
  it->list = Value::null();
  xdecref(s);
}
Value self_iter(Value self) { return newref(self); }

// --- sort ---------------------------------------------------------------------------------
enum class KeyKind { Generic, SmallInt, Str, Float, Tuple };

// a < b for two exact tuples, as tuple_richcompare decides it (the first items that are not
// equal are compared with <; when one tuple is a prefix of the other, the shorter is less),
// without the generic dispatch to tuple_richcompare and a bool object for the answer.
// -1 error, 1 if a < b, 0 otherwise.
int tuple_lt(Value a, Value b) {
  const TupleObject* ta = as_tuple(a);
  const TupleObject* tb = as_tuple(b);
  std::int64_t i = seq_first_unequal(ta->items, ta->size, tb->items, tb->size);
  if (i < 0) return -1;
  if (std::size_t(i) >= ta->size || std::size_t(i) >= tb->size) return ta->size < tb->size;
  Value x = ta->items[i], y = tb->items[i];
  if (x.is_small_int() && y.is_small_int()) return x.small_value() < y.small_value();
  return richcompare_bool(x, y, CompareOp::Lt);
}

struct Sorter {
  KeyKind kind;
  // -1 error, 1 if a < b, 0 otherwise.
  int lt(Value a, Value b) const {
    switch (kind) {
      case KeyKind::SmallInt: return a.small_value() < b.small_value();
      case KeyKind::Float: return float_value(a) < float_value(b);
      case KeyKind::Str: return text::compare(as_str(a)->view(), as_str(b)->view()) < 0;
      case KeyKind::Tuple: return tuple_lt(a, b);
      default: return richcompare_bool(a, b, CompareOp::Lt);
    }
  }
};

// Sorts keys[0..n) stably, permuting vals alongside (vals may be null). -1 on error (the
// arrays then hold a permutation of their items, nothing lost).
int merge_sort(const Sorter& s, Value* keys, Value* vals, std::size_t n, Value* tk, Value* tv) {
  constexpr std::size_t k_run = 32;
  for (std::size_t lo = 0; lo < n; lo += k_run) {
    std::size_t hi = std::min(n, lo + k_run);
    for (std::size_t i = lo + 1; i < hi; i++) {
      Value k = keys[i];
      Value v = vals ? vals[i] : Value::null();
      // Binary insertion: after every equal key (stability).
      std::size_t l = lo, r = i;
      while (l < r) {
        std::size_t m = (l + r) / 2;
        int c = s.lt(k, keys[m]);
        if (c < 0) return -1;
        if (c) r = m;
        else l = m + 1;
      }
      for (std::size_t j = i; j > l; j--) {
        keys[j] = keys[j - 1];
        if (vals) vals[j] = vals[j - 1];
      }
      keys[l] = k;
      if (vals) vals[l] = v;
    }
  }
  for (std::size_t width = k_run; width < n; width *= 2) {
    for (std::size_t lo = 0; lo + width < n; lo += 2 * width) {
      std::size_t mid = lo + width, hi = std::min(n, lo + 2 * width);
      // Already in order: skip the merge (common for presorted input).
      int c = s.lt(keys[mid], keys[mid - 1]);
      if (c < 0) return -1;
      if (!c) continue;
      std::size_t i = lo, j = mid, o = 0;
      int err = 0;
      while (i < mid && j < hi) {
        int d = err ? 0 : s.lt(keys[j], keys[i]);
        if (d < 0) {
          err = 1;
          d = 0;
        }
        if (d) {
          tk[o] = keys[j];
          if (vals) tv[o] = vals[j];
          j++;
        } else {
          tk[o] = keys[i];
          if (vals) tv[o] = vals[i];
          i++;
        }
        o++;
      }
      while (i < mid) {
        tk[o] = keys[i];
        if (vals) tv[o] = vals[i];
        i++, o++;
      }
      // The rest of [j, hi) is already in place.
      std::memcpy(static_cast<void*>(keys + lo), tk, o * sizeof(Value));
      if (vals) std::memcpy(static_cast<void*>(vals + lo), tv, o * sizeof(Value));
      if (err) return -1;
    }
  }
  return 0;
}

KeyKind classify(const Value* keys, std::size_t n) {
  if (n == 0) return KeyKind::Generic;
  KeyKind k;
  if (keys[0].is_small_int()) k = KeyKind::SmallInt;
  else if (is_exact(keys[0], &g_str_type)) k = KeyKind::Str;
  else if (is_float(keys[0])) k = KeyKind::Float;
  else if (is_exact(keys[0], &g_tuple_type)) k = KeyKind::Tuple;
  else return KeyKind::Generic;
  for (std::size_t i = 1; i < n; i++) {
    Value v = keys[i];
    bool same = k == KeyKind::SmallInt ? v.is_small_int()
                : k == KeyKind::Str    ? is_exact(v, &g_str_type)
                : k == KeyKind::Tuple  ? is_exact(v, &g_tuple_type)
                                       : is_float(v);
    if (!same) return KeyKind::Generic;
  }
  return k;
}

void reverse_values(Value* a, std::size_t n) {
  if (a) std::reverse(a, a + n);
}

}  // namespace

Value list_sort(Value list, Value key, bool reverse) {
  ObjectLock lock(list);  // comparisons and key functions may run Python code
  ListObject* l = L(list);
  std::size_t n = size_of(l);
  ListItems* items = items_of(l);
  l->size.store(0, std::memory_order_release);
  l->items.store(nullptr, std::memory_order_release);
  if (items && writes_shared(&l->header)) {
    // Lock-free readers may still read the old array: sort a private copy instead.
    ListItems* copy = alloc_items(n ? n : 1);
    if (!copy) {
      l->items.store(items, std::memory_order_release);
      l->size.store(n, std::memory_order_release);
      return raise_no_memory();
    }
    std::memcpy(static_cast<void*>(copy->items), items->items, n * sizeof(Value));
    free_unlinked_mem(list, items);
    items = copy;
  }
  Value* vals = items ? items->items : nullptr;
  Value* keys = vals;
  int err = 0;
  bool has_key = key && key != none();
  Value* scratch = nullptr;
  if (n > 1 || has_key) {
    std::size_t per = has_key ? 3 : 1;
    scratch = static_cast<Value*>(mem_alloc((n ? n : 1) * per * sizeof(Value)));
    if (!scratch) {
      raise_no_memory();
      err = 1;
    }
  }
  std::size_t nkeys = 0;
  if (!err && has_key) {
    keys = scratch + 2 * n;
    for (; nkeys < n; nkeys++) {
      Value k = call1(key, vals[nkeys]);
      if (!k) {
        err = 1;
        break;
      }
      keys[nkeys] = k;
    }
  }
  if (!err && n > 1) {
    Sorter s{classify(keys, n)};
    if (reverse) {
      reverse_values(keys, n);
      if (has_key) reverse_values(vals, n);
    }
    err = merge_sort(s, keys, has_key ? vals : nullptr, n, scratch, has_key ? scratch + n : nullptr) < 0;
    if (reverse) {
      reverse_values(keys, n);
      if (has_key) reverse_values(vals, n);
    }
  }
  if (has_key)
    for (std::size_t i = 0; i < nkeys; i++) decref(keys[i]);
  mem_free(scratch);
  // Put the items back; a list changed meanwhile loses those changes, as in CPython.
  bool modified = size_of(l) != 0 || items_of(l) != nullptr;
  if (modified) list_clear_items(l);
  l->items.store(items, std::memory_order_release);
  l->size.store(n, std::memory_order_release);
  if (err) return Value::null();
  if (modified) return raise(&g_ValueError, "list modified during sort");
  return none();
}

namespace {

Value m_append(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("list.append", kw) < 0) return Value::null();
  if (nargs != 1)
    return raise_fmt(&g_TypeError, "list.append() takes exactly one argument ({} given)", nargs);
  if (list_append(self, args[0]) < 0) return Value::null();
  return none();
}

Value m_extend(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("list.extend", kw) < 0) return Value::null();
  if (nargs != 1)
    return raise_fmt(&g_TypeError, "list.extend() takes exactly one argument ({} given)", nargs);
  Value src = args[0];
  if (src == self) {
    Value copy = list_from_iterable(src);
    if (!copy) return copy;
    int r = list_extend(self, copy);
    decref(copy);
    if (r < 0) return Value::null();
    return none();
  }
  if (list_extend(self, src) < 0) return Value::null();
  return none();
}

Value m_insert(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("insert", kw) < 0) return Value::null();
  if (nargs != 2) return raise_fmt(&g_TypeError, "insert expected 2 arguments, got {}", nargs);
  std::int64_t i;
  if (!index_value(args[0], &i, "index")) return Value::null();
  ListObject* l = L(self);
  ObjectLock lock(self, k_short);
  std::int64_t n = std::int64_t(size_of(l));
  if (i < 0) {
    i += n;
    if (i < 0) i = 0;
  }
  if (i > n) i = n;
  if (!reserve(l, std::size_t(n) + 1)) return raise_no_memory();
  Value* d = data_of(l);
  slots_move(self, d + i + 1, d + i, std::size_t(n - i));
  slot_store(&d[i], newref(args[1]));
  l->size.store(std::size_t(n) + 1, std::memory_order_release);
  return none();
}

Value m_pop(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("pop", kw) < 0) return Value::null();
  if (nargs > 1) return raise_fmt(&g_TypeError, "pop expected at most 1 argument, got {}", nargs);
  ListObject* l = L(self);
  std::int64_t i = -1;
  if (nargs == 1 && !index_value(args[0], &i, "index")) return Value::null();
  ObjectLock lock(self, k_short);
  std::int64_t n = std::int64_t(size_of(l));
  if (n == 0) return raise(&g_IndexError, "pop from empty list");
  if (!normalize_index(&i, n)) return raise(&g_IndexError, "pop index out of range");
  Value* d = data_of(l);
  Value v = d[i];
  slots_move(self, d + i, d + i + 1, std::size_t(n - i - 1));
  l->size.store(std::size_t(n - 1), std::memory_order_release);
  return take_unlinked(self, v);
}

Value m_remove(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("list.remove", kw) < 0) return Value::null();
  if (nargs != 1)
    return raise_fmt(&g_TypeError, "list.remove() takes exactly one argument ({} given)", nargs);
  ListObject* l = L(self);
  ObjectLock lock(self);  // comparisons may run Python code
  for (std::size_t i = 0; i < size_of(l); i++) {
    Value item = newref(data_of(l)[i]);
    int r = richcompare_bool(item, args[0], CompareOp::Eq);
    decref(item);
    if (r < 0) return Value::null();
    if (r) {
      if (i < size_of(l) && list_del_slice(l, std::int64_t(i), 1, 1) < 0) return Value::null();
      return none();
    }
  }
  return raise(&g_ValueError, "list.remove(x): x not in list");
}

Value index_count(Value self, const Value* args, std::size_t nargs, TupleObject* kw, bool count) {
  Value snap = list_snapshot(self);
  if (!snap) return snap;
  Value r = seq_index_count("list", as_tuple(snap)->items, as_tuple(snap)->size, args, nargs, kw,
                            count);
  decref(snap);
  return r;
}
Value m_index(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return index_count(self, args, nargs, kw, false);
}
Value m_count(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  return index_count(self, args, nargs, kw, true);
}

Value m_sort(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"key", "reverse"};
  Value a[2];
  if (parse_args("sort", args, nargs, kw, names, 2, 0, 0, a) < 0) return Value::null();
  int rev = 0;
  if (a[1] && (rev = truthy(a[1])) < 0) return Value::null();
  return list_sort(self, a[0], rev);
}

Value m_reverse(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise_fmt(&g_TypeError, "list.reverse() takes no arguments ({} given)", nargs);
  ObjectLock lock(self, k_short);
  Value* d = list_data(self);
  for (std::size_t i = 0, j = list_size(self); i + 1 < j; i++, j--) {
    Value t = d[i];
    slot_store(&d[i], d[j - 1]);
    slot_store(&d[j - 1], t);
  }
  return none();
}

Value m_copy(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise_fmt(&g_TypeError, "list.copy() takes no arguments ({} given)", nargs);
  ObjectLock lock(self, k_short);
  return slice_copy(L(self), 0, 1, std::int64_t(list_size(self)));
}

Value m_clear(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise_fmt(&g_TypeError, "list.clear() takes no arguments ({} given)", nargs);
  ObjectLock lock(self, k_short);
  list_clear_items(L(self));
  return none();
}

Value list_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  if (no_kwargs("list", kwnames) < 0) return Value::null();
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "list expected at most 1 argument, got {}", nargs);
  if (nargs == 0) return make_list(0);
  return list_from_iterable(args[0]);
}

const NativeMethodDef k_methods[] = {
    {"append", m_append}, {"extend", m_extend}, {"insert", m_insert}, {"pop", m_pop},
    {"remove", m_remove}, {"index", m_index},   {"count", m_count},   {"sort", m_sort},
    {"reverse", m_reverse}, {"copy", m_copy},   {"clear", m_clear},   {nullptr, nullptr},
};

}  // namespace

bool init_list_type() {
  TypeObject* t = &g_list_type;
  if (!setup_type(t, "list", &g_object_type, sizeof(ListObject), true, list_dealloc))
    return false;
  t->rt.traverse = list_traverse;
  t->rt.clear = list_clear;
  t->hash = nullptr;
  t->richcompare = list_richcompare;
  t->repr = list_repr;
  t->len = list_len;
  t->truthy = list_truthy;
  t->contains = list_contains;
  t->getitem = list_getitem;
  t->setitem = list_setitem;
  t->iter = list_iter;
  t->binary[int(BinaryOp::Add)] = list_add;
  t->binary[int(BinaryOp::Mul)] = list_mul;
  t->new_ = list_new;
  if (add_native_methods(t, k_methods) < 0) return false;
  if (!setup_type(&g_list_iter_type, "list_iterator", &g_object_type, sizeof(ListIter), true,
                  list_iter_dealloc))
    return false;
  g_list_iter_type.rt.traverse = list_iter_traverse;
  g_list_iter_type.rt.clear = list_iter_clear;
  g_list_iter_type.iter = self_iter;
  g_list_iter_type.iternext = list_iter_next;
  return true;
}

std::string list_validate(Value list) {
  auto* l = reinterpret_cast<ListObject*>(list.obj());
  std::size_t n = l->size.load(std::memory_order_relaxed);
  ListItems* items = l->items.load(std::memory_order_relaxed);
  if (!items) return n == 0 ? "" : fmt::format("size {} with no item array", n);
  if (n > items->capacity) return fmt::format("size {} above capacity {}", n, items->capacity);
  for (std::size_t i = 0; i < n; i++)
    if (!items->items[i]) return fmt::format("item {} of {} is null", i, n);
  return "";
}

}  // namespace ftpy::interp
