// mutex.h: Mutex, the one-byte lock in every object header (after CPython's PyMutex and
// WebKit's WTF::Lock). Zero is unlocked; no allocation, constexpr-initialised.
//
// Bits: k_locked, k_has_parked (some thread is, or is about to be, parked on this byte).
// Fast paths are one compare-exchange each. A contended lock spins briefly, then parks in the
// ParkingLot. Fairness: a waiter parked for over k_fair_after is handed the lock directly by
// unlock() (the byte stays locked, ownership moves), so no thread starves.
//
// Project lock order (outermost first): Runtime stop-the-world mutex > Interpreter
// stop-the-world mutex > object Mutexes (critical sections, address order) > internal queues'
// Mutexes (merge queues, orphan sets, arena pool) > ParkingLot bucket RawMutexes.
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/check.h"
#include "sync/clock.h"
#include "sync/raw_mutex.h"

namespace ftpy::sync {

enum class LockStatus { Acquired, TimedOut };

enum class LockFlags : std::uint8_t {
  None = 0,
  Detach = 1,  // if the thread must sleep, run its ParkHook (detach the thread state)
  Brief = 2,   // a critical section: held for a few hundred ns, perhaps by many threads in
               // turn; a waiter backs off adaptively (mutex.cpp)
};
constexpr LockFlags operator|(LockFlags a, LockFlags b) {
  return LockFlags(std::uint8_t(a) | std::uint8_t(b));
}
constexpr bool has_flag(LockFlags flags, LockFlags f) {
  return (std::uint8_t(flags) & std::uint8_t(f)) != 0;
}

class FTPY_CAPABILITY("mutex") Mutex {
 public:
  static constexpr std::uint8_t k_locked = 1;
  static constexpr std::uint8_t k_has_parked = 2;
  static constexpr Nanos k_fair_after = k_ms;

  constexpr Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock(LockFlags flags = LockFlags::None) FTPY_ACQUIRE() {
    std::uint8_t expected = 0;
    // acquire: pairs with the release in unlock() / unlock_slow().
    if (__builtin_expect(m_bits.compare_exchange_strong(expected, k_locked,
                                                        std::memory_order_acquire,
                                                        std::memory_order_relaxed),
                         1))
      return;
    lock_slow(k_forever, flags);
  }

  bool try_lock() FTPY_TRY_ACQUIRE(true) {
    std::uint8_t v = m_bits.load(std::memory_order_relaxed);
    // Barging is allowed even with parked waiters: only the locked bit excludes.
    while (!(v & k_locked)) {
      if (m_bits.compare_exchange_weak(v, v | k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return true;
    }
    return false;
  }

  // Waits at most `timeout` ns (k_forever: no limit; 0: try once). Clang's thread-safety
  // analysis cannot follow it: try_acquire_capability names its success value as a bool or
  // int literal and only understands a caller that tests the result against one, not an enum.
  // Code the analysis checks locks through try_lock_for, the same call as a bool.
  [[nodiscard]] LockStatus lock_timed(Nanos timeout, LockFlags flags = LockFlags::None) {
    std::uint8_t expected = 0;
    if (m_bits.compare_exchange_strong(expected, k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
      return LockStatus::Acquired;
    return lock_slow(timeout, flags);
  }
  // lock_timed for analysed callers: true when the lock was acquired.
  [[nodiscard]] bool try_lock_for(Nanos timeout, LockFlags flags = LockFlags::None)
      FTPY_TRY_ACQUIRE(true) {
    return lock_timed(timeout, flags) == LockStatus::Acquired;
  }

  void unlock() FTPY_RELEASE() {
    std::uint8_t expected = k_locked;
    // release: publishes the critical section; pairs with lock()'s acquire.
    if (__builtin_expect(m_bits.compare_exchange_strong(expected, 0, std::memory_order_release,
                                                        std::memory_order_relaxed),
                         1))
      return;
    unlock_slow();
  }

  bool is_locked() const { return m_bits.load(std::memory_order_relaxed) & k_locked; }
  // Tells the analysis that the caller holds this mutex, where it cannot see the lock (a
  // callback run under it). Checked builds check that some thread holds it.
  void assert_held() const FTPY_ASSERT_CAPABILITY(this) { FTPY_DCHECK(is_locked()); }

  // Process-wide count of fairness hand-offs (unlock gave the lock to a starved waiter).
  static long handoffs() { return s_handoffs.load(std::memory_order_relaxed); }

 private:
  LockStatus lock_slow(Nanos timeout, LockFlags flags);
  void unlock_slow();

  std::atomic<std::uint8_t> m_bits{0};
  static inline std::atomic<long> s_handoffs{0};  // slow path only; for tests and stats
};

static_assert(sizeof(Mutex) == 1, "Mutex must be one byte: it lives in every object header");
static_assert(std::atomic<std::uint8_t>::is_always_lock_free);

using MutexGuard = LockGuard<Mutex>;

}  // namespace ftpy::sync
