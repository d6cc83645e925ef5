// once.h: Once, runs an initialisation exactly once; concurrent callers wait for it to finish
// (after CPython's _PyOnceFlag). One byte: 0 not done, k_running, k_has_parked (running with
// waiters), k_done. A function returning bool may fail (false): the flag goes back to "not
// done" and the next caller tries again. No allocation.
#pragma once
#include <atomic>
#include <cstdint>
#include <type_traits>

namespace ftpy::sync {

class Once {
 public:
  static constexpr std::uint8_t k_running = 1;
  static constexpr std::uint8_t k_has_parked = 2;
  static constexpr std::uint8_t k_done = 4;

  constexpr Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  bool is_done() const { return m_v.load(std::memory_order_acquire) == k_done; }

  // Runs `fn` unless it already ran to completion. Returns true when the Once is done.
  template <class F>
  bool call(F&& fn) {
    // acquire: pairs with call_slow's acq_rel exchange that stores k_done; the caller then
    // sees fn's effects.
    if (m_v.load(std::memory_order_acquire) == k_done) return true;
    return call_slow(
        [](void* ctx) -> bool {
          F& f = *static_cast<F*>(ctx);
          if constexpr (std::is_same_v<std::invoke_result_t<F&>, bool>) {
            return f();
          } else {
            f();
            return true;
          }
        },
        &fn);
  }

 private:
  bool call_slow(bool (*fn)(void*), void* ctx);

  std::atomic<std::uint8_t> m_v{0};
};

}  // namespace ftpy::sync
