// mutex.cpp: Mutex's slow paths. The design is CPython's Python/lock.c (after WTF::Lock):
// spin a while, backing off, when the lock is held by a running thread; then set k_has_parked
// and park.
// A critical section's lock (LockFlags::Brief) spins with an adaptive exponential backoff.
// Each look at the byte pulls its cache line away from the holder, who must take it back to
// store or unlock; a waiter that looks often makes every hand-off cost several cross-core
// moves (on a VM whose vCPUs sit on far cores, over 150 ns each). The waiter waits 2^level
// pauses before each look, level rising by one per look, and keeps the level it reached for
// its next contended section: one lower if its first look found the lock free (it may have
// waited longer than needed), and one lower per k_backoff_decay since. Under sustained
// contention (threads appending to one list) the waiter's looks grow sparse and the holder
// runs several sections with its lines in place, instead of every section moving them.
// Batching. When the lock is the bottleneck, the threads do best taking turns in runs of many
// sections (a GIL's rhythm, at a tenth of a millisecond), not in alternate sections: then every
// section moves the lines, and the hand-offs cost more than the threads gain by running their
// code between sections in parallel. Whether it is: a waiter's first look samples the lock's
// utilisation, the fraction of time it is held. Each thread keeps a running average of those
// samples (t_busy). Above k_busy_batch the waiter first waits k_batch_wait without looking, so
// the holder runs a batch undisturbed. Threads appending in a tight loop hold the lock about
// half the time and batch; threads that do some work per append hold it a small part of the
// time and alternate, running that work in parallel. Moves between far cores lengthen every
// section and so raise the utilisation: the same threads batch sooner when their cores are far
// apart. An average older than k_busy_stale is forgotten.
// Other locks (a Python Lock, which a thread may hold across a hand-off to another thread)
// keep short, bounded waits: there the wait is for an event, and latency matters more.
// unlock() with k_has_parked wakes one waiter; the decision to hand the lock off directly
// (fairness) is taken under the parking lot's bucket lock, in the unpark callback, so the lock
// byte and the queue change together.
#include "sync/mutex.h"

#include <algorithm>

#include "sync/cpu.h"
#include "sync/futex.h"
#include "sync/parking_lot.h"

namespace ftpy::sync {

namespace {

// Backoff levels: 2^level pauses before a look. Other locks stop growing at 2^4 (16 pauses,
// some hundreds of ns); critical sections at 2^10 (tens of microseconds).
constexpr int k_spin_level_max = 4;
constexpr int k_backoff_max = 10;
// Pauses a waiter spends spinning before it parks: some tens of microseconds for other
// locks, about a hundred for critical sections.
constexpr long k_spin_budget = 1536;
constexpr long k_brief_spin_budget = 1L << 12;
// Where this thread's last contended section left its level, and when. The level decays by
// one per k_backoff_decay without contention: slowly enough to leave a contended burst's
// rhythm alone (its waits are tens of microseconds), fast enough that a thread contended once
// long ago starts low.
thread_local int t_backoff_level = 0;
thread_local Nanos t_backoff_at = 0;
constexpr Nanos k_backoff_decay = 100 * k_us;
// The batching wait (above): t_busy is the running average of first looks that found the lock
// held, in 1/1024ths, each new sample weighing 1/8; t_busy_at is the time of the last sample.
thread_local int t_busy = 0;
thread_local Nanos t_busy_at = 0;
constexpr int k_busy_batch = 384;  // 37.5% held
constexpr Nanos k_busy_stale = k_ms;
constexpr Nanos k_batch_wait = 100 * k_us;

// What a parked locker tells the unlocker, through the parking lot's `arg`.
struct MutexWaiter {
  Nanos time_to_be_fair;
  bool handed_off;  // written by the unlocker under the bucket lock, before the wake-up
};

}  // namespace

LockStatus Mutex::lock_slow(Nanos timeout, LockFlags flags) {
  const bool adaptive = has_flag(flags, LockFlags::Brief);
  const Nanos start = adaptive || timeout > 0 ? monotonic_ns() : 0;
  Nanos deadline = timeout > 0 ? start + timeout : timeout;
  // Fairness is measured from the first time this call parks, not from each re-park: a
  // waiter that keeps losing the race to barging lockers still reaches its hand-off.
  MutexWaiter waiter{0, false};
  const int level_max = adaptive ? k_backoff_max : k_spin_level_max;
  const long budget = adaptive ? k_brief_spin_budget : k_spin_budget;
  int first_level = 0;  // where this call's backoff starts
  int waits = 0;
  long paused = 0;
  bool sample = adaptive;  // this call's first look samples the lock's utilisation
  if (adaptive) {
    const Nanos decay = (start - t_backoff_at) / k_backoff_decay;
    first_level = decay >= t_backoff_level ? 0 : t_backoff_level - int(decay);
    if (start - t_busy_at > k_busy_stale) t_busy = 0;
    t_busy_at = start;
    if (t_busy > k_busy_batch && timeout != 0) {
      // Counted against the spin budget, so a stop-the-world request waits no longer for a
      // batching waiter than for a spinning one. With a 25 ns pause the wait fills the
      // budget: a waiter that then finds the lock held parks.
      const Nanos until = deadline >= 0 ? std::min(start + k_batch_wait, deadline)
                                        : start + k_batch_wait;
      do {
        for (int i = 0; i < 16; i++) cpu_relax();
        paused += 16;
      } while (monotonic_ns() < until);
    }
  }
  int level = first_level;  // 2^level pauses before the next look
  for (;;) {
    // Written next if free: take the line exclusive with the look (sync/cpu.h).
    prefetch_for_write(&m_bits);
    std::uint8_t v = m_bits.load(std::memory_order_relaxed);
    if (sample) {
      sample = false;
      t_busy += ((v & k_locked ? 1024 : 0) - t_busy) / 8;
    }
    if (!(v & k_locked)) {
      if (m_bits.compare_exchange_weak(v, v | k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        // The next contended section starts at the level this one reached; one lower than
        // this one started if a single wait sufficed (it may have been too long).
        if (adaptive && waits > 0) {
          t_backoff_level = waits > 1 ? level : first_level > 0 ? first_level - 1 : 0;
          t_backoff_at = monotonic_ns();
        }
        return LockStatus::Acquired;
      }
      continue;
    }
    if (timeout == 0) return LockStatus::TimedOut;

    if (!(v & k_has_parked)) {
      if (paused < budget) {
        // The holder is probably running and about to unlock: spin (the budgets above)
        // before paying for a park and a wake-up (two system calls and a scheduler round
        // trip). No sched_yield: on a loaded machine one yield can cost a whole time slice,
        // and a waiter that spins in yields for many milliseconds never parks, so it can
        // neither sleep cheaply nor be handed the lock.
        const int n = 1 << level;
        for (int i = 0; i < n; i++) cpu_relax();
        paused += n;
        waits++;
        if (level < level_max) level++;
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
                                     has_flag(flags, LockFlags::Detach));
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
