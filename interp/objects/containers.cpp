// containers.cpp: the hand-over of a container from biased to locked writes, and the
// release of replaced arrays and tables (containers.h).
#include "interp/objects/containers.h"

#include "runtime/brc.h"
#include "runtime/interpreter.h"
#include "runtime/wait.h"
#include "sync/check.h"

namespace ftpy::interp {

void mark_shared_locked(Object* o) {
  if (is_shared(o)) return;
  runtime::ThreadId owner = o->ob_tid.load(std::memory_order_relaxed);
  if (owner == 0 || runtime::is_owned_by_current_thread(o)) {
    set_shared_locked(o);  // no owner section can be running unlocked
    return;
  }
  o->ob_gc_bits.fetch_or(runtime::gc_bits::k_sharing, std::memory_order_release);
  runtime::ThreadState* ts = runtime::ThreadState::current();
  runtime::Interpreter* interp = ts->interp();
  // The owner's next quiescent state comes after its current unlocked section, if any, and
  // the advance() (seq_cst) orders our bit before the goal it will read.
  sync::QsbrSeq goal = interp->qsbr().advance();
  sync::QsbrThread* slot = interp->brc().qsbr_slot(owner);
  if (!slot) {  // the owner has exited
    set_shared_locked(o);
    return;
  }
  // Wait detached, as for a contended lock: we must not hold up a stop-the-world request,
  // nor the owner if it is itself waiting here for us (two threads first touching each
  // other's containers). Detaching releases our critical sections for the while.
  // Nobody wakes this wait: the owner passes its quiescent states at safe points, one store
  // in the VM's hot path with no room for an unpark (and waking from detach and exit, which
  // also end the wait, would cost every blocking call a parking-lot lookup for a rare wait).
  // So it re-checks in bounded timed parks of 20 us.
  runtime::wait_until(ts, slot, [slot, goal] { return sync::Qsbr::passed(slot, goal); },
                      20 * sync::k_us);
  set_shared_locked(o);  // the hand-over is done: lock-free readers may read on
}

void mark_shared_slow(Object* o) {
  runtime::ThreadState* ts = runtime::ThreadState::current();
  FTPY_ASSERT(ts != nullptr);
  sync::CriticalSection cs(ts->critical_sections(), o->ob_mutex);
  mark_shared_locked(o);
}

void free_unlinked_mem(Value container, void* p) {
  if (!p) return;
  runtime::ThreadState* ts = runtime::ThreadState::current();
  if (writes_shared(container.obj()))
    ts->free_delayed(alloc::Tag::Mem, p);
  else
    ts->heaps().free(alloc::Tag::Mem, p);
}

}  // namespace ftpy::interp
