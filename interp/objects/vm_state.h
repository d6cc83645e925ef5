// vm_state.h: the language's per-thread and per-interpreter state, hung off the runtime's
// ThreadState and Interpreter (their m_upper_state slots). VmThread is touched only by its own
// thread; VmInterp is written while the interpreter starts (and later only under the
// critical sections of the dicts it holds). It lives in objects/, below the VM, because every
// built-in type uses VmThread's pending exception and recursion depth.
// All of the language's per-thread state is here, reached through t_vm (the one thread-local),
// because with subinterpreters one OS thread has a thread state per interpreter; only the C
// stack limit (object.h) is per OS thread.
#pragma once
#include <atomic>
#include <cstdint>

#include "interp/objects/object.h"
#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

struct Frame;
struct FrameChunk;  // vm/frame_stack.cpp
struct XiRegistry;  // modules/crossinterp.cpp

// Freed exact floats kept for reuse (CPython keeps a float free list too): float arithmetic
// allocates a result per operation. Owned by objects/float_type.cpp (float_free_push/pop in
// types_internal.h); members have zero counts, ob_tid this thread state's, and are reused
// only by it.
struct FloatFreeList {
  static constexpr int k_max = 64;
  int n = 0;
  Object* items[k_max];
};

struct VmInterp {
  runtime::Interpreter* rt = nullptr;
  Value builtins;        // dict: the builtins module's namespace
  Value modules;         // dict: sys.modules
  Value main_module;     // __main__
  int recursion_limit = 1000;
  // share_module_data's last pass over __main__'s globals: that dict's version then.
  std::uint64_t main_shared_version = 0;
  // threading's main Thread object (owned), set once when this interpreter first imports
  // threading (modules/threading.cpp); release/acquire publishes its fields.
  std::atomic<Object*> main_thread_obj{nullptr};
  // The shareable types and how each crosses to another interpreter (modules/crossinterp.h);
  // read-only once the interpreter is created.
  XiRegistry* xi = nullptr;
};

// Container deallocs nested deeper than this queue their object for the outermost dealloc to
// free (objects/native.cpp, CPython's trashcan); repr() of containers keeps the objects it is
// inside, to print a cycle as [...].
constexpr int k_trashcan_depth = 50;
constexpr int k_repr_max = 2000;

struct VmThread {
  runtime::ThreadState* ts = nullptr;
  VmInterp* interp = nullptr;
  Value exc;                 // the pending exception (owned), null if none
  Frame* frame = nullptr;    // innermost executing frame (vm.cpp)
  int depth = 0;             // Python call depth, for RecursionError
  // vm/frame_stack.cpp: the chunk in use and its first free byte (null until the first frame).
  FrameChunk* chunk = nullptr;
  char* top = nullptr;
  Value exc_info;            // the exception being handled (owned), null if none (vm.cpp)
  FloatFreeList float_free;  // objects/float_type.cpp
  // vm.cpp's len() shortcut: the builtins' len (borrowed) as of builtins dict len_dict at
  // version len_version.
  const DictObject* len_dict = nullptr;
  std::uint64_t len_version = 0;
  Value len;
  // objects/native.cpp's trashcan: dealloc nesting, whether the queue is being freed, and the
  // queue (linked through the dead objects' ob_tid).
  int trash_depth = 0;
  bool trash_draining = false;
  Object* trash_head = nullptr;
  // objects/native.cpp's repr guard: the containers whose repr is being built.
  int repr_depth = 0;
  Object* repr_stack[k_repr_max];
  // threading's Thread object of this thread (borrowed from its record); null on the thread
  // that started the interpreter (modules/threading.cpp).
  Value thread_obj;
  // The VmThread this OS thread left, detached, to run here (modules/subinterp.h's
  // InterpSwitch), or null: the chain names every interpreter the thread is inside.
  VmThread* outer = nullptr;
};

// The VM thread state of the calling thread (null when no thread state is attached): a copy
// of the current thread state's m_upper_state, kept beside it because the VM reads it on hot
// paths; whoever attaches a thread state for the language sets it, and clears it on leaving
// (interp_init.cpp, threading.cpp, subinterp.cpp). t_vm itself is the unchecked get.
inline thread_local VmThread* t_vm = nullptr;

// The checked get: in checked builds, verifies that t_vm is the attached thread state's.
inline VmThread* vm_thread_checked() {
  FTPY_DCHECK(t_vm && t_vm->ts == runtime::ThreadState::current_checked() &&
              t_vm->ts->m_upper_state == t_vm);
  return t_vm;
}

}  // namespace ftpy::interp
