// frame_stack.cpp: the frame stack's slow paths (growth, teardown), its exported push/pop and
// its validation. The design and invariants are at the top of frame_stack.h.
#include "interp/vm/frame_stack.h"

#include <cstdlib>

#include "sync/check.h"

namespace ftpy::interp {

bool frame_stack_grow(VmThread* vt, std::size_t size) {
  FrameChunk* cur = vt->chunk;
  if (cur && cur->next && std::size_t(cur->next->end - cur->next->data()) >= size) {
    cur->saved_top = vt->top;
    vt->chunk = cur->next;
    vt->top = vt->chunk->data();
    return true;
  }
  std::size_t bytes = size + sizeof(FrameChunk) > k_frame_chunk_size ? size + sizeof(FrameChunk)
                                                                      : k_frame_chunk_size;
  // The frames' own bound (frame_stack.h): recursion that sys.setrecursionlimit allows but
  // the stack cannot hold ends in RecursionError, as a C stack overflow would in CPython.
  std::size_t held = 0;
  for (FrameChunk* p = cur; p; p = p->prev)
    held += std::size_t(p->end - reinterpret_cast<char*>(p));
  if (held + bytes > k_max_frame_stack) {
    raise(&g_RecursionError, "maximum recursion depth exceeded");
    return false;
  }
  auto* c = static_cast<FrameChunk*>(std::malloc(bytes));
  if (!c) {
    raise_no_memory();
    return false;
  }
  c->prev = cur;
  c->next = nullptr;
  c->saved_top = nullptr;
  c->end = reinterpret_cast<char*>(c) + bytes;
  if (cur) {
    for (FrameChunk* s = cur->next; s;) {  // too small for this frame: drop the spare chain
      FrameChunk* n = s->next;
      std::free(s);
      s = n;
    }
    cur->next = c;
    cur->saved_top = vt->top;
  }
  vt->chunk = c;
  vt->top = c->data();
  return true;
}

void release_blocks(Frame* f) {
  VmThread* vt = t_vm;
  for (std::uint32_t i = f->nblocks; i-- > 0;) {
    Block& b = f->blocks[i];
    if (b.kind == BlockKind::Handler) {
      Value cur = vt->exc_info;
      vt->exc_info = b.saved;
      xdecref(cur);
    }
  }
  f->nblocks = 0;
}

Frame* push_frame(CodeObject* co, Value globals) { return frame_push(co, globals); }

void pop_frame(Frame* f) { frame_pop(f); }

void free_frame_stack() {
  VmThread* vt = t_vm;
  FTPY_DCHECK(!vt->frame);
  if constexpr (k_checks) frame_stack_validate(vt);
  if (FrameChunk* c = vt->chunk) {
    while (c->prev) c = c->prev;
    while (c) {
      FrameChunk* n = c->next;
      std::free(c);
      c = n;
    }
  }
  vt->chunk = nullptr;
  vt->top = nullptr;
  xdecref(vt->exc_info);
  vt->exc_info = Value::null();
  release_float_cache();
}

namespace {
bool within(const void* p, const char* lo, const char* hi) {
  auto* c = static_cast<const char*>(p);
  return c >= lo && c <= hi;
}
}  // namespace

void frame_stack_validate(VmThread* vt) {
  if (!vt->chunk) {
    FTPY_ASSERT(!vt->top);
    FTPY_ASSERT(!vt->frame);
    return;
  }
  FTPY_ASSERT(within(vt->top, vt->chunk->data(), vt->chunk->end));
  FrameChunk* first = vt->chunk;
  while (first->prev) {
    FTPY_ASSERT(first->prev->next == first);
    first = first->prev;
    FTPY_ASSERT(within(first->saved_top, first->data(), first->end));
  }
  for (FrameChunk* c = vt->chunk; c->next; c = c->next) FTPY_ASSERT(c->next->prev == c);
  // Frames, innermost first: each in the used part of a chunk at or before the one of the
  // frame it called, and below that frame when in the same chunk.
  FrameChunk* c = vt->chunk;
  const char* limit = vt->top;
  for (Frame* f = vt->frame; f; f = f->prev) {
    while (!(reinterpret_cast<char*>(f) >= c->data() && reinterpret_cast<char*>(f) < limit)) {
      FTPY_ASSERT(c->prev != nullptr);  // not in any chunk below: a broken chain
      c = c->prev;
      limit = c->saved_top;
    }
    CodeObject* co = f->code;
    Value* base = f->stack_base();
    FTPY_ASSERT(f->sp >= base && f->sp <= base + co->stacksize);
    FTPY_ASSERT(f->nblocks <= co->maxblocks);
    FTPY_ASSERT(reinterpret_cast<char*>(f->blocks + co->maxblocks) <= limit);
    limit = reinterpret_cast<char*>(f);
  }
}

}  // namespace ftpy::interp
