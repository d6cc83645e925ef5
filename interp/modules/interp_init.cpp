// interp_init.cpp: process start-up and shutdown for the ftpy executable and the tests, and
// the language state every interpreter starts with (interp_init_state).
// Order matters: the runtime and the main thread state first (allocation needs an attached
// thread state), then the built-in types (init_builtin_types, then the VM's own types), then
// the builtins dict, sys.modules and __main__.
#include "interp/modules/interp_init.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "gc/collect.h"
#include "gc/state.h"
#include "interp/objects/class.h"
#include "interp/compile/code.h"
#include "interp/compile/compiler.h"
#include "interp/vm/frame_builtins.h"
#include "interp/vm/function.h"
#include "interp/modules/crossinterp.h"
#include "interp/modules/modules.h"
#include "interp/modules/subinterp.h"
#include "interp/objects/module_type.h"
#include "interp/vm/import.h"
#include "interp/vm/traceback.h"
#include "interp/vm/vm.h"
#include "runtime/runtime.h"

namespace ftpy::interp {

namespace {
VmInterp* g_main_interp = nullptr;
VmThread* g_main_thread = nullptr;

// Once per process, on the main thread with its thread state attached: the static types
// (immortal, shared by every interpreter) and the table of built-in modules.
bool init_process() {
  if (!init_builtin_types() || !init_class_types() || !init_function_types() ||
      !init_code_type() || !init_module_type() || !init_sys_types() ||
      !init_threading_types() || !init_vm_types() ||
      !init_frame_builtins() || !init_interpreters_types())
    return false;
  register_builtin_module("sys", create_sys);
  register_builtin_module("time", create_time);
  register_builtin_module("math", create_math);
  register_builtin_module("gc", create_gc);
  register_builtin_module("os", create_os);
  register_builtin_module("threading", create_threading_module);
  register_builtin_module("queue", create_queue_module);
  register_builtin_module("interpreters", create_interpreters_module);
  register_builtin_module("concurrent", create_concurrent_package);
  register_builtin_module("concurrent.interpreters", create_interpreters_module);
  return true;
}
}  // namespace

VmThread* interp_start() {
  if (g_main_thread) return g_main_thread;
  runtime::Runtime& rt = runtime::Runtime::get();
  if (rt.init_main() != runtime::InterpStatus::Ok ||
      !gc::init_interpreter(rt.main_interpreter())) {
    std::fputs("ftpy: cannot create the main interpreter\n", stderr);
    return nullptr;
  }
  runtime::Interpreter* interp = rt.main_interpreter();
  runtime::ThreadStatus status;
  runtime::ThreadState* ts = runtime::ThreadState::create(interp, &status);
  if (!ts) {
    std::fputs("ftpy: cannot create the main thread state\n", stderr);
    return nullptr;
  }
  ts->attach();
  auto* vi = new VmInterp;
  vi->rt = interp;
  interp->m_upper_state = vi;
  auto* vt = new VmThread;
  vt->ts = ts;
  vt->interp = vi;
  ts->m_upper_state = vt;
  t_vm = vt;
  if (!init_process()) {
    std::fputs("ftpy: cannot initialise the built-in types\n", stderr);
    return nullptr;
  }
  if (!interp_init_state(vi) || !interp_register_main(vi)) {
    std::fputs("ftpy: cannot initialise the builtins\n", stderr);
    return nullptr;
  }
  g_main_interp = vi;
  g_main_thread = vt;
  return vt;
}

VmInterp* main_vm_interp() { return g_main_interp; }

bool interp_init_state(VmInterp* vi) {
  if (!vi->xi && !xi_registry_init(vi)) {
    raise_no_memory();
    return false;
  }
  vi->builtins = make_dict();
  vi->modules = make_dict();
  if (!vi->builtins || !vi->modules || init_builtins_module(vi->builtins) < 0 ||
      add_class_builtins(vi->builtins) < 0 || add_frame_builtins(vi->builtins) < 0)
    return false;
  Value main = make_module("__main__");
  if (!main) return false;
  vi->main_module = main;
  Value globals = module_dict(main);
  return dict_setitem_str(vi->modules, intern("__main__"), main) == 0 &&
         dict_setitem_str(globals, intern("__builtins__"), vi->builtins) == 0;
}

void interp_clear_state(VmInterp* vi) {
  // Every module's namespace first: functions hold their globals and the globals hold the
  // functions, and clearing breaks those cycles without waiting for the collector.
  if (vi->modules) {
    std::vector<Value> mods;
    std::size_t pos = 0;
    Value k, v;
    while (dict_next(vi->modules, &pos, &k, &v)) {
      incref(v);
      mods.push_back(v);
    }
    for (Value m : mods) {
      if (isinstance_of(m, &g_module_type)) dict_clear(module_dict(m));
      decref(m);
    }
    dict_clear(vi->modules);
  }
  if (vi->main_module) dict_clear(module_dict(vi->main_module));
  if (vi->builtins) dict_clear(vi->builtins);
  xdecref(vi->main_module);
  xdecref(vi->modules);
  xdecref(vi->builtins);
  vi->main_module = vi->modules = vi->builtins = Value::null();
  if (Object* t = vi->main_thread_obj.exchange(nullptr, std::memory_order_acq_rel))
    decref(Value::from(t));
}

// The statuses are 0 or more; int_guard's -1 means MemoryError.
static int run_main_source_unguarded(std::string filename, std::string text, bool dis) {
  VmThread* vt = t_vm;
  auto source = std::make_shared<const Source>(std::move(filename), std::move(text));
  SyntaxErrorInfo err;
  CodeObject* code = compile_source(source, &err);
  if (!code) {
    if (!err.message.empty()) {
      flush_std_streams();
      write_stderr(format_syntax_error(err));
      flush_std_streams();
      return 1;
    }
    return handle_uncaught_exception();
  }
  if (dis) write_stderr(disassemble(code));
  Value globals = module_dict(vt->interp->main_module);
  Value r = run_code(code, globals, globals);
  decref(Value::from(&code->header));
  if (!r) return handle_uncaught_exception();
  decref(r);
  flush_std_streams();
  return 0;
}

int run_main_source(std::string filename, std::string text, bool dis) {
  // Compiling allocates with std containers throughout: out of memory it ends in MemoryError
  // (running is guarded at every native call already).
  int status = int_guard(
      [&] { return run_main_source_unguarded(std::move(filename), std::move(text), dis); });
  return status < 0 ? handle_uncaught_exception() : status;
}

void interp_join_threads() {
  if (!g_main_thread || t_vm != g_main_thread) return;
  join_non_daemon_threads(g_main_interp);
  // Then the subinterpreters still open, as CPython's finalization ends them: each waits for
  // its own non-daemon threads first.
  interp_close_all();
}

void interp_print_stats(std::FILE* out) {
  if (!g_main_thread || !g_main_thread->ts) return;
  flush_std_streams();  // the program's output comes first
  gc::print_stats(g_main_thread->ts->interp(), out);
}

bool interp_finish() {
  flush_std_streams();
  if (g_main_thread && g_main_thread->ts) {
    runtime::ThreadState* ts = g_main_thread->ts;
    // Drop the references still waiting for a QSBR grace period (values unlinked from shared
    // dicts and lists), so what the program freed is freed. Bounded: a daemon thread that
    // stays attached without reaching a safe point leaves them be.
    ts->drain_delayed(10 * sync::k_ms);
    ts->detach();
  }
  return running_thread_count() > 0;
}

}  // namespace ftpy::interp
