// futex.cpp: futex(2) calls and the parking lot's per-thread Semaphore.
#include "sync/futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace ftpy::sync {

void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, Nanos deadline) {
  timespec ts;
  timespec* tsp = nullptr;
  if (deadline >= 0) {
    ts.tv_sec = deadline / k_s;
    ts.tv_nsec = deadline % k_s;
    tsp = &ts;
  }
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline, so repeated spurious
  // wake-ups never stretch the timeout.
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word),
          FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, tsp, nullptr, FUTEX_BITSET_MATCH_ANY);
}

void futex_wake(std::atomic<std::uint32_t>& word, int count) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
          count, nullptr, nullptr, 0);
}

bool Semaphore::wait(Nanos deadline) {
  for (;;) {
    std::uint32_t c = m_count.load(std::memory_order_relaxed);
    while (c > 0) {
      // acquire: pairs with post()'s release, so the poster's writes are visible.
      if (m_count.compare_exchange_weak(c, c - 1, std::memory_order_acquire,
                                        std::memory_order_relaxed))
        return true;
    }
    if (deadline >= 0 && monotonic_ns() >= deadline) return false;
    futex_wait(m_count, 0, deadline);
  }
}

void Semaphore::post() {
  m_count.fetch_add(1, std::memory_order_release);
  futex_wake(m_count, 1);
}

}  // namespace ftpy::sync
