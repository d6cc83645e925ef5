// mutex.cpp: Mutex's slow paths. The design is CPython's Python/lock.c (after WTF::Lock):
// spin a while, backing off, when the lock is held by a running thread; then set k_has_parked
// and park.
// unlock() with k_has_parked wakes one waiter; the decision to hand the lock off directly
// (fairness) is taken under the parking lot's bucket lock, in the unpark callback, so the lock
// byte and the queue change together.
#include "sync/mutex.h"

#include "sync/cpu.h"
#include "sync/futex.h"
#include "sync/parking_lot.h"

namespace ftpy::sync {

namespace {

constexpr int k_max_spins = 100;

// What a parked locker tells the unlocker, through the parking lot's `arg`.
struct MutexWaiter {
  Nanos time_to_be_fair;
  bool handed_off;  // written by the unlocker under the bucket lock, before the wake-up
};

}  // namespace

LockStatus Mutex::lock_slow(Nanos timeout, LockFlags flags) {
  Nanos deadline = timeout > 0 ? monotonic_ns() + timeout : timeout;
  // Fairness is measured from the first time this call parks, not from each re-park: a
  // waiter that keeps losing the race to barging lockers still reaches its hand-off.
  MutexWaiter waiter{0, false};
  int spins = 0;
  for (;;) {
    std::uint8_t v = m_bits.load(std::memory_order_relaxed);
    if (!(v & k_locked)) {
      if (m_bits.compare_exchange_weak(v, v | k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return LockStatus::Acquired;
      continue;
    }
    if (timeout == 0) return LockStatus::TimedOut;

    if (!(v & k_has_parked)) {
      if (spins < k_max_spins) {
        // The holder is probably running and about to unlock: spin, up to some tens of
        // microseconds (a hundred rounds, most of 16 pauses), before paying for a park and
        // a wake-up (two system calls and a scheduler round trip). Backing off (1, 2, 4 ...
        // 16 pauses between reads) keeps the waiter from pulling the lock's cache line away
        // from the holder, whose unlock then finds it still exclusive. No sched_yield: on a
        // loaded machine one yield can cost a whole time slice, and a waiter that spins in
        // yields for many milliseconds never parks, so it can neither sleep cheaply nor be
        // handed the lock.
        for (int i = 0, n = 1 << (spins < 4 ? spins : 4); i < n; i++) cpu_relax();
        spins++;
        continue;
      }
      if (!m_bits.compare_exchange_weak(v, v | k_has_parked, std::memory_order_relaxed,
                                        std::memory_order_relaxed))
        continue;
      v |= k_has_parked;
    }

    if (waiter.time_to_be_fair == 0) waiter.time_to_be_fair = monotonic_ns() + k_fair_after;
    Nanos left = deadline < 0 ? k_forever : remaining_until(deadline);
    ParkResult r = parking_lot::park(&m_bits, v, sizeof(m_bits), left, &waiter,
                                     flags == LockFlags::Detach);
    if (r == ParkResult::Ok && waiter.handed_off) {
      // The unlocker kept the byte locked for us; its release store is ordered before our
      // wake-up by the semaphore, so the critical section's data is visible.
      FTPY_DCHECK(is_locked());
      return LockStatus::Acquired;
    }
    if (r == ParkResult::TimedOut && deadline >= 0 && monotonic_ns() >= deadline)
      return LockStatus::TimedOut;
    // Woken without hand-off, a stale value, or the deadline not yet reached: try again.
  }
}

void Mutex::unlock_slow() {
  for (;;) {
    std::uint8_t v = m_bits.load(std::memory_order_relaxed);
    if (!(v & k_locked)) fatal("Mutex::unlock: the mutex is not locked");
    if (v & k_has_parked) {
      parking_lot::unpark_one(&m_bits, [this](UnparkInfo info) {
        std::uint8_t bits = 0;
        auto* waiter = static_cast<MutexWaiter*>(info.waiter_arg);
        if (waiter && monotonic_ns() >= waiter->time_to_be_fair) {
          // Hand-off: the waiter has been starved long enough; it owns the lock on waking.
          bits |= k_locked;
          waiter->handed_off = true;
          s_handoffs.fetch_add(1, std::memory_order_relaxed);
        }
        if (info.more_waiters) bits |= k_has_parked;
        // release: publishes the critical section to the next owner (pairs with lock's
        // acquire, or with the hand-off waiter's semaphore acquire).
        m_bits.store(bits, std::memory_order_release);
      });
      return;
    }
    if (m_bits.compare_exchange_weak(v, v & ~k_locked, std::memory_order_release,
                                     std::memory_order_relaxed))
      return;
  }
}

}  // namespace ftpy::sync
