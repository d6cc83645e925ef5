// sys.cpp: the sys module. sys.stdout/stderr write through the shared buffered streams
// (write_stdout), so their output interleaves with print's exactly as in CPython.
#include "interp/modules/modules.h"

#include <string>
#include <vector>

#include "interp/objects/class.h"

#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {

TypeObject g_stream_type;

struct StreamObject {
  Object header;
  int fd;  // 1 stdout, 2 stderr
};

// The command line's arguments, set by set_sys_argv on the main thread before the main
// script runs (so before any other thread exists); each interpreter's sys.argv is its own
// list of them (a subinterpreter's is a copy, as CPython's).
std::vector<std::string> g_argv;

Value argv_list() {
  Value list = make_list(0);
  if (!list) return list;
  for (const std::string& a : g_argv) {
    Value s = make_str(a);
    if (!s || list_append(list, s) < 0) {
      xdecref(s);
      decref(list);
      return Value::null();
    }
    decref(s);
  }
  return list;
}

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

}  // namespace

Value create_sys() {
  static const NativeMethodDef k_defs[] = {{"exit", sys_exit},
                                           {"getrecursionlimit", sys_getrecursionlimit},
                                           {"setrecursionlimit", sys_setrecursionlimit},
                                           {"_is_gil_enabled", sys_is_gil_enabled},
                                           {"intern", sys_intern},
                                           {nullptr, nullptr}};
  Value m = make_native_module("sys", k_defs);
  if (!m) return m;
  if (module_set(m, "maxsize", make_int(INT64_MAX)) < 0 ||
      module_set(m, "argv", argv_list()) < 0 ||
      module_set(m, "stdout", make_stream(1)) < 0 || module_set(m, "stderr", make_stream(2)) < 0 ||
      module_set(m, "__stdout__", make_stream(1)) < 0 ||
      module_set(m, "__stderr__", make_stream(2)) < 0 ||
      module_set(m, "platform", make_str("linux")) < 0 ||
      module_set(m, "version", make_str("3.11.0 (ftpy 0.1.0)")) < 0 ||
      module_set(m, "byteorder", make_str("little")) < 0 ||
      module_set(m, "modules", newref(t_vm->interp->modules)) < 0) {
    decref(m);
    return Value::null();
  }
  return m;
}

int set_sys_argv(const std::vector<std::string>& argv) {
  g_argv = argv;
  Value sys = dict_get_str(t_vm->interp->modules, intern("sys"));
  if (!sys) return 0;
  Value list = argv_list();
  if (!list) return -1;
  int rc = dict_setitem_str(module_dict(sys), intern("argv"), list);
  decref(list);
  return rc;
}


bool init_sys_types() {
  if (!init_static_type(&g_stream_type, "TextIOWrapper", sizeof(StreamObject), false,
                        runtime::free_object))
    return false;
  g_stream_type.repr = stream_repr;
  static const NativeMethodDef k_stream_methods[] = {
      {"write", stream_write}, {"flush", stream_flush}, {nullptr, nullptr}};
  return add_native_methods(&g_stream_type, k_stream_methods) >= 0;
}

}  // namespace ftpy::interp
