// futex.h: thin wrappers over Linux futex(2) on a 32-bit word, and Semaphore, the per-thread
// wake-up signal of the parking lot. Internal to sync/.
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/clock.h"

namespace ftpy::sync {

// Sleeps while *word == expected, at most until `deadline` (absolute monotonic, k_forever for
// none). Spurious returns are allowed: callers re-check their condition.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, Nanos deadline);
void futex_wake(std::atomic<std::uint32_t>& word, int count);

// A counting semaphore owned by one thread (the only one that waits on it); any thread posts.
class Semaphore {
 public:
  // Returns true if a post was consumed, false if the deadline passed first.
  bool wait(Nanos deadline);
  void post();

 private:
  std::atomic<std::uint32_t> m_count{0};
};

}  // namespace ftpy::sync
