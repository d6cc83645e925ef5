// wait.cpp: wait_until's slow path: a short spin, then detached parks until the predicate
// holds, the deadline passes or (with a recheck period) the next timed re-check.
#include "runtime/wait.h"

#include <algorithm>

#include "runtime/thread_state.h"
#include "sync/cpu.h"

namespace ftpy::runtime {

namespace {
// The condition is often made true within microseconds (an owner's next safe point): look
// a few times, with growing pauses (about 10 us in all), before paying for a detach, a park
// and a wake-up. No sched_yield, for sync/mutex.cpp's reason.
constexpr int k_spin_levels = 8;
}  // namespace

bool wait_until_slow(ThreadState* ts, const void* addr, bool (*pred)(void* ctx), void* ctx,
                     sync::Nanos recheck, sync::Nanos timeout) {
  sync::Nanos deadline = sync::deadline_after(timeout);
  for (int level = 0; level < k_spin_levels; level++) {
    for (int i = 0; i < (1 << level); i++) sync::cpu_relax();
    if (pred(ctx)) return true;
  }
  struct Waiting {
    bool (*pred)(void*);
    void* ctx;
  } waiting{pred, ctx};
  // park_conditionally parks only while this holds, checked under the bucket lock.
  auto still_false = [](void* w) {
    auto* self = static_cast<Waiting*>(w);
    return !self->pred(self->ctx);
  };
  Detached detached(ts);
  for (;;) {
    sync::Nanos left = sync::remaining_until(deadline);
    if (left == 0) return pred(ctx);
    sync::Nanos t = recheck < 0 ? left : left < 0 ? recheck : std::min(recheck, left);
    // Mismatch: pred held under the bucket lock. Ok: woken after a change. TimedOut: the
    // re-check period (or the deadline) passed. Each case looks again.
    if (sync::parking_lot::park_conditionally(addr, still_false, &waiting, t) ==
        sync::ParkResult::Mismatch)
      return true;
    if (pred(ctx)) return true;
  }
}

}  // namespace ftpy::runtime
