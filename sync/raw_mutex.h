// raw_mutex.h: RawMutex, a word-sized lock for the parking lot's own buckets (it cannot park
// in the parking lot it protects). Drepper's three-state futex mutex ("Futexes Are Tricky"):
// 0 unlocked, 1 locked, 2 locked with possible sleepers. lock() spins briefly, then sleeps on
// the futex. Constexpr-initialised, no allocation; any thread may unlock only what it locked.
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/check.h"

namespace ftpy::sync {

class FTPY_CAPABILITY("mutex") RawMutex {
 public:
  constexpr RawMutex() = default;
  RawMutex(const RawMutex&) = delete;
  RawMutex& operator=(const RawMutex&) = delete;

  void lock() FTPY_ACQUIRE() {
    std::uint32_t expected = 0;
    // acquire: pairs with the release in unlock().
    if (m_state.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                        std::memory_order_relaxed))
      return;
    lock_slow();
  }
  bool try_lock() FTPY_TRY_ACQUIRE(true) {
    std::uint32_t expected = 0;
    return m_state.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                           std::memory_order_relaxed);
  }
  void unlock() FTPY_RELEASE() {
    // release: publishes the critical section to the next locker.
    if (m_state.fetch_sub(1, std::memory_order_release) != 1) unlock_slow();
  }

 private:
  void lock_slow();
  void unlock_slow();

  std::atomic<std::uint32_t> m_state{0};
};

// RAII guard for every lock type (RawMutex, Mutex, Ranked<...>): `MutexGuard g(m)` deduces
// the type. A class template, not an alias, so that deduction works on every compiler.
template <class M>
class [[nodiscard]] FTPY_SCOPED_CAPABILITY MutexGuard {
 public:
  explicit MutexGuard(M& m) FTPY_ACQUIRE(m) : m_mutex(m) { m_mutex.lock(); }
  ~MutexGuard() FTPY_RELEASE() { m_mutex.unlock(); }
  MutexGuard(const MutexGuard&) = delete;
  MutexGuard& operator=(const MutexGuard&) = delete;

 private:
  M& m_mutex;
};

}  // namespace ftpy::sync
