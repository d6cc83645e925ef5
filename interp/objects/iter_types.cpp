// iter_types.cpp: the lazy iterators behind builtins — enumerate, zip, map, filter, reversed —
// and the sequence iterator (iteration through __getitem__ until IndexError). Each holds owned
// references to what it iterates and is a GC object. Threads may share one: the references
// stay until the iterator dies (only the collector's clear, world stopped, drops them early),
// exhaustion is an atomic flag, and the counters are atomic, so a racing next() never reads
// a released object and reversed() and the sequence iterator hand out each index once.
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_enumerate_type, g_zip_type, g_map_type, g_filter_type, g_reversed_type,
    g_seq_iter_type;

namespace {

// One layout serves all: `fn` (map/filter's function), `its` (a tuple of iterators, or for
// enumerate/filter/seq/reversed a single object in its[0]), and a counter.
struct IterObj {
  Object header;
  Value fn;
  Value its;  // owned tuple of iterators, or one object
  std::atomic<std::int64_t> n;
  std::atomic<bool> done;  // exhausted, for good
};

inline IterObj* IT(Value v) { return reinterpret_cast<IterObj*>(v.obj()); }
// Relaxed: the flag orders nothing; what the iterator reads was published before it existed.
inline bool exhausted(IterObj* it) { return !it->its || it->done.load(std::memory_order_relaxed); }

void iter_dealloc(Object* o) {
  if (!trashcan_begin(o)) return;
  runtime::gc_untrack(o);
  auto* it = reinterpret_cast<IterObj*>(o);
  Value f = it->fn, s = it->its;
  runtime::free_object(o);
  xdecref(f);
  xdecref(s);
  trashcan_end();
}
int iter_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  auto* it = reinterpret_cast<IterObj*>(o);
  FTPY_VISIT(it->fn);
  FTPY_VISIT(it->its);
  return 0;
}
void iter_clear(Object* o) {
  auto* it = reinterpret_cast<IterObj*>(o);
  Value f = it->fn, s = it->its;
  it->fn = Value::null();
  it->its = Value::null();
  xdecref(f);
  xdecref(s);
}
Value self_iter(Value self) { return newref(self); }

// Steals fn and its.
Value make_iter_obj(TypeObject* t, Value fn, Value its, std::int64_t n) {
  Object* o = runtime::alloc_object(&t->rt, sizeof(IterObj));
  if (!o) {
    xdecref(fn);
    xdecref(its);
    return raise_no_memory();
  }
  auto* it = reinterpret_cast<IterObj*>(o);
  it->fn = fn;
  it->its = its;
  it->n.store(n, std::memory_order_relaxed);
  it->done.store(false, std::memory_order_relaxed);
  runtime::gc_track(o);
  return Value::from(o);
}

void exhaust(IterObj* it) { it->done.store(true, std::memory_order_relaxed); }

inline Value next_of(Value it) {
  TypeObject* t = type_of(it);
  return t->iternext ? t->iternext(it) : iter_next(it);
}

Value enumerate_next(Value self) {
  IterObj* it = IT(self);
  if (exhausted(it)) return Value::null();
  Value v = next_of(it->its);
  if (!v) {
    if (!error_occurred()) exhaust(it);
    return v;
  }
  std::int64_t i = it->n.fetch_add(1, std::memory_order_relaxed);
  if (i == INT64_MAX) {
    decref(v);
    return raise(&g_OverflowError, "enumerate index overflow");
  }
  Value idx = make_int(i);
  if (!idx) {
    decref(v);
    return idx;
  }
  Value t = make_tuple(2);
  if (!t) {
    decref(v);
    decref(idx);
    return t;
  }
  as_tuple(t)->items[0] = idx;
  as_tuple(t)->items[1] = v;
  return t;
}

Value zip_next(Value self) {
  IterObj* it = IT(self);
  if (exhausted(it)) return Value::null();
  TupleObject* its = as_tuple(it->its);
  if (its->size == 0) return Value::null();
  Value t = make_tuple(its->size);
  if (!t) return t;
  for (std::size_t i = 0; i < its->size; i++) {
    Value v = next_of(its->items[i]);
    if (!v) {
      decref(t);
      if (!error_occurred()) exhaust(it);
      return Value::null();
    }
    as_tuple(t)->items[i] = v;
  }
  return t;
}

Value map_next(Value self) {
  IterObj* it = IT(self);
  if (exhausted(it)) return Value::null();
  TupleObject* its = as_tuple(it->its);
  Value buf[8];
  Value* args = its->size <= 8 ? buf : static_cast<Value*>(mem_alloc(its->size * sizeof(Value)));
  if (!args) return raise_no_memory();
  std::size_t got = 0;
  Value r = Value::null();
  for (; got < its->size; got++) {
    Value v = next_of(its->items[got]);
    if (!v) break;
    args[got] = v;
  }
  if (got == its->size) r = call(it->fn, args, got, nullptr);
  else if (!error_occurred()) exhaust(it);
  for (std::size_t i = 0; i < got; i++) decref(args[i]);
  if (args != buf) mem_free(args);
  return r;
}

Value filter_next(Value self) {
  IterObj* it = IT(self);
  for (;;) {
    if (exhausted(it)) return Value::null();
    Value v = next_of(it->its);
    if (!v) {
      if (!error_occurred()) exhaust(it);
      return v;
    }
    int ok;
    if (it->fn == none()) {
      ok = truthy(v);
    } else {
      Value r = call1(it->fn, v);
      if (!r) {
        decref(v);
        return r;
      }
      ok = truthy(r);
      decref(r);
    }
    if (ok < 0) {
      decref(v);
      return Value::null();
    }
    if (ok) return v;
    decref(v);
  }
}

// reversed(): its = the sequence, n = next index (counting down), taken by compare-and-swap.
Value reversed_next(Value self) {
  IterObj* it = IT(self);
  if (exhausted(it)) return Value::null();
  std::int64_t i = it->n.load(std::memory_order_relaxed);
  do {
    if (i < 0) {
      exhaust(it);
      return Value::null();
    }
  } while (!it->n.compare_exchange_weak(i, i - 1, std::memory_order_relaxed));
  Value seq = it->its;
  if (is_list(seq)) {
    if (std::size_t(i) >= list_size(seq)) {
      exhaust(it);
      return Value::null();
    }
    Value v = list_get(seq, i);
    if (!v) {  // shrunk meanwhile by another thread
      clear_error();
      exhaust(it);
    }
    return v;
  }
  if (is_tuple(seq)) return newref(as_tuple(seq)->items[i]);
  Value idx = make_int(i);
  if (!idx) return idx;
  Value r = getitem(seq, idx);
  decref(idx);
  if (!r && (error_matches(&g_IndexError) || error_matches(&g_StopIteration))) {
    clear_error();
    exhaust(it);
  }
  return r;
}

// The sequence protocol: seq[0], seq[1], ... until IndexError; each index taken once.
Value seq_iter_next(Value self) {
  IterObj* it = IT(self);
  if (exhausted(it)) return Value::null();
  Value idx = make_int(it->n.fetch_add(1, std::memory_order_relaxed));
  if (!idx) return idx;
  Value r = getitem(it->its, idx);
  decref(idx);
  if (!r && (error_matches(&g_IndexError) || error_matches(&g_StopIteration))) {
    clear_error();
    exhaust(it);
  }
  return r;
}

Value enumerate_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  static const char* const names[] = {"iterable", "start"};
  Value a[2];
  if (parse_args("enumerate", args, nargs, kw, names, 2, 2, 1, a) < 0) return Value::null();
  std::int64_t start = 0;
  if (a[1] && !index_value(a[1], &start, "start")) return Value::null();
  Value it = get_iter(a[0]);
  if (!it) return it;
  return make_iter_obj(&g_enumerate_type, Value::null(), it, start);
}

Value iters_tuple(const Value* args, std::size_t n, const char* what) {
  Value t = make_tuple(n);
  if (!t) return t;
  for (std::size_t i = 0; i < n; i++) {
    Value it = get_iter(args[i]);
    if (!it) {
      if (error_matches(&g_TypeError) && what) {
        clear_error();
        raise_fmt(&g_TypeError, "{} argument #{} must support iteration", what, i + 1);
      }
      decref(t);
      return it;
    }
    as_tuple(t)->items[i] = it;
  }
  return t;
}

Value zip_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  std::size_t nkw = kw ? kw->size : 0;
  for (std::size_t i = 0; i < nkw; i++) {
    if (as_str(kw->items[i])->view() != "strict")
      return raise_fmt(&g_TypeError, "zip() got an unexpected keyword argument '{}'",
                       as_str(kw->items[i])->view());
  }
  Value t = iters_tuple(args, nargs - nkw, "zip");
  if (!t) return t;
  return make_iter_obj(&g_zip_type, Value::null(), t, 0);
}

Value map_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("map", kw) < 0) return Value::null();
  if (nargs < 2) return raise(&g_TypeError, "map() must have at least two arguments.");
  Value t = iters_tuple(args + 1, nargs - 1, nullptr);
  if (!t) return t;
  return make_iter_obj(&g_map_type, newref(args[0]), t, 0);
}

Value filter_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("filter", kw) < 0) return Value::null();
  if (nargs != 2) return raise_fmt(&g_TypeError, "filter expected 2 arguments, got {}", nargs);
  Value it = get_iter(args[1]);
  if (!it) return it;
  return make_iter_obj(&g_filter_type, newref(args[0]), it, 0);
}

Value reversed_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("reversed", kw) < 0) return Value::null();
  if (nargs != 1) return raise_fmt(&g_TypeError, "reversed expected 1 argument, got {}", nargs);
  Value seq = args[0];
  TypeObject* t = type_of(seq);
  if (t == &g_range_type) return range_reversed(seq);
  if (t->tp_flags & k_tp_heaptype) {
    Value m = type_lookup(t, g_names.dunder_reversed);
    if (m) return call1(m, seq);
  }
  if (t == &g_dict_type || !t->getitem || !t->len)
    return raise_fmt(&g_TypeError, "'{}' object is not reversible", t->name->view());
  std::int64_t n = length(seq);
  if (n < 0) return Value::null();
  return make_iter_obj(&g_reversed_type, Value::null(), newref(seq), n - 1);
}

struct Def {
  TypeObject* t;
  const char* name;
  Value (*next)(Value);
  Value (*new_)(TypeObject*, const Value*, std::size_t, TupleObject*);
};

}  // namespace

Value make_seq_iter(Value seq) {
  return make_iter_obj(&g_seq_iter_type, Value::null(), newref(seq), 0);
}

bool init_iter_types() {
  const Def defs[] = {
      {&g_enumerate_type, "enumerate", enumerate_next, enumerate_new},
      {&g_zip_type, "zip", zip_next, zip_new},
      {&g_map_type, "map", map_next, map_new},
      {&g_filter_type, "filter", filter_next, filter_new},
      {&g_reversed_type, "reversed", reversed_next, reversed_new},
      {&g_seq_iter_type, "iterator", seq_iter_next, nullptr},
  };
  for (const Def& d : defs) {
    if (!setup_type(d.t, d.name, &g_object_type, sizeof(IterObj), true, iter_dealloc))
      return false;
    d.t->rt.traverse = iter_traverse;
    d.t->rt.clear = iter_clear;
    d.t->iter = self_iter;
    d.t->iternext = d.next;
    d.t->new_ = d.new_;
  }
  return true;
}

}  // namespace ftpy::interp
