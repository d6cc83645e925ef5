// errors.cpp: the pending exception of the current thread (t_vm->exc) and the recursion guard
// (t_vm->depth and the C stack). Only the owning thread touches its VmThread, so nothing here
// is atomic. raise_no_memory never allocates: it uses
// one immortal MemoryError instance made at start-up (exceptions.cpp).
#include <pthread.h>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

Value g_memory_error_instance;  // set by init_exception_types

namespace {
void set_pending(Value exc) {
  VmThread* vt = t_vm;
  FTPY_ASSERT(vt != nullptr);
  Value old = vt->exc;
  vt->exc = exc;
  xdecref(old);
}
}  // namespace

Value raise(TypeObject* type, std::string_view message) {
  Value exc = make_exception_str(type, message);
  if (!exc) return Value::null();  // MemoryError already pending
  set_pending(exc);
  return Value::null();
}

Value raise_value(Value exc) {
  if (is_type(exc) && (as_type(exc)->tp_flags & k_tp_exception)) {
    Value inst = call(exc, nullptr, 0, nullptr);
    if (!inst) return Value::null();
    if (!(type_of(inst)->tp_flags & k_tp_exception)) {
      decref(inst);
      return raise_fmt(&g_TypeError,
                       "calling {} should have returned an instance of BaseException, not {}",
                       type_name(exc), type_name(inst));
    }
    set_pending(inst);
    return Value::null();
  }
  if (!(type_of(exc)->tp_flags & k_tp_exception))
    return raise(&g_TypeError, "exceptions must derive from BaseException");
  set_pending(newref(exc));
  return Value::null();
}

Value raise_no_memory() {
  // A fresh instance when a small allocation still succeeds (the usual case: one huge
  // request failed), so its traceback is its own; else the shared immortal one, which
  // gets no traceback (traceback_add: threads may raise it at once).
  if (Value fresh = new_memory_error()) {
    set_pending(fresh);
    return Value::null();
  }
  set_pending(newref(g_memory_error_instance));
  return Value::null();
}

Value native_failed_without_error(const char* what) {
  FTPY_DCHECK(false && "a native function failed without setting an exception");
  return raise_fmt(&g_SystemError, "{} returned NULL without setting an exception", what);
}

bool error_occurred() { return t_vm && !t_vm->exc.is_null(); }

bool error_matches(TypeObject* type) {
  VmThread* vt = t_vm;
  if (!vt || vt->exc.is_null()) return false;
  return is_subtype(type_of(vt->exc), type);
}

Value fetch_error() {
  VmThread* vt = t_vm;
  if (!vt) return Value::null();
  Value e = vt->exc;
  vt->exc = Value::null();
  return e;
}

void restore_error(Value exc) { set_pending(exc); }

void clear_error() {
  if (t_vm) set_pending(Value::null());
}

char* c_stack_limit_init() {
  char here;
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  if (!addr || size == 0) {
    size = 8 * 1024 * 1024;
    addr = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(&here) - size + 65536);
  }
  std::size_t margin = size / 8 > 256 * 1024 ? size / 8 : 256 * 1024;
  t_c_stack_limit = static_cast<char*>(addr) + margin;
  return t_c_stack_limit;
}

bool enter_recursive_call(const char* where) {
  VmThread* vt = t_vm;
  if (++vt->depth > vt->interp->recursion_limit || !c_stack_ok()) {
    --vt->depth;
    raise_fmt(&g_RecursionError, "maximum recursion depth exceeded{}", where);
    return false;
  }
  return true;
}

void leave_recursive_call() { --t_vm->depth; }

}  // namespace ftpy::interp
