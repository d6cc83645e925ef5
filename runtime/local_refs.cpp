// local_refs.cpp: the uid table, switching an object to per-thread counts, and the slow path
// of a thread's count array (growing it). See local_refs.h.
#include "runtime/local_refs.h"

#include <new>

#include "runtime/interpreter.h"
#include "runtime/runtime.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

bool LocalRefTable::add(Object* o, std::uint64_t* uid) {
  sync::MutexGuard g(m_mutex);
  if (!m_free_uids.empty()) {
    *uid = m_free_uids.back();
    m_free_uids.pop_back();
    m_objects[*uid] = o;
    return true;
  }
  try {
    m_objects.push_back(o);
    m_flushed.push_back(0);
  } catch (const std::bad_alloc&) {
    if (m_objects.size() > m_flushed.size()) m_objects.pop_back();
    return false;
  }
  *uid = m_objects.size() - 1;
  return true;
}

void LocalRefTable::flush(const std::vector<std::int64_t>& counts) {
  sync::MutexGuard g(m_mutex);
  for (std::size_t uid = 0; uid < counts.size() && uid < m_flushed.size(); uid++)
    m_flushed[uid] += counts[uid];
}

void LocalRefTable::add_count(std::uint64_t uid, std::int64_t delta) {
  sync::MutexGuard g(m_mutex);
  if (uid < m_flushed.size()) m_flushed[uid] += delta;
}

std::int64_t LocalRefTable::flushed(std::uint64_t uid) {
  sync::MutexGuard g(m_mutex);
  return uid < m_flushed.size() ? m_flushed[uid] : 0;
}

void LocalRefTable::give_back(std::uint64_t uid) {
  sync::MutexGuard g(m_mutex);
  m_objects[uid] = nullptr;
  try {
    m_free_uids.push_back(uid);
  } catch (const std::bad_alloc&) {
    // Not reused.
  }
}

std::vector<Object*> LocalRefTable::objects_world_stopped() {
  sync::MutexGuard g(m_mutex);
  std::vector<Object*> out;
  out.reserve(m_objects.size());
  for (Object* o : m_objects)
    if (o) out.push_back(o);
  return out;
}

std::vector<std::int64_t> sum_local_refs(Interpreter* interp) {
  FTPY_DCHECK(world_is_stopped(interp));
  LocalRefTable& table = interp->local_refs();
  std::vector<std::int64_t> sums;
  {
    sync::MutexGuard g(table.m_mutex);
    sums = table.m_flushed;
  }
  // The head mutex too: a thread state may be created (born suspended) while we read.
  sync::MutexGuard head(Runtime::get().head());
  interp->for_each_thread_state([&](ThreadState* t) {
    const std::vector<std::int64_t>& mine = t->local_refs_world_stopped();
    for (std::size_t uid = 0; uid < mine.size() && uid < sums.size(); uid++) sums[uid] += mine[uid];
  });
  return sums;
}

void retire_local_refs(Interpreter* interp, Object* o) {
  FTPY_DCHECK(world_is_stopped(interp) && uses_local_refs(o));
  std::uint64_t uid = std::uint64_t(o->ob_ref_shared.load(std::memory_order_relaxed));
  {
    sync::MutexGuard head(Runtime::get().head());
    interp->for_each_thread_state([&](ThreadState* t) {
      std::vector<std::int64_t>& mine = t->local_refs_world_stopped();
      if (uid < mine.size()) mine[uid] = 0;
    });
  }
  LocalRefTable& table = interp->local_refs();
  {
    sync::MutexGuard g(table.m_mutex);
    table.m_flushed[uid] = 0;
  }
  table.give_back(uid);
  o->ob_gc_bits.fetch_and(std::uint8_t(~gc_bits::k_deferred), std::memory_order_relaxed);
  o->ob_ref_local.store(0, std::memory_order_relaxed);
  o->ob_ref_shared.store(0, std::memory_order_relaxed);
}

bool use_local_refs(Object* o) {
  if (uses_local_refs(o)) return true;
  ThreadId tid = o->ob_tid.load(std::memory_order_relaxed);
  if (is_immortal(o) || tid == 0 || tid != t_current_tid) return false;
  ThreadState* ts = ThreadState::current();
  std::uint64_t uid;
  // Another thread has counted it (or queued it for a merge): leave it as it is.
  if (!ts || o->ob_ref_shared.load(std::memory_order_relaxed) != 0) return false;
  if (!ts->interp()->local_refs().add(o, &uid)) return false;
  std::int64_t expected = 0;
  if (!o->ob_ref_shared.compare_exchange_strong(expected, std::int64_t(uid),
                                                std::memory_order_relaxed)) {
    ts->interp()->local_refs().give_back(uid);  // counted meanwhile: stay as it is
    return false;
  }
  // release: a thread that sees the bit also sees the uid.
  o->ob_gc_bits.fetch_or(gc_bits::k_deferred, std::memory_order_release);
  return true;
}

std::int64_t local_refs_count(Object* o) {
  std::int64_t n = o->ob_ref_local.load(std::memory_order_relaxed);
  if (!uses_local_refs(o)) return refcount(o);
  std::uint64_t uid = std::uint64_t(o->ob_ref_shared.load(std::memory_order_relaxed));
  ThreadState* ts = ThreadState::current();
  if (ts) n += ts->interp()->local_refs().flushed(uid);
  if (uid < t_local_refs_size) n += t_local_refs[uid];
  return n;
}

void local_ref_slow(Object* o, std::int64_t delta) {
  std::uint64_t uid = std::uint64_t(o->ob_ref_shared.load(std::memory_order_relaxed));
  ThreadState* ts = ThreadState::current();
  if (ts && ts->grow_local_refs(uid)) {
    t_local_refs[uid] += delta;
    return;
  }
  // No array (tearing down, or out of memory): count in the table, which is exact too.
  if (ts) ts->interp()->local_refs().add_count(uid, delta);
}

}  // namespace ftpy::runtime
