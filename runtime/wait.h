// wait.h: wait_until, the one way a thread waits for a condition that another thread makes
// true (a collection slot to come free, a container's owner to pass a quiescent state, the
// last delayed frees at exit). Built on the parking lot: the waiter parks on an address with
// its predicate re-checked under that address's bucket lock (park_conditionally), and whoever
// makes the condition true calls wake_waiters(address) after the change, so no wake-up is
// lost. A condition changed where no one can afford to wake (a store in the VM's hot path)
// is instead re-checked in bounded timed parks: the call site says which and why.
// Thread rules: any thread; the waiting thread state is Detached for the wait (Detached),
// so it holds up no stop-the-world request and releases its critical sections meanwhile.
#pragma once
#include <type_traits>

#include "sync/clock.h"
#include "sync/parking_lot.h"

namespace ftpy::runtime {

class ThreadState;

// Type-erased slow path of wait_until.
bool wait_until_slow(ThreadState* ts, const void* addr, bool (*pred)(void* ctx), void* ctx,
                     sync::Nanos recheck, sync::Nanos timeout);

// Waits until pred() is true and returns true; false once `timeout` has passed without it
// (k_forever: no limit). Returns at once if pred() already holds. Otherwise spins briefly,
// then detaches `ts` (the caller's attached thread state; nullptr: stay as is) for the rest
// of the wait and parks on `addr`. pred runs under a parking-lot bucket lock: it must only
// read atomics (no lock, no blocking, no allocation). `recheck` is k_forever when every
// change that can make pred true is followed by wake_waiters(addr); otherwise the longest
// one park lasts before pred is tried again (the bounded timed fallback).
template <class Pred>
bool wait_until(ThreadState* ts, const void* addr, Pred&& pred,
                sync::Nanos recheck = sync::k_forever, sync::Nanos timeout = sync::k_forever) {
  if (pred()) return true;
  using P = std::remove_reference_t<Pred>;
  return wait_until_slow(
      ts, addr, [](void* ctx) { return bool((*static_cast<P*>(ctx))()); },
      const_cast<void*>(static_cast<const void*>(&pred)), recheck, timeout);
}

// Wakes every thread waiting on `addr`. Call after the change that makes their condition
// true (the change first: a waiter that re-checks after it sees it, one that checked
// before is already queued). Called with no parking-lot lock held.
inline void wake_waiters(const void* addr) { sync::parking_lot::unpark_all(addr); }

}  // namespace ftpy::runtime
