// local_refs.cpp: the uid table, switching an object to per-thread counts, and the slow path
// of a thread's count array (growing it). See local_refs.h.
#include "runtime/local_refs.h"

#include <new>

#include "runtime/brc.h"
#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {

bool LocalRefTable::add(Object* o, std::uint64_t* uid) {
  sync::MutexGuard g(m_mutex);
  try {
    m_objects.push_back(o);
  } catch (const std::bad_alloc&) {
    return false;
  }
  *uid = m_objects.size() - 1;
  return true;
}

void LocalRefTable::flush(const std::vector<std::int64_t>& counts) {
  sync::MutexGuard g(m_mutex);
  for (std::size_t uid = 0; uid < counts.size() && uid < m_objects.size(); uid++) {
    if (counts[uid] != 0)
      m_objects[uid]->ob_ref_shared.fetch_add(counts[uid] * (std::int64_t(1) << k_shared_shift),
                                              std::memory_order_relaxed);
  }
}

std::size_t LocalRefTable::size() {
  sync::MutexGuard g(m_mutex);
  return m_objects.size();
}

bool use_local_refs(Object* o) {
  ThreadId tid = o->ob_tid.load(std::memory_order_relaxed);
  if (tid & k_tid_local_refs) return true;
  if (is_immortal(o) || tid != t_current_tid || tid == 0) return false;
  // Waiting in our merge queue: the merge would reset ob_tid; leave it alone.
  if ((o->ob_ref_shared.load(std::memory_order_relaxed) & k_shared_flags) == k_shared_queued)
    return false;
  ThreadState* ts = ThreadState::current();
  std::uint64_t uid;
  if (!ts || !ts->interp()->local_refs().add(o, &uid)) return false;
  explicit_merge_refcount(o, 0);  // our local count into ob_ref_shared (other threads may add)
  // release: a thread that sees the tag also sees the merged count.
  o->ob_tid.store(k_tid_local_refs | uid, std::memory_order_release);
  return true;
}

void local_ref_slow(Object* o, ThreadId tid, std::int64_t delta) {
  ThreadState* ts = ThreadState::current();
  if (!ts || !ts->grow_local_refs(tid & ~k_tid_local_refs)) {
    // No thread state (teardown) or no memory: count in the shared field, which is exact too.
    o->ob_ref_shared.fetch_add(delta * (std::int64_t(1) << k_shared_shift),
                               std::memory_order_relaxed);
    return;
  }
  t_local_refs[tid & ~k_tid_local_refs] += delta;
}

}  // namespace ftpy::runtime
