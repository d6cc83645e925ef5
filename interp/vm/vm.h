// vm.h: the bytecode evaluator: frames, the per-thread frame stack, calls into Python code,
// the handled-exception state and the recursion guards.
// Frames live on a per-thread-state stack of chunks (frame_stack.h: never shared; a chunk is
// reused, not freed, until the thread state ends) laid out as
// [Frame][localsplus][value stack][block stack]. A frame
// belongs to the thread running it and is never seen by another thread (the GC, later, reads
// it with the world stopped). Python-to-Python calls push a frame and continue in the same C
// loop; native code calling Python enters eval_frame recursively, guarded by the C stack check.
#pragma once
#include <cstddef>
#include <cstdint>

#include "interp/compile/code.h"
#include "interp/objects/object.h"
#include "interp/objects/vm_state.h"

namespace ftpy::interp {

struct FunctionObject;

// A block-stack entry: a try's handler (Setup) or a running except/finally handler (Handler,
// which remembers the exception that was being handled before it, restored when it ends).
enum class BlockKind : std::uint32_t { Setup, Handler };
struct Block {
  std::uint32_t handler;  // Setup: instruction index of the handler
  std::uint32_t level;    // value-stack depth to restore
  BlockKind kind;
  Value saved;            // Handler: the previously handled exception (owned, may be null)
};

struct Frame {
  CodeObject* code;       // owned, or borrowed from func when there is one
  FunctionObject* func;   // owned; null for module and exec code
  Value globals;          // borrowed from func, or owned by the caller of run_code
  Value builtins;         // borrowed (the interpreter's)
  Value locals;           // owned; the namespace of Name ops (module: globals), else null
  Frame* prev;
  std::uint32_t* ip;      // next instruction, saved when this frame calls another
  Value* sp;              // value-stack top, saved likewise
  Block* blocks;
  std::uint32_t nblocks;
  bool entry;             // eval_frame returns when this frame finishes
  // Owned, usually null: an __init__ frame pushed by CALL for `Class(...)` returns this
  // instance to its caller (after checking that __init__ returned None).
  Value init_self;
  bool len_result;        // a __len__ frame run for len(): the caller gets slot_len's checks
  // Followed in memory by localsplus: locals, cells, free cells; then the value stack.
  Value* localsplus() { return reinterpret_cast<Value*>(this + 1); }

  Value* stack_base() { return localsplus() + code->nlocalsplus(); }
};

// frame_stack.cpp. Allocates a frame for `code` on this thread's frame stack, localsplus and blocks empty,
// the code referenced. null + MemoryError on failure.
Frame* push_frame(CodeObject* code, Value globals);
// Releases the frame's references and pops it (it must be the top frame).
void pop_frame(Frame* f);

// Runs `f` (already pushed, arguments bound) to completion and pops it. New reference or
// null with the exception set.
// noexcept: a C++ exception must never cross it (unwinding would skip frame_pop and leave
// the thread's frame stack inconsistent). Allocation failures are turned into MemoryError
// below it, where natives and helpers run (call_native_fn, native_guard); one that still
// reached here would end the process, never corrupt it.
Value eval_frame(Frame* f) noexcept;

// Runs module or exec code with the given globals; locals is the Name-ops namespace.
Value run_code(CodeObject* code, Value globals, Value locals);
// Calls a Python function (the function type's call slot).
Value call_function(FunctionObject* f, const Value* args, std::size_t nargs,
                    TupleObject* kwnames);
// Runs a class body function with `ns` as its namespace; returns what the body returns (the
// __class__ cell or None).
Value run_class_body(FunctionObject* f, Value ns);

// The exception being handled by the innermost running except clause (borrowed), or null.
Value handled_exception();


// The innermost executing frame of this thread (for super(), tracebacks), or null.
inline Frame* current_frame() { return t_vm ? t_vm->frame : nullptr; }

// Frees this thread state's frame-stack chunks, handled exception and float free list (at
// thread-state teardown, still attached; no frame may be live). frame_stack.cpp.
void free_frame_stack();

bool init_vm_types();

}  // namespace ftpy::interp
