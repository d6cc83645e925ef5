// frame_stack.h: each thread state's stack of frames (vm.h's Frame), in chunks it alone uses.
// A frame is a bump allocation [Frame][localsplus][value stack][block stack], 16-byte aligned,
// from the current chunk (VmThread::chunk, first free byte VmThread::top); popping a frame
// lowers top to it, so frames are freed in reverse order of their pushes. When a frame does
// not fit, the next chunk (kept from an earlier growth if big enough, else a new one) becomes
// current and the old chunk remembers its top (saved_top); popping the first frame of a chunk
// returns to the previous one. Invariants (frame_stack_validate): the chunks form one doubly
// linked chain; data() <= top <= end in the current chunk, data() <= saved_top <= end in each
// before it; chunks after the current one are spares. Only the owning thread touches any of
// it; chunks are freed at thread-state teardown (free_frame_stack).
#pragma once
#include <cstddef>

#include "interp/objects/vm_state.h"
#include "interp/vm/fast_refs.h"
#include "interp/vm/function.h"
#include "interp/vm/vm.h"

namespace ftpy::interp {

struct FrameChunk {
  FrameChunk* prev;
  FrameChunk* next;  // a spare, or null
  char* saved_top;   // the top when the next chunk became current
  char* end;
  char* data() { return reinterpret_cast<char*>(this + 1); }
};
inline constexpr std::size_t k_frame_chunk_size = 512 * 1024;
// A thread's frames take at most this much (about 1.5 million calls of a small function): past
// it a call raises RecursionError whatever sys.setrecursionlimit says, so a huge limit cannot
// run the process out of memory (CPython's own bound is its C stack).
inline constexpr std::size_t k_max_frame_stack = std::size_t(256) << 20;

// Makes a chunk with at least `size` free bytes current. False with RecursionError set past
// k_max_frame_stack, or MemoryError (nothing changed either way).
bool frame_stack_grow(VmThread* vt, std::size_t size);
// Ends the handlers f's block stack still has (restoring the handled exception each saved).
void release_blocks(Frame* f);
// Checks the invariants above and, for each frame of vt's chain (vt->frame, prev...), that it
// lies in the used part of a chunk, below the frame it called, with sp and nblocks in range.
// fatal() on a broken one. For tests and checked builds.
void frame_stack_validate(VmThread* vt);

// push_frame's fast path (vm.h), forced inline into the eval loop (calls are everywhere): a
// bump allocation, no libc memset for the few locals, and counts through fast_incref/decref.
// With fn, the frame's code is fn's (fn owns it for good: __code__ cannot be rebound) and the
// frame is handed a reference to fn that the caller owns; without, the frame counts co.
[[gnu::always_inline]] inline Frame* frame_push(CodeObject* co, Value globals,
                                                FunctionObject* fn = nullptr) {
  VmThread* vt = t_vm;
  std::size_t nslots = co->nlocalsplus() + co->stacksize;
  std::size_t size = sizeof(Frame) + nslots * sizeof(Value) + co->maxblocks * sizeof(Block);
  size = (size + 15) & ~std::size_t(15);
  if (!vt->chunk || vt->top + size > vt->chunk->end) [[unlikely]] {
    if (!frame_stack_grow(vt, size)) return nullptr;
  }
  auto* f = reinterpret_cast<Frame*>(vt->top);
  vt->top += size;
  f->code = co;
  if (!fn) fast_incref(Value::from(&co->header));
  f->func = fn;
  f->globals = globals;
  f->builtins = vt->interp->builtins;
  f->locals = Value::null();
  f->prev = nullptr;
  f->ip = co->instrs;
  f->sp = f->stack_base();
  f->blocks = reinterpret_cast<Block*>(f->localsplus() + nslots);
  f->nblocks = 0;
  f->entry = false;
  f->init_self = Value::null();
  f->len_result = false;
  Value* lp = f->localsplus();
  for (std::uint32_t i = 0, n = co->nlocalsplus(); i < n; i++) lp[i] = Value::null();
  return f;
}

// pop_frame's fast path (vm.h): releases f's references and lowers the top to f.
[[gnu::always_inline]] inline void frame_pop(Frame* f) {
  if (f->nblocks) release_blocks(f);
  CodeObject* co = f->code;
  Value* end = f->localsplus() + co->nlocalsplus();
  for (Value* p = f->localsplus(); p < end; p++) fast_decref(*p);
  for (Value* p = f->stack_base(); p < f->sp; p++) fast_decref(*p);
  if (f->locals) fast_decref(f->locals);
  if (f->init_self) fast_decref(f->init_self);
  if (f->func)
    fast_decref(Value::from(&f->func->header));  // may free co, which f borrowed from it
  else
    fast_decref(Value::from(&co->header));
  VmThread* vt = t_vm;
  vt->top = reinterpret_cast<char*>(f);
  if (vt->top == vt->chunk->data() && vt->chunk->prev) [[unlikely]] {
    vt->chunk = vt->chunk->prev;
    vt->top = vt->chunk->saved_top;
  }
}

}  // namespace ftpy::interp
