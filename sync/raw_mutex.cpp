// raw_mutex.cpp: RawMutex's slow paths (Drepper's "mutex 2"). State 2 means "locked, and a
// sleeper may exist": every thread that sleeps first sets 2, so an unlock from 2 must wake.
#include "sync/raw_mutex.h"

#include "sync/cpu.h"
#include "sync/futex.h"

namespace ftpy::sync {

namespace {
constexpr int k_spins = 100;
}  // namespace

void RawMutex::lock_slow() {
  for (int i = 0; i < k_spins; i++) {
    std::uint32_t expected = 0;
    if (m_state.load(std::memory_order_relaxed) == 0 &&
        m_state.compare_exchange_weak(expected, 1, std::memory_order_acquire,
                                      std::memory_order_relaxed))
      return;
    cpu_relax();
  }
  // acquire: as in lock(); 2 tells the eventual unlocker to wake a sleeper.
  std::uint32_t c = m_state.exchange(2, std::memory_order_acquire);
  while (c != 0) {
    futex_wait(m_state, 2, k_forever);
    c = m_state.exchange(2, std::memory_order_acquire);
  }
}

void RawMutex::unlock_slow() {
  // The state was 2: hand the word back and wake one sleeper (it will set 2 again if others
  // remain, so no wake-up is lost).
  m_state.store(0, std::memory_order_release);
  futex_wake(m_state, 1);
}

}  // namespace ftpy::sync
