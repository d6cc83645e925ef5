// interpreters.cpp: the `interpreters` module (also `concurrent.interpreters`; PEP 734,
// LANGUAGE.md). The native half: the module's exceptions and its Queue type (static types,
// shared by every interpreter), and the functions over subinterp.h that interpreters.py
// (embedded by the build as k_interpreters_source) wraps in the Interpreter class. Each
// interpreter that imports the module gets its own module object, its own Interpreter class
// and its own ExecutionFailed; only the static types are common.
#include "interp/modules/crossinterp.h"
#include "interp/modules/interpreters_py.h"
#include "interp/modules/modules.h"
#include "interp/modules/subinterp.h"

#include <cmath>
#include <new>

#include <fmt/format.h>

#include "interp/objects/class.h"
#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"
#include "interp/vm/import.h"
#include "runtime/runtime.h"

namespace ftpy::interp {

TypeObject g_InterpreterError, g_InterpreterNotFoundError, g_NotShareableError, g_QueueError,
    g_QueueEmpty, g_QueueFull;
TypeObject g_xi_queue_type;

namespace {

Value raise_status(XiStatus st, std::int64_t id, bool closing = false) {
  switch (st) {
    case XiStatus::Ok:
    case XiStatus::Failed:
      break;
    case XiStatus::NotFound:
      return raise_fmt(&g_InterpreterNotFoundError, "unrecognized interpreter ID {}", id);
    case XiStatus::Running:
      return raise(&g_InterpreterError,
                   closing ? "interpreter running" : "interpreter already running");
    case XiStatus::Current:
      return raise(&g_InterpreterError, "cannot close the current interpreter");
    case XiStatus::Main: return raise(&g_InterpreterError, "cannot close the main interpreter");
    case XiStatus::NoMemory: return raise_no_memory();
    case XiStatus::NoArena:
      return raise(&g_InterpreterError, runtime::to_string(runtime::InterpStatus::NoArena));
  }
  return raise(&g_SystemError, "unexpected interpreter status");
}

bool id_arg(const char* fname, Value v, std::int64_t* id) {
  if (v.is_object() && isinstance_of(v, &g_bool_type)) v = Value::null();
  if (!v || !as_int64(v, id)) {
    raise_fmt(&g_TypeError, "{}(): interpreter ID must be an int", fname);
    return false;
  }
  return true;
}

// A timeout argument: None waits for ever; a negative number (or NaN) is a ValueError, as
// CPython's queues say; otherwise threading's conversion.
bool timeout_arg(Value v, sync::Nanos* out) {
  if (!v || v.obj() == &g_none) {
    *out = sync::k_forever;
    return true;
  }
  double secs;
  if (!seconds_arg(v, &secs)) return false;
  if (std::isnan(secs) || secs < 0) {
    raise(&g_ValueError, "timeout value must be non-negative");
    return false;
  }
  *out = seconds_to_nanos(secs);
  return true;
}

// ---- the module's functions -----------------------------------------------------------------

NATIVE(f_create) {
  ARGS("create", 0, 0);
  std::int64_t id = 0;
  XiStatus st = interp_create(&id);
  if (st != XiStatus::Ok) return raise_status(st, id);
  return make_int(id);
}

NATIVE(f_destroy) {
  ARGS("destroy", 1, 1);
  std::int64_t id;
  if (!id_arg("destroy", args[0], &id)) return Value::null();
  XiStatus st = interp_close(id);
  if (st != XiStatus::Ok) return raise_status(st, id, /*closing=*/true);
  return none();
}

// _exec(id, source): None, or (type name, message, formatted traceback) when the code raised.
NATIVE(f_exec) {
  ARGS("exec", 2, 2);
  std::int64_t id;
  if (!id_arg("exec", args[0], &id)) return Value::null();
  if (!is_str(args[1]))
    return raise_fmt(&g_TypeError, "exec() argument must be a str, not '{}'", type_name(args[1]));
  std::string source(as_str(args[1])->view());
  ExcSnapshot exc;
  XiStatus st = interp_exec(id, source, &exc);
  if (st == XiStatus::Ok) return none();
  if (st != XiStatus::Failed) return raise_status(st, id);
  Value t = make_tuple(3);
  if (!t) return t;
  Value parts[3] = {make_str(exc.type), make_str(exc.msg), make_str(exc.formatted)};
  for (int k = 0; k < 3; k++) as_tuple(t)->items[k] = parts[k];
  for (Value p : parts)
    if (!p) {
      decref(t);
      return Value::null();
    }
  return t;
}

// _prepare_main(id, mapping): every value is shared first, so nothing is bound unless all are.
NATIVE(f_prepare_main) {
  ARGS("prepare_main", 2, 2);
  std::int64_t id;
  if (!id_arg("prepare_main", args[0], &id)) return Value::null();
  if (!isinstance_of(args[1], &g_dict_type))
    return raise_fmt(&g_TypeError, "prepare_main() expected a mapping, not '{}'",
                     type_name(args[1]));
  std::vector<std::pair<std::string, XiData>> items;
  std::size_t pos = 0;
  Value k, v;
  while (dict_next(args[1], &pos, &k, &v)) {
    if (!is_str(k)) return raise(&g_TypeError, "prepare_main() names must be strings");
    items.emplace_back(std::string(as_str(k)->view()), XiData{});
    if (xi_share(v, &items.back().second) < 0) return Value::null();
  }
  XiStatus st = interp_prepare_main(id, &items);
  if (st != XiStatus::Ok) return raise_status(st, id);
  return none();
}

NATIVE(f_is_running) {
  ARGS("is_running", 1, 1);
  std::int64_t id;
  if (!id_arg("is_running", args[0], &id)) return Value::null();
  bool running = false;
  XiStatus st = interp_is_running(id, &running);
  if (st != XiStatus::Ok) return raise_status(st, id);
  return py_bool(running);
}

NATIVE(f_list_all) {
  ARGS("list_all", 0, 0);
  std::vector<std::int64_t> ids = interp_list();
  Value list = make_list(0);
  if (!list) return list;
  for (std::int64_t id : ids) {
    Value i = make_int(id);
    if (!i || list_append(list, i) < 0) {
      xdecref(i);
      decref(list);
      return Value::null();
    }
    decref(i);
  }
  return list;
}

NATIVE(f_get_current) {
  ARGS("get_current", 0, 0);
  return make_int(t_vm->interp->rt->id());
}

NATIVE(f_is_shareable) {
  ARGS("is_shareable", 1, 1);
  return py_bool(xi_is_shareable(args[0]));
}

NATIVE(f_create_queue) {
  static const char* const k_names[] = {"maxsize"};
  Value a[1];
  if (parse_args("create_queue", args, nargs, kwnames, k_names, 1, 1, 0, a) < 0)
    return Value::null();
  std::int64_t maxsize = 0;
  if (a[0] && !arg_as_int64(a[0], &maxsize)) return Value::null();
  XiQueue* q = xi_queue_new(maxsize);
  if (!q) return raise_no_memory();
  Value h = make_queue_handle(q);
  xi_queue_decref(q);  // the handle holds its own
  return h;
}

// ---- Queue ----------------------------------------------------------------------------------

struct QueueHandle {
  Object header;
  XiQueue* queue;
};

void queue_dealloc(Object* o) {
  xi_queue_decref(reinterpret_cast<QueueHandle*>(o)->queue);
  runtime::free_object(o);
}

int put_item(Value self, Value obj, sync::Nanos timeout) {
  XiData d;
  if (xi_share(obj, &d) < 0) return -1;
  if (xi_queue_put(queue_of_handle(self), &d, timeout) == XiWait::TimedOut) {
    raise(&g_QueueFull, "queue is full");
    return -1;
  }
  return 0;
}

Value get_item(Value self, sync::Nanos timeout) {
  XiData d;
  if (xi_queue_get(queue_of_handle(self), &d, timeout) == XiWait::TimedOut)
    return raise(&g_QueueEmpty, "queue is empty");
  return xi_build(d);
}

NATIVE(q_put) {
  static const char* const k_names[] = {"obj", "timeout"};
  Value a[2];
  if (parse_args("put", args, nargs, kwnames, k_names, 2, 2, 1, a) < 0) return Value::null();
  sync::Nanos timeout;
  if (!timeout_arg(a[1], &timeout) || put_item(self, a[0], timeout) < 0) return Value::null();
  return none();
}
NATIVE(q_put_nowait) {
  ARGS("put_nowait", 1, 1);
  if (put_item(self, args[0], 0) < 0) return Value::null();
  return none();
}
NATIVE(q_get) {
  static const char* const k_names[] = {"timeout"};
  Value a[1];
  if (parse_args("get", args, nargs, kwnames, k_names, 1, 1, 0, a) < 0) return Value::null();
  sync::Nanos timeout;
  if (!timeout_arg(a[0], &timeout)) return Value::null();
  return get_item(self, timeout);
}
NATIVE(q_get_nowait) {
  ARGS("get_nowait", 0, 0);
  return get_item(self, 0);
}
NATIVE(q_qsize) {
  ARGS("qsize", 0, 0);
  return make_int(xi_queue_size(queue_of_handle(self)));
}
NATIVE(q_empty) {
  ARGS("empty", 0, 0);
  return py_bool(xi_queue_size(queue_of_handle(self)) == 0);
}
NATIVE(q_full) {
  ARGS("full", 0, 0);
  XiQueue* q = queue_of_handle(self);
  return py_bool(q->maxsize > 0 && xi_queue_size(q) >= q->maxsize);
}
Value q_id(Value self) { return make_int(queue_of_handle(self)->id); }
Value q_maxsize(Value self) { return make_int(queue_of_handle(self)->maxsize); }
Value q_repr(Value self) { return make_str(fmt::format("Queue({})", queue_of_handle(self)->id)); }
std::int64_t q_hash(Value self) { return queue_of_handle(self)->id; }
Value q_richcompare(Value a, Value b, CompareOp op) {
  if ((op != CompareOp::Eq && op != CompareOp::Ne) || type_of(b) != &g_xi_queue_type)
    return not_implemented();
  bool same = queue_of_handle(a) == queue_of_handle(b);
  return py_bool(op == CompareOp::Eq ? same : !same);
}

}  // namespace

XiQueue* queue_of_handle(Value handle) {
  return reinterpret_cast<QueueHandle*>(handle.obj())->queue;
}

Value make_queue_handle(XiQueue* q) {
  Object* o = runtime::alloc_object(&g_xi_queue_type.rt, sizeof(QueueHandle));
  if (!o) return raise_no_memory();
  xi_queue_incref(q);
  reinterpret_cast<QueueHandle*>(o)->queue = q;
  return Value::from(o);
}

bool init_interpreters_types() {
  struct Row {
    TypeObject* t;
    const char* name;
    TypeObject* base;
  };
  const Row rows[] = {
      {&g_InterpreterError, "InterpreterError", &g_Exception},
      {&g_InterpreterNotFoundError, "InterpreterNotFoundError", &g_InterpreterError},
      {&g_NotShareableError, "NotShareableError", &g_ValueError},
      {&g_QueueError, "QueueError", &g_RuntimeError},
      {&g_QueueEmpty, "QueueEmpty", &g_QueueError},
      {&g_QueueFull, "QueueFull", &g_QueueError},
  };
  for (const Row& r : rows)
    if (!define_exception_type(r.t, r.name, r.base)) return false;
  if (!init_static_type(&g_xi_queue_type, "Queue", sizeof(QueueHandle), false, queue_dealloc))
    return false;
  g_xi_queue_type.repr = q_repr;
  g_xi_queue_type.hash = q_hash;
  g_xi_queue_type.richcompare = q_richcompare;
  static const NativeMethodDef k_methods[] = {
      {"put", q_put},   {"put_nowait", q_put_nowait}, {"get", q_get}, {"get_nowait", q_get_nowait},
      {"qsize", q_qsize}, {"empty", q_empty},       {"full", q_full}, {nullptr, nullptr}};
  return add_native_methods(&g_xi_queue_type, k_methods) >= 0 &&
         add_getset(&g_xi_queue_type, "id", q_id, nullptr) >= 0 &&
         add_getset(&g_xi_queue_type, "maxsize", q_maxsize, nullptr) >= 0;
}

Value create_interpreters_module() {
  // `import interpreters` and `import concurrent.interpreters` are one module.
  if (Value m = dict_get_str(t_vm->interp->modules, intern("interpreters"))) return newref(m);
  static const NativeMethodDef k_functions[] = {
      {"_create", f_create},         {"_destroy", f_destroy},
      {"_exec", f_exec},             {"_prepare_main", f_prepare_main},
      {"_is_running", f_is_running}, {"_list_all", f_list_all},
      {"_get_current", f_get_current}, {"is_shareable", f_is_shareable},
      {"create_queue", f_create_queue}, {nullptr, nullptr}};
  Value m = make_native_module("interpreters", k_functions);
  if (!m) return m;
  TypeObject* const types[] = {&g_InterpreterError, &g_InterpreterNotFoundError,
                               &g_NotShareableError, &g_QueueError, &g_QueueEmpty,
                               &g_QueueFull, &g_xi_queue_type};
  for (TypeObject* t : types)
    if (module_set(m, t->rt.name, newref(Value::from(&t->header))) < 0) {
      decref(m);
      return Value::null();
    }
  if (module_set(m, "__builtins__", newref(t_vm->interp->builtins)) < 0) {
    decref(m);
    return Value::null();
  }
  m = run_frozen_module(m, "interpreters", k_interpreters_source);
  if (m && dict_setitem_str(t_vm->interp->modules, intern("interpreters"), m) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

Value create_concurrent_package() {
  static const NativeMethodDef k_none[] = {{nullptr, nullptr}};
  return make_native_module("concurrent", k_none);
}

}  // namespace ftpy::interp
