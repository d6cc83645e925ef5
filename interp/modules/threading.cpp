// thread_module.cpp: the `threading` module: a native core (thread start and the registry of
// running threads, the `lock` and `RLock` types, thread identity) plus the Python part of the
// module (Thread, Condition, Event, Semaphore, Barrier), compiled from threading.py (embedded as k_threading_source) into
// the same module dict on first import.
//
// Thread start is a three-step hand-off through one ThreadRecord: the starter creates the OS
// thread and waits (detached) on `registered`; the new thread creates and attaches its own
// ThreadState (it must: the thread's heaps belong to the OS thread that creates them), joins
// the registry and sets `registered`; the starter stores `ident`, `_handle` and `_started` on
// the Thread object and sets `go`; only then does the new thread call `run()`. So the Thread
// object's dict is never written by two threads at once during start. At the end the thread
// drops its references, frees its frame stack and destroys its ThreadState while attached,
// leaves the registry and sets `done` (what join waits for). A record is freed by whichever of
// the thread and the handle object lets go of it last (`refs`).
//
// Every blocking wait here (join, lock acquire, the start hand-off) parks with the detach
// hook, so a blocked thread never holds up other threads or a stop-the-world request.
// Lock order: g_registry_mutex is a leaf (nothing is locked or waited on while holding it).
#include "interp/modules/modules.h"
#include "interp/modules/interp_init.h"
#include "interp/modules/threading_py.h"

#include <pthread.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "interp/objects/class.h"
#include "interp/compile/code.h"
#include "interp/vm/function.h"
#include "interp/objects/module_type.h"
#include "interp/vm/import.h"
#include "interp/vm/traceback.h"
#include "interp/vm/vm.h"
#include "runtime/thread_state.h"
#include "sync/event.h"
#include "sync/mutex.h"

namespace ftpy::interp {

namespace {

// ---- the Python part of the module (threading.py) ---------------------------------------------
// Compiled into the module's dict after the native names below are in it. Shared state of each
// object (Condition waiters, Event flag, Semaphore value, Barrier counts) is read and written
// only with the object's lock held. Bare `*` (keyword-only marker) is Tier 2, so `daemon` may
// also be passed by position.

// ---- the thread registry ------------------------------------------------------------------------

struct ThreadRecord {
  std::atomic<int> refs{2};  // the new thread and the starter (then the handle object)
  sync::Event registered;    // new thread -> starter: start_ok says how it went
  sync::Event go;            // starter -> new thread: the Thread object is ready (or abort)
  sync::Event done;          // the thread has ended and destroyed its thread state
  // Written before the event that publishes them (registered, go), read after it.
  bool start_ok = false;
  bool abort = false;
  std::int64_t ident = 0;
  bool daemon = false;
  VmInterp* interp = nullptr;
  Value thread_obj;  // owned; released by the new thread (by the starter if it never attached)
  // The registry's list of running threads; guarded by g_registry_mutex.
  ThreadRecord* prev = nullptr;
  ThreadRecord* next = nullptr;
};

sync::RankedMutex g_registry_mutex{sync::LockRank::ThreadRegistry};
ThreadRecord* g_running FTPY_GUARDED_BY(g_registry_mutex) = nullptr;
long g_running_count FTPY_GUARDED_BY(g_registry_mutex) = 0;
std::atomic<std::int64_t> g_thread_number{0};  // "Thread-N" names, relaxed


constexpr std::size_t k_thread_stack = 16u << 20;  // the VM's C-stack check needs room

void record_release(ThreadRecord* rec) {
  // acq_rel: the last releaser sees every write the others made to the record.
  if (rec->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete rec;
}

void registry_add(ThreadRecord* rec) {
  sync::MutexGuard g(g_registry_mutex);
  rec->next = g_running;
  if (g_running) g_running->prev = rec;
  g_running = rec;
  g_running_count++;
}

void registry_remove(ThreadRecord* rec) {
  sync::MutexGuard g(g_registry_mutex);
  if (rec->prev) rec->prev->next = rec->next;
  else g_running = rec->next;
  if (rec->next) rec->next->prev = rec->prev;
  g_running_count--;
}

std::int64_t os_thread_ident() { return std::int64_t(pthread_self()); }

// Reports an exception that escaped a thread's run() as CPython's threading.excepthook does;
// SystemExit ends the thread silently. Takes the pending exception.
void report_thread_exception(Value thread_obj) {
  Value exc = fetch_error();
  if (!exc || isinstance_of(exc, &g_SystemExit)) {
    xdecref(exc);
    return;
  }
  std::string name = "<unknown>";
  if (Value n = getattr(thread_obj, intern("name"))) {
    if (Value s = str(n)) {
      name = std::string(as_str(s)->view());
      decref(s);
    }
    decref(n);
  }
  clear_error();
  std::string text = "Exception in thread " + name + ":\n" + format_exception(exc);
  clear_error();
  write_stderr(text);
  decref(exc);
}

void* thread_main(void* arg) {
  auto* rec = static_cast<ThreadRecord*>(arg);
  runtime::ThreadStatus status;
  runtime::ThreadState* ts = runtime::ThreadState::create(rec->interp->rt, &status);
  if (!ts) {
    rec->start_ok = false;
    rec->registered.set();  // the starter releases thread_obj and raises
    record_release(rec);
    return nullptr;
  }
  ts->attach();
  VmThread vt;
  vt.ts = ts;
  vt.interp = rec->interp;
  ts->m_upper_state = &vt;
  t_vm = &vt;
  rec->ident = os_thread_ident();
  rec->start_ok = true;
  registry_add(rec);
  rec->registered.set();
  rec->go.wait(/*detach=*/true);
  if (!rec->abort) {
    vt.thread_obj = rec->thread_obj;
    Value r = Value::null();
    if (Value run = getattr(rec->thread_obj, intern("run"))) {
      r = native_guard([&] { return call0(run); });
      decref(run);
    }
    if (r) decref(r);
    else report_thread_exception(rec->thread_obj);
    vt.thread_obj = Value::null();
  }
  Value thread_obj;
  {
    sync::MutexGuard g(g_registry_mutex);  // _running_threads reads it under the same mutex
    thread_obj = rec->thread_obj;
    rec->thread_obj = Value::null();
  }
  decref(thread_obj);
  clear_error();
  free_frame_stack();
  ts->m_upper_state = nullptr;
  ts->destroy();
  t_vm = nullptr;
  registry_remove(rec);
  rec->done.set();
  record_release(rec);
  return nullptr;
}

// ---- argument helpers -----------------------------------------------------------------------

// Lock.acquire's arguments: *timeout_ns in sync/'s convention. -1 with the error set.
int parse_acquire(const char* fname, const Value* args, std::size_t nargs, TupleObject* kwnames,
                  sync::Nanos* timeout_ns) {
  static const char* const k_names[] = {"blocking", "timeout"};
  Value a[2];
  if (parse_args(fname, args, nargs, kwnames, k_names, 2, 2, 0, a) < 0) return -1;
  bool blocking = true;
  if (a[0]) {
    int t = truthy(a[0]);
    if (t < 0) return -1;
    blocking = t;
  }
  double timeout = -1;
  if (a[1] && !seconds_arg(a[1], &timeout)) return -1;
  if (!blocking && timeout != -1) {
    raise(&g_ValueError, "can't specify a timeout for a non-blocking call");
    return -1;
  }
  if (timeout < 0 && timeout != -1) {
    raise(&g_ValueError, "timeout value must be a non-negative number");
    return -1;
  }
  if (timeout > 9223372036.0) {
    raise(&g_OverflowError, "timeout value is too large");
    return -1;
  }
  if (!blocking) *timeout_ns = 0;
  else if (timeout == -1) *timeout_ns = sync::k_forever;
  else *timeout_ns = sync::Nanos(timeout * 1e9);
  return 0;
}


// ---- lock ---------------------------------------------------------------------------------------
// Any thread may release a lock (CPython's Lock has no owner). Waiting parks with the detach hook.
// `held` is set after each acquire and taken back by the one release that may unlock: two
// threads releasing the same lock at once (a buggy program) get one unlock and one
// RuntimeError, never an unlock of a free mutex.

TypeObject g_lock_type;

struct LockObject {
  Object header;
  sync::Mutex mutex;
  std::atomic<bool> held;
};
LockObject* lock_obj(Value v) { return reinterpret_cast<LockObject*>(v.obj()); }
sync::Mutex& lock_of(Value v) { return lock_obj(v)->mutex; }

Value lock_new(TypeObject*, const Value*, std::size_t nargs, TupleObject* kwnames) {
  ARGS("lock", 0, 0);
  Object* o = runtime::alloc_object(&g_lock_type.rt, sizeof(LockObject));
  if (!o) return raise_no_memory();
  new (&reinterpret_cast<LockObject*>(o)->mutex) sync::Mutex();
  new (&reinterpret_cast<LockObject*>(o)->held) std::atomic<bool>(false);
  return Value::from(o);
}

// Unlocks if this call takes `held` back; RuntimeError otherwise. -1 on error. No analysis: a
// Python lock is taken in one call and released in another, by any thread (`held` says).
int release_lock(Value self) FTPY_NO_THREAD_SAFETY_ANALYSIS {
  LockObject* l = lock_obj(self);
  if (!l->held.exchange(false, std::memory_order_acq_rel))
    return raise(&g_RuntimeError, "release unlocked lock"), -1;
  l->mutex.unlock();
  return 0;
}

// Takes the mutex within timeout_ns, detached while it waits.
bool acquire_mutex(sync::Mutex& m, sync::Nanos timeout_ns) {
  if (timeout_ns == 0) return m.try_lock();
  return m.lock_timed(timeout_ns, sync::LockFlags::Detach) == sync::LockStatus::Acquired;
}

bool acquire_lock(Value self, sync::Nanos timeout_ns) {
  if (!acquire_mutex(lock_of(self), timeout_ns)) return false;
  lock_obj(self)->held.store(true, std::memory_order_release);
  return true;
}

NATIVE(lock_acquire) {
  sync::Nanos timeout;
  if (parse_acquire("acquire", args, nargs, kwnames, &timeout) < 0) return Value::null();
  return py_bool(acquire_lock(self, timeout));
}
NATIVE(lock_enter) {
  ARGS("__enter__", 0, 0);
  (void)args;
  acquire_lock(self, sync::k_forever);
  return py_bool(true);
}
NATIVE(lock_release) {
  ARGS("release", 0, 0);
  (void)args;
  if (release_lock(self) < 0) return Value::null();
  return none();
}
NATIVE(lock_exit) {
  (void)args;
  (void)nargs;
  (void)kwnames;
  if (release_lock(self) < 0) return Value::null();
  return py_bool(false);
}
NATIVE(lock_locked) {
  ARGS("locked", 0, 0);
  (void)args;
  return py_bool(lock_of(self).is_locked());
}
Value lock_repr(Value self) {
  return make_str(fmt::format("<{} _thread.lock object at {:#x}>",
                              lock_of(self).is_locked() ? "locked" : "unlocked", self.bits));
}

// ---- RLock --------------------------------------------------------------------------------------
// `owner` is the os_thread_ident of the holder (0: free); only the holder writes it while it
// holds the mutex, so a thread that reads its own ident there is the holder (relaxed loads
// suffice). `count` is touched only by the holder.

TypeObject g_rlock_type;

struct RLockObject {
  Object header;
  sync::Mutex mutex;
  std::atomic<std::int64_t> owner;
  std::int64_t count;
};
RLockObject* rlock_of(Value v) { return reinterpret_cast<RLockObject*>(v.obj()); }

Value rlock_new(TypeObject*, const Value*, std::size_t nargs, TupleObject* kwnames) {
  ARGS("RLock", 0, 0);
  Object* o = runtime::alloc_object(&g_rlock_type.rt, sizeof(RLockObject));
  if (!o) return raise_no_memory();
  auto* r = reinterpret_cast<RLockObject*>(o);
  new (&r->mutex) sync::Mutex();
  new (&r->owner) std::atomic<std::int64_t>(0);
  r->count = 0;
  return Value::from(o);
}

bool rlock_acquire_ns(RLockObject* r, sync::Nanos timeout) {
  std::int64_t me = os_thread_ident();
  if (r->owner.load(std::memory_order_relaxed) == me) {
    r->count++;
    return true;
  }
  if (!acquire_mutex(r->mutex, timeout)) return false;
  r->owner.store(me, std::memory_order_relaxed);
  r->count = 1;
  return true;
}

NATIVE(rlock_acquire) {
  sync::Nanos timeout;
  if (parse_acquire("acquire", args, nargs, kwnames, &timeout) < 0) return Value::null();
  return py_bool(rlock_acquire_ns(rlock_of(self), timeout));
}
NATIVE(rlock_enter) {
  ARGS("__enter__", 0, 0);
  (void)args;
  return py_bool(rlock_acquire_ns(rlock_of(self), sync::k_forever));
}
// No analysis: the mutex was taken by an earlier call (`owner` says by this thread).
Value rlock_release_one(RLockObject* r) FTPY_NO_THREAD_SAFETY_ANALYSIS {
  if (r->owner.load(std::memory_order_relaxed) != os_thread_ident())
    return raise(&g_RuntimeError, "cannot release un-acquired lock");
  if (--r->count == 0) {
    r->owner.store(0, std::memory_order_relaxed);
    r->mutex.unlock();
  }
  return none();
}
NATIVE(rlock_release) {
  ARGS("release", 0, 0);
  (void)args;
  return rlock_release_one(rlock_of(self));
}
NATIVE(rlock_exit) {
  (void)args;
  (void)nargs;
  (void)kwnames;
  Value r = rlock_release_one(rlock_of(self));
  if (!r) return r;
  return py_bool(false);
}
NATIVE(rlock_is_owned) {
  ARGS("_is_owned", 0, 0);
  (void)args;
  return py_bool(rlock_of(self)->owner.load(std::memory_order_relaxed) == os_thread_ident());
}
// Condition.wait's helpers: give the lock up entirely, remembering the recursion count.
// No analysis for the release, as in rlock_release_one.
NATIVE(rlock_release_save) FTPY_NO_THREAD_SAFETY_ANALYSIS {
  ARGS("_release_save", 0, 0);
  (void)args;
  RLockObject* r = rlock_of(self);
  if (r->owner.load(std::memory_order_relaxed) != os_thread_ident())
    return raise(&g_RuntimeError, "cannot release un-acquired lock");
  std::int64_t count = r->count;
  r->count = 0;
  r->owner.store(0, std::memory_order_relaxed);
  r->mutex.unlock();
  return make_int(count);
}
NATIVE(rlock_acquire_restore) {
  if (no_kwargs("_acquire_restore", kwnames) < 0) return Value::null();
  std::int64_t count;
  if (nargs != 1 || !as_int64(args[0], &count) || count < 1)
    return raise(&g_TypeError, "_acquire_restore() expects the state _release_save returned");
  RLockObject* r = rlock_of(self);
  acquire_mutex(r->mutex, sync::k_forever);
  r->owner.store(os_thread_ident(), std::memory_order_relaxed);
  r->count = count;
  return none();
}
Value rlock_repr(Value self) {
  RLockObject* r = rlock_of(self);
  std::int64_t owner = r->owner.load(std::memory_order_relaxed);
  return make_str(fmt::format("<{} _thread.RLock object owner={} count={} at {:#x}>",
                              owner ? "locked" : "unlocked", owner, owner ? r->count : 0,
                              self.bits));
}

// ---- thread handles -----------------------------------------------------------------------------

TypeObject g_handle_type;

struct HandleObject {
  Object header;
  ThreadRecord* rec;  // one reference
};
ThreadRecord* rec_of(Value v) { return reinterpret_cast<HandleObject*>(v.obj())->rec; }

void handle_dealloc(Object* o) {
  record_release(reinterpret_cast<HandleObject*>(o)->rec);
  runtime::free_object(o);
}

NATIVE(handle_join) {
  static const char* const k_names[] = {"timeout"};
  Value a[1];
  if (parse_args("join", args, nargs, kwnames, k_names, 1, 1, 0, a) < 0) return Value::null();
  sync::Nanos timeout = sync::k_forever;
  if (a[0] && a[0] != none()) {
    double secs;
    if (!seconds_arg(a[0], &secs)) return Value::null();
    timeout = seconds_to_nanos(secs);
  }
  (void)rec_of(self)->done.wait_for(timeout, /*detach=*/true);
  return none();
}
NATIVE(handle_is_done) {
  ARGS("is_done", 0, 0);
  (void)args;
  return py_bool(rec_of(self)->done.is_set());
}

// ---- module functions ---------------------------------------------------------------------------

// _start_new_thread(thread): runs thread.run() on a new OS thread; see the file comment.
NATIVE(th_start_new_thread) {
  (void)self;
  if (no_kwargs("_start_new_thread", kwnames) < 0 || nargs != 1)
    return raise(&g_TypeError, "_start_new_thread() takes exactly one argument");
  Value thread = args[0];
  Value daemon = getattr(thread, intern("daemon"));
  if (!daemon) return daemon;
  int is_daemon = truthy(daemon);
  decref(daemon);
  if (is_daemon < 0) return Value::null();
  // CPython's isolated subinterpreters refuse daemon threads: close() could not wait for them.
  if (is_daemon && t_vm->interp != main_vm_interp())
    return raise(&g_RuntimeError, "daemon threads are disabled in this (sub)interpreter");
  // From here the program runs in parallel: the data its modules built is shared data
  // (share_module_data: it switches to per-thread reference counts).
  if (Value main = t_vm->interp->main_module) {
    if (Value g = getattr(main, intern("__dict__"))) {
      share_module_data(g);
      decref(g);
    } else {
      clear_error();
    }
  }
  if (Value target = getattr(thread, intern("_target"))) {
    if (is_function(target)) share_module_data(as_function(target)->globals);
    decref(target);
  } else {
    clear_error();
  }
  auto* rec = new (std::nothrow) ThreadRecord;
  if (!rec) return raise_no_memory();
  rec->interp = t_vm->interp;
  rec->daemon = is_daemon;
  rec->thread_obj = newref(thread);

  pthread_attr_t attr;
  pthread_t tid;
  bool created = pthread_attr_init(&attr) == 0;
  if (created) {
    created = pthread_attr_setstacksize(&attr, k_thread_stack) == 0 &&
              pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
              pthread_create(&tid, &attr, thread_main, rec) == 0;
    pthread_attr_destroy(&attr);
  }
  if (!created) {
    decref(rec->thread_obj);
    delete rec;
    return raise(&g_RuntimeError, "can't start new thread");
  }
  rec->registered.wait(/*detach=*/true);
  if (!rec->start_ok) {
    decref(rec->thread_obj);
    record_release(rec);
    return raise(&g_RuntimeError, "can't start new thread");
  }
  // The record's second reference moves to the handle object.
  Object* h = runtime::alloc_object(&g_handle_type.rt, sizeof(HandleObject));
  bool ok = h != nullptr;
  if (h) reinterpret_cast<HandleObject*>(h)->rec = rec;
  else record_release(rec);
  if (ok) {
    Value ident = make_int(rec->ident);
    ok = ident && setattr(thread, intern("ident"), ident) == 0 &&
         setattr(thread, intern("_handle"), Value::from(h)) == 0 &&
         setattr(thread, intern("_started"), py_bool(true)) == 0;
    xdecref(ident);
    decref(Value::from(h));
  } else {
    raise_no_memory();
  }
  rec->abort = !ok;  // the thread then ends without running
  rec->go.set();
  return ok ? none() : Value::null();
}

NATIVE(th_get_ident) {
  (void)self;
  ARGS("get_ident", 0, 0);
  (void)args;
  return make_int(os_thread_ident());
}

NATIVE(th_current_thread) {
  (void)self;
  ARGS("current_thread", 0, 0);
  (void)args;
  VmThread* vt = t_vm;
  if (vt->thread_obj) return newref(vt->thread_obj);
  if (Object* m = vt->interp->main_thread_obj.load(std::memory_order_acquire))
    return newref(Value::from(m));
  return none();
}

NATIVE(th_set_main_thread) {
  (void)self;
  if (no_kwargs("_set_main_thread", kwnames) < 0 || nargs != 1)
    return raise(&g_TypeError, "_set_main_thread() takes exactly one argument");
  Object* expected = nullptr;
  incref(args[0]);
  // release: the Thread object's fields are visible to current_thread() callers (acquire).
  if (!t_vm->interp->main_thread_obj.compare_exchange_strong(
          expected, args[0].obj(), std::memory_order_release, std::memory_order_relaxed))
    decref(args[0]);
  return none();
}

NATIVE(th_running_count) {
  (void)self;
  ARGS("_running_count", 0, 0);
  (void)args;
  return make_int(running_thread_count(t_vm->interp));
}

NATIVE(th_running_threads) {
  (void)self;
  ARGS("_running_threads", 0, 0);
  (void)args;
  Value list = make_list(0);
  if (!list) return list;
  // A record in the registry still holds its thread_obj (dropped before it leaves).
  std::vector<Value> objs;
  {
    sync::MutexGuard g(g_registry_mutex);
    for (ThreadRecord* r = g_running; r; r = r->next)
      if (r->thread_obj && r->interp == t_vm->interp) {
        incref(r->thread_obj);
        objs.push_back(r->thread_obj);
      }
  }
  int rc = 0;
  for (Value v : objs) {
    if (rc == 0) rc = list_append(list, v);
    decref(v);
  }
  if (rc < 0) {
    decref(list);
    return Value::null();
  }
  return list;
}

NATIVE(th_next_thread_number) {
  (void)self;
  ARGS("_next_thread_number", 0, 0);
  (void)args;
  return make_int(g_thread_number.fetch_add(1, std::memory_order_relaxed) + 1);
}

}  // namespace

bool init_threading_types() {
  if (!init_static_type(&g_lock_type, "lock", sizeof(LockObject), false, runtime::free_object))
    return false;
  g_lock_type.new_ = lock_new;
  g_lock_type.repr = lock_repr;
  static const NativeMethodDef k_lock_methods[] = {
      {"acquire", lock_acquire}, {"release", lock_release}, {"locked", lock_locked},
      {"__enter__", lock_enter}, {"__exit__", lock_exit},   {"acquire_lock", lock_acquire},
      {"release_lock", lock_release}, {nullptr, nullptr}};
  if (add_native_methods(&g_lock_type, k_lock_methods) < 0) return false;

  if (!init_static_type(&g_rlock_type, "RLock", sizeof(RLockObject), false,
                        runtime::free_object))
    return false;
  g_rlock_type.new_ = rlock_new;
  g_rlock_type.repr = rlock_repr;
  static const NativeMethodDef k_rlock_methods[] = {
      {"acquire", rlock_acquire}, {"release", rlock_release}, {"__enter__", rlock_enter},
      {"__exit__", rlock_exit},   {"_is_owned", rlock_is_owned},
      {"_release_save", rlock_release_save}, {"_acquire_restore", rlock_acquire_restore},
      {nullptr, nullptr}};
  if (add_native_methods(&g_rlock_type, k_rlock_methods) < 0) return false;

  if (!init_static_type(&g_handle_type, "_ThreadHandle", sizeof(HandleObject), false,
                        handle_dealloc))
    return false;
  static const NativeMethodDef k_handle_methods[] = {
      {"join", handle_join}, {"is_done", handle_is_done}, {nullptr, nullptr}};
  return add_native_methods(&g_handle_type, k_handle_methods) >= 0;
}

namespace {

int set_item(Value dict, const char* name, Value v) {
  return dict_setitem_str(dict, intern(name), v);
}

}  // namespace

Value create_threading_module() {
  Value m = make_module("threading");
  if (!m) return m;
  Value dict = Value::from(&reinterpret_cast<ModuleObject*>(m.obj())->dict->header);
  static const NativeMethodDef k_functions[] = {
      {"_start_new_thread", th_start_new_thread},
      {"get_ident", th_get_ident},
      {"current_thread", th_current_thread},
      {"currentThread", th_current_thread},
      {"_set_main_thread", th_set_main_thread},
      {"_running_count", th_running_count},
      {"_running_threads", th_running_threads},
      {"_next_thread_number", th_next_thread_number},
      {nullptr, nullptr}};
  for (const NativeMethodDef* d = k_functions; d->name; d++) {
    Value f = make_builtin_function(d->name, d->fn, none());
    if (!f || set_item(dict, d->name, f) < 0) {
      xdecref(f);
      decref(m);
      return Value::null();
    }
    decref(f);
  }
  Value lock = Value::from(&g_lock_type.header);
  if (set_item(dict, "Lock", lock) < 0 || set_item(dict, "_allocate_lock", lock) < 0 ||
      set_item(dict, "RLock", Value::from(&g_rlock_type.header)) < 0 ||
      set_item(dict, "__builtins__", t_vm->interp->builtins) < 0) {
    decref(m);
    return Value::null();
  }
  return run_frozen_module(m, "threading", k_threading_source);
}

bool seconds_arg(Value v, double* out) {
  std::int64_t i;
  if (v.is_object() && isinstance_of(v, &g_float_type)) {
    *out = reinterpret_cast<FloatObject*>(v.obj())->value;
    return true;
  }
  if (as_int64(v, &i)) {
    *out = double(i);
    return true;
  }
  raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer", type_name(v));
  return false;
}

sync::Nanos seconds_to_nanos(double secs) {
  if (secs <= 0) return 0;
  if (std::isnan(secs) || secs >= 9.2e9) return sync::k_forever;
  return sync::Nanos(secs * 1e9);
}

void join_non_daemon_threads(VmInterp* vi) {
  for (;;) {
    ThreadRecord* wait_for = nullptr;
    {
      sync::MutexGuard g(g_registry_mutex);
      for (ThreadRecord* r = g_running; r; r = r->next)
        if (!r->daemon && r->interp == vi) {
          wait_for = r;
          r->refs.fetch_add(1, std::memory_order_relaxed);
          break;
        }
    }
    if (!wait_for) return;
    wait_for->done.wait(/*detach=*/true);
    record_release(wait_for);
  }
}

long running_thread_count(const VmInterp* vi) {
  sync::MutexGuard g(g_registry_mutex);
  if (!vi) return g_running_count;
  long n = 0;
  for (ThreadRecord* r = g_running; r; r = r->next) n += r->interp == vi;
  return n;
}

}  // namespace ftpy::interp
