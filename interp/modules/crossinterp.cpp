// crossinterp.cpp: the registry of shareable types, XiData's copies, and XiQueue (see
// crossinterp.h for the contract).
#include "interp/modules/crossinterp.h"

#include <new>

#include <fmt/format.h>

#include "interp/modules/subinterp.h"
#include "interp/objects/types_internal.h"
#include "sync/parking_lot.h"

namespace ftpy::interp {

// ---- XiData ---------------------------------------------------------------------------------

XiData::XiData(XiData&& o) noexcept
    : kind(o.kind), i(o.i), f(o.f), s(std::move(o.s)), items(std::move(o.items)),
      queue(o.queue) {
  o.queue = nullptr;
  o.kind = Kind::None;
}

XiData& XiData::operator=(XiData&& o) noexcept {
  if (this != &o) {
    if (queue) xi_queue_decref(queue);
    kind = o.kind;
    i = o.i;
    f = o.f;
    s = std::move(o.s);
    items = std::move(o.items);
    queue = o.queue;
    o.queue = nullptr;
    o.kind = Kind::None;
  }
  return *this;
}

XiData::~XiData() {
  if (queue) xi_queue_decref(queue);
}

// ---- the registry ---------------------------------------------------------------------------

using ShareFn = int (*)(Value v, XiData* out);
using BuildFn = Value (*)(const XiData& d);

struct XiRegistry {
  struct Entry {
    const TypeObject* type;
    XiData::Kind kind;
    ShareFn share;
    BuildFn build;
  };
  std::vector<Entry> entries;  // written by xi_registry_init, read-only afterwards
};

namespace {

int share_none(Value, XiData* out) {
  out->kind = XiData::Kind::None;
  return 0;
}
Value build_none(const XiData&) { return none(); }

int share_bool(Value v, XiData* out) {
  out->kind = XiData::Kind::Bool;
  out->i = v.obj() == &g_true_obj;
  return 0;
}
Value build_bool(const XiData& d) { return py_bool(d.i != 0); }

int share_int(Value v, XiData* out) {
  out->kind = XiData::Kind::Int;
  as_int64(v, &out->i);
  return 0;
}
Value build_int(const XiData& d) { return make_int(d.i); }

int share_float(Value v, XiData* out) {
  out->kind = XiData::Kind::Float;
  out->f = reinterpret_cast<FloatObject*>(v.obj())->value;
  return 0;
}
Value build_float(const XiData& d) { return make_float(d.f); }

int share_str(Value v, XiData* out) {
  out->kind = XiData::Kind::Str;
  out->s = std::string(as_str(v)->view());
  return 0;
}
Value build_str(const XiData& d) { return make_str(d.s); }

int share_tuple(Value v, XiData* out) {
  TupleObject* t = as_tuple(v);
  out->kind = XiData::Kind::Tuple;
  out->items.resize(t->size);
  for (std::size_t k = 0; k < t->size; k++)
    if (xi_share(t->items[k], &out->items[k]) < 0) return -1;
  return 0;
}
Value build_tuple(const XiData& d) {
  Value t = make_tuple(d.items.size());
  if (!t) return t;
  for (std::size_t k = 0; k < d.items.size(); k++) {
    Value item = xi_build(d.items[k]);
    if (!item) {
      decref(t);
      return item;
    }
    as_tuple(t)->items[k] = item;
  }
  return t;
}

int share_queue(Value v, XiData* out) {
  out->kind = XiData::Kind::Queue;
  out->queue = queue_of_handle(v);
  xi_queue_incref(out->queue);
  return 0;
}
Value build_queue(const XiData& d) { return make_queue_handle(d.queue); }

const XiRegistry::Entry* find_entry(const TypeObject* t) {
  for (const XiRegistry::Entry& e : t_vm->interp->xi->entries)
    if (e.type == t) return &e;
  return nullptr;
}

}  // namespace

bool xi_registry_init(VmInterp* vi) {
  auto* r = new (std::nothrow) XiRegistry;
  if (!r) return false;
  using K = XiData::Kind;
  r->entries = {
      {&g_none_type, K::None, share_none, build_none},
      {&g_bool_type, K::Bool, share_bool, build_bool},
      {&g_int_type, K::Int, share_int, build_int},
      {&g_float_type, K::Float, share_float, build_float},
      {&g_str_type, K::Str, share_str, build_str},
      {&g_tuple_type, K::Tuple, share_tuple, build_tuple},
      {&g_xi_queue_type, K::Queue, share_queue, build_queue},
  };
  vi->xi = r;
  return true;
}

void xi_registry_free(VmInterp* vi) {
  delete vi->xi;
  vi->xi = nullptr;
}

int xi_share(Value v, XiData* out) {
  const XiRegistry::Entry* e = find_entry(type_of(v));
  if (!e) {
    // The value's repr, as CPython words it; a repr that fails must not replace the error.
    std::string what;
    if (Value r = repr(v)) {
      what = std::string(as_str(r)->view());
      decref(r);
    } else {
      clear_error();
      what = fmt::format("<{} object>", type_name(v));
    }
    raise_fmt(&g_NotShareableError, "{} does not support cross-interpreter data", what);
    return -1;
  }
  RecursionScope guard(" while sharing a value");  // tuples nest
  if (!guard.ok()) return -1;
  return int_guard([&] { return e->share(v, out); });
}

bool xi_is_shareable(Value v) {
  XiData scratch;
  if (xi_share(v, &scratch) == 0) return true;
  clear_error();
  return false;
}

Value xi_build(const XiData& d) {
  RecursionScope guard(" while building a shared value");  // tuples nest; this C stack may
  if (!guard.ok()) return Value::null();                    // be smaller than the sender's
  for (const XiRegistry::Entry& e : t_vm->interp->xi->entries)
    if (e.kind == d.kind) return native_guard([&] { return e.build(d); });
  return raise(&g_SystemError, "cross-interpreter data of an unregistered kind");
}

// ---- XiQueue --------------------------------------------------------------------------------

namespace {
std::atomic<std::int64_t> g_next_queue_id{1};

bool try_put(XiQueue* q, XiData* d) FTPY_REQUIRES(q->mutex) {
  if (q->maxsize > 0 && std::int64_t(q->items.size()) >= q->maxsize) return false;
  q->items.push_back(std::move(*d));
  return true;
}

bool try_get(XiQueue* q, XiData* out) FTPY_REQUIRES(q->mutex) {
  if (q->items.empty()) return false;
  *out = std::move(q->items.front());
  q->items.pop_front();
  return true;
}

// Tries the put (or get) under the queue's mutex until it succeeds, waiting (detached)
// between tries for another thread's put or get to change the queue, at most until the
// deadline. A success bumps `changes` and wakes the waiters.
XiWait queue_op(XiQueue* q, XiData* d, bool put, sync::Nanos timeout) {
  sync::Nanos deadline = sync::deadline_after(timeout);
  for (;;) {
    std::uint32_t seen;
    bool done;
    {
      sync::MutexGuard g(q->mutex);
      done = put ? try_put(q, d) : try_get(q, d);
      if (done) q->changes.fetch_add(1, std::memory_order_relaxed);
      seen = q->changes.load(std::memory_order_relaxed);
    }
    if (done) {
      sync::parking_lot::unpark_all(&q->changes);
      return XiWait::Ok;
    }
    sync::Nanos left = sync::remaining_until(deadline);
    if (left == 0) return XiWait::TimedOut;
    sync::parking_lot::park(&q->changes, seen, sizeof(std::uint32_t), left, nullptr,
                            /*detach=*/true);
  }
}
}  // namespace

XiQueue* xi_queue_new(std::int64_t maxsize) {
  auto* q = new (std::nothrow) XiQueue;
  if (!q) return nullptr;
  q->id = g_next_queue_id.fetch_add(1, std::memory_order_relaxed);
  q->maxsize = maxsize;
  return q;
}

void xi_queue_incref(XiQueue* q) { q->refs.fetch_add(1, std::memory_order_relaxed); }

namespace {
// Drops d's references to queues (in nested tuples too), adding each queue whose count
// reaches zero to `dead`.
void take_queue_refs(XiData& d, std::vector<XiQueue*>* dead) {
  if (d.queue) {
    // acq_rel: the last holder sees every write the others made before letting go.
    if (d.queue->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) dead->push_back(d.queue);
    d.queue = nullptr;
  }
  for (XiData& item : d.items) take_queue_refs(item, dead);
}
}  // namespace

void xi_queue_decref(XiQueue* q) {
  if (q->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // A queue may hold the last reference to another, and that one to a third: free them from
  // a work list, so a long chain is not a deep recursion.
  std::vector<XiQueue*> dead{q};
  while (!dead.empty()) {
    XiQueue* d = dead.back();
    dead.pop_back();
    {
      sync::MutexGuard g(d->mutex);  // nobody else holds it now; taken for the analysis
      for (XiData& item : d->items) take_queue_refs(item, &dead);
    }
    delete d;
  }
}

XiWait xi_queue_put(XiQueue* q, XiData* d, sync::Nanos timeout) {
  return queue_op(q, d, /*put=*/true, timeout);
}

XiWait xi_queue_get(XiQueue* q, XiData* out, sync::Nanos timeout) {
  return queue_op(q, out, /*put=*/false, timeout);
}

std::int64_t xi_queue_size(XiQueue* q) {
  sync::MutexGuard g(q->mutex);
  return std::int64_t(q->items.size());
}

}  // namespace ftpy::interp
