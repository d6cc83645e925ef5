// event.h: Event, a one-shot flag threads can wait on (after CPython's PyEvent). One byte:
// 0 unset, k_set, or k_has_parked (unset with waiters). Once set it stays set; set() wakes
// every waiter. No allocation; any thread may set or wait.
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/clock.h"

namespace ftpy::sync {

class Event {
 public:
  static constexpr std::uint8_t k_set = 1;
  static constexpr std::uint8_t k_has_parked = 2;

  constexpr Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  void set();
  // Back to unset. Only when no thread can be waiting (the owner re-arms it for reuse).
  void reset() { m_v.store(0, std::memory_order_relaxed); }
  bool is_set() const { return m_v.load(std::memory_order_acquire) == k_set; }
  void wait(bool detach = false) { (void)wait_for(k_forever, detach); }
  // True if set within `timeout` ns.
  [[nodiscard]] bool wait_for(Nanos timeout, bool detach = false);

 private:
  std::atomic<std::uint8_t> m_v{0};
};

}  // namespace ftpy::sync
