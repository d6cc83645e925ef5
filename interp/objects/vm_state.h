// vm_state.h: the language's per-thread and per-interpreter state, hung off the runtime's
// ThreadState and Interpreter (their m_upper_state slots). VmThread is touched only by its own
// thread; VmInterp is written while the interpreter starts (and later only under the
// critical sections of the dicts it holds). It lives in objects/, below the VM, because every
// built-in type uses VmThread's pending exception and recursion depth.
#pragma once
#include <cstdint>

#include "interp/objects/object.h"
#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

struct Frame;

struct VmInterp {
  runtime::Interpreter* rt = nullptr;
  Value builtins;        // dict: the builtins module's namespace
  Value modules;         // dict: sys.modules
  Value main_module;     // __main__
  int recursion_limit = 1000;
  // share_module_data's last pass over __main__'s globals: that dict's version then.
  std::uint64_t main_shared_version = 0;
};

struct VmThread {
  runtime::ThreadState* ts = nullptr;
  VmInterp* interp = nullptr;
  Value exc;                 // the pending exception (owned), null if none
  Frame* frame = nullptr;    // innermost executing frame (vm.cpp)
  int depth = 0;             // Python call depth, for RecursionError
};

// The VM thread state of the calling thread (null when no thread state is attached).
inline thread_local VmThread* t_vm = nullptr;

}  // namespace ftpy::interp
