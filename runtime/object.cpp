// object.cpp: allocating and freeing objects through the current thread state's tagged heaps,
// and the header accessors alloc/ uses to tell live GC objects from free blocks.
#include "runtime/object.h"

#include <cstring>

#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

namespace {
alloc::Tag tag_of(const Type* t) {
  return (t->flags & type_flags::k_gc) ? alloc::Tag::Gc : alloc::Tag::Object;
}

// Clears the tracked bit (atomically, racing with an exiting owner's orphan hand-off) and
// takes the object out of the orphan set if the hand-off got there first.
void untrack_for_free(Object* o, ThreadState* ts) {
  if (!(o->ob_type->flags & type_flags::k_gc)) return;
  ts->count_gc_object(-1);
  std::uint8_t old = o->ob_gc_bits.fetch_and(
      std::uint8_t(~(gc_bits::k_tracked | gc_bits::k_orphaned)), std::memory_order_acq_rel);
  if (old & gc_bits::k_orphaned) ts->interp()->heaps().remove_orphan(o);
}
}  // namespace

Object* alloc_object(Type* type, std::size_t size) {
  ThreadState* ts = ThreadState::current();
  FTPY_ASSERT(ts != nullptr);
  FTPY_DCHECK(size >= sizeof(Object));
  auto* o = static_cast<Object*>(ts->heaps().alloc_zeroed(tag_of(type), size));
  if (!o) return nullptr;
  o->ob_tid.store(ts->id(), std::memory_order_relaxed);
  o->ob_ref_local.store(1, std::memory_order_relaxed);
  o->ob_type = type;
  if (type->flags & type_flags::k_gc) ts->count_gc_object(+1);
  return o;
}

void free_object(Object* o) {
  ThreadState* ts = ThreadState::current();
  FTPY_ASSERT(ts != nullptr);
  untrack_for_free(o, ts);
  ts->heaps().free(tag_of(o->ob_type), o);
}

void free_object_delayed(Object* o) {
  ThreadState* ts = ThreadState::current();
  FTPY_ASSERT(ts != nullptr);
  untrack_for_free(o, ts);
  ts->free_delayed(tag_of(o->ob_type), o);
}

void decref_delayed(Object* o) {
  if (ThreadState* ts = ThreadState::current())
    ts->decref_delayed(o);
  else
    decref(o);
}

// Registered with alloc/ by the Runtime (alloc cannot see this header).
namespace {
const std::atomic<std::uint8_t>& gc_bits_of(const void* b) {
  return static_cast<const Object*>(b)->ob_gc_bits;
}
std::atomic<std::uint8_t>& gc_bits_of(void* b) { return static_cast<Object*>(b)->ob_gc_bits; }

alloc::ObjectBlockOps make_object_block_ops() {
  alloc::ObjectBlockOps ops{};
  ops.is_tracked = [](const void* b) {
    return bool(gc_bits_of(b).load(std::memory_order_acquire) & gc_bits::k_tracked);
  };
  ops.is_orphaned = [](const void* b) {
    return bool(gc_bits_of(b).load(std::memory_order_acquire) & gc_bits::k_orphaned);
  };
  ops.set_orphaned = [](void* b, bool orphaned) {
    if (orphaned) gc_bits_of(b).fetch_or(gc_bits::k_orphaned, std::memory_order_acq_rel);
    else gc_bits_of(b).fetch_and(std::uint8_t(~gc_bits::k_orphaned), std::memory_order_acq_rel);
  };
  // The exiting owner races with other threads freeing its objects: marking must fail if a
  // concurrent free_object already cleared the tracked bit (untrack_for_free is the other
  // half of this compare-exchange).
  ops.orphan_if_tracked = [](void* b) {
    auto& bits = gc_bits_of(b);
    std::uint8_t v = bits.load(std::memory_order_acquire);
    while ((v & gc_bits::k_tracked) && !(v & gc_bits::k_orphaned)) {
      if (bits.compare_exchange_weak(v, std::uint8_t(v | gc_bits::k_orphaned),
                                     std::memory_order_acq_rel, std::memory_order_acquire))
        return true;
    }
    return false;
  };
  // Debug fill keeps the owner id and everything from the GC bits to the shared count: a
  // racing reader then sees "untracked, count zero", never a fill pattern that looks live.
  // (mimalloc itself overwrites the first word of a freed block with its free-list link.)
  ops.keep[0] = {offsetof(Object, ob_tid), sizeof(ThreadId)};
  ops.keep[1] = {offsetof(Object, ob_gc_bits),
                 offsetof(Object, ob_type) - offsetof(Object, ob_gc_bits)};
  return ops;
}
}  // namespace

const alloc::ObjectBlockOps& object_block_ops() {
  static const alloc::ObjectBlockOps ops = make_object_block_ops();
  return ops;
}

}  // namespace ftpy::runtime
