// containers.h: the free-threaded container protocol (lists, dicts, instance and class
// dicts): lock-free reads, biased writes, and the hand-over between them.
// Readers. Hot-path readers (indexing, iteration, dict lookup with a str or number key, the
// VM's caches) take no lock: they load the item array or table and a slot, and count the
// value before their next safe point. That is safe because (a) every store into a live array
// or table is an atomic release store (slot_store) and the readers' loads are acquire loads
// (slot_load), so a reader that loads a pointer also sees the object behind it, (b) a
// replaced array or table is freed through QSBR (free_unlinked_mem), and (c) a value unlinked
// from the container is released through QSBR (release_unlinked, take_unlinked).
// Writers. A container is shared (gc_bits::k_shared) once a thread other than its owner has
// touched it. Until then its owner writes it without taking its critical section (biased
// writes: short sections that pass no safe point) and releases what it unlinks at once; from
// then on every writer holds the critical section (ObjectLock) and releases through QSBR.
// The hand-over (mark_shared_locked): a foreign thread takes the critical section, sets
// k_sharing, and waits until the owner has passed a quiescent state (or detached, or exited):
// any unlocked owner section that missed the bit has then ended, and every later one sees it;
// only then does it set k_shared. Writers go by either bit (writes_shared), lock-free readers
// only by k_shared (is_shared): a second foreign reader that comes during the wait (which
// detaches, releasing the section) does not read on while the owner may still free at once;
// it waits too.
// Like a contended lock, a long wait detaches; so a value read lock-free (borrowed) must be
// counted before the next container access, as before a call. Release/acquire on the bit
// carries that order to readers that find the mark already set.
// Lock order: one container's critical section at a time, or two through ObjectLock2
// (address order); nothing here takes another lock while holding one.
#pragma once
#include <cstddef>
#include <cstring>
#include <optional>

#include "interp/objects/object.h"
#include "runtime/thread_state.h"
#include "sync/cpu.h"
#include "sync/critical_section.h"

namespace ftpy::interp {

// Whether container o is shared, hand-over done (readers): acquire, pairs with the release
// that sets the bit.
inline bool is_shared(const Object* o) {
  return o->ob_gc_bits.load(std::memory_order_acquire) & runtime::gc_bits::k_shared;
}
// Whether writers must treat o as shared: shared, or being handed over.
inline bool writes_shared(const Object* o) {
  return o->ob_gc_bits.load(std::memory_order_acquire) &
         (runtime::gc_bits::k_shared | runtime::gc_bits::k_sharing);
}
// Sets the bit without the hand-over: for a container no other thread can see yet.
inline void set_shared_locked(Object* o) {
  o->ob_gc_bits.fetch_or(runtime::gc_bits::k_shared, std::memory_order_release);
}
// The hand-over above; the caller holds o's critical section.
void mark_shared_locked(Object* o);
// Takes o's critical section for the hand-over.
void mark_shared_slow(Object* o);
// Before a lock-free read of container `o`.
inline void ensure_shared(Object* o) {
  if (is_shared(o) || runtime::is_owned_by_current_thread(o)) return;
  mark_shared_slow(o);
}

inline Value slot_load(const Value* p) { return Value{__atomic_load_n(&p->bits, __ATOMIC_ACQUIRE)}; }
inline void slot_store(Value* p, Value v) { __atomic_store_n(&p->bits, v.bits, __ATOMIC_RELEASE); }
// Moves n slots within a live array of `container` (memmove semantics): slot by slot when
// lock-free readers may be looking (the container is shared), else one memmove.
inline void slots_move(Value container, Value* dst, const Value* src, std::size_t n) {
  if (!writes_shared(container.obj())) {
    std::memmove(static_cast<void*>(dst), src, n * sizeof(Value));
    return;
  }
  if (dst < src)
    for (std::size_t i = 0; i < n; i++) slot_store(dst + i, src[i]);
  else
    for (std::size_t i = n; i > 0; i--) slot_store(dst + i - 1, src[i - 1]);
}

// The container's critical section. A thread other than the owner also marks it shared
// (mark_shared_locked). A short section — one that runs no Python code and passes no safe
// point — skips the lock when the owner runs it on a container no other thread has touched
// (a biased write): single-threaded code pays no lock.
inline constexpr bool k_short = true;
inline bool biased(const Object* o) {
  return runtime::is_owned_by_current_thread(o) && !writes_shared(o);
}
class [[nodiscard]] ObjectLock {
 public:
  explicit ObjectLock(Value v, bool short_section = false) {
    Object* o = v.obj();
    // The header line is read (biased's owner test) and then written (the lock): take it
    // exclusive at once, or a contended lock's line crosses between cores twice.
    sync::prefetch_for_write(o);
    if (short_section && biased(o)) return;
    m_cs.emplace(runtime::ThreadState::current()->critical_sections(), o->ob_mutex);
    mark_if_foreign(o);
  }
  static void mark_if_foreign(Object* o) {
    if (!runtime::is_owned_by_current_thread(o)) mark_shared_locked(o);
  }
 private:
  std::optional<sync::CriticalSection> m_cs;
};

// Both containers' critical sections (locked in address order; the same object once).
class [[nodiscard]] ObjectLock2 {
 public:
  ObjectLock2(Value a, Value b, bool short_section = false) {
    if (short_section && biased(a.obj()) && biased(b.obj())) return;
    m_cs.emplace(runtime::ThreadState::current()->critical_sections(), a.obj()->ob_mutex,
                 b.obj()->ob_mutex);
    ObjectLock::mark_if_foreign(a.obj());
    ObjectLock::mark_if_foreign(b.obj());
  }
 private:
  std::optional<sync::CriticalSection2> m_cs;
};

// Marks a container shared from birth: for dicts that the VM's caches read without going
// through dict_type (module globals, builtins, class namespaces).
inline void mark_shared(Value container) { set_shared_locked(container.obj()); }

// `item` was just unlinked from `container` (lock held): drops the container's reference, at
// once if no other thread can be reading the container lock-free, else after a QSBR grace
// period.
inline void release_unlinked(Value container, Value item) {
  if (!item.is_object() || runtime::is_immortal(item.obj())) return;
  if (writes_shared(container.obj()))
    runtime::decref_delayed(item.obj());
  else
    runtime::decref(item.obj());
}
// `item` was just unlinked from `container` and its reference goes to the caller: in a shared
// container the caller gets a fresh reference and the container's is released through QSBR.
inline Value take_unlinked(Value container, Value item) {
  if (!item.is_object() || runtime::is_immortal(item.obj())) return item;
  if (writes_shared(container.obj())) {
    incref(item);
    runtime::decref_delayed(item.obj());
  }
  return item;
}
// Frees a replaced item array or table of `container` (lock held).
void free_unlinked_mem(Value container, void* p);

// l[i] = v for a list, taking v's reference: false (v untouched) when i is out of range.
bool list_store_steal(Value list, std::int64_t i, Value v);

// True if reading container o lock-free would first have to mark it shared (which may wait:
// see mark_shared_locked): hot paths holding borrowed values take the slow path.
inline bool needs_shared_mark(const Object* o) {
  return !is_shared(o) && !runtime::is_owned_by_current_thread(o);
}

}  // namespace ftpy::interp
