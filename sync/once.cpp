// once.cpp: Once's slow path. The first caller moves 0 -> k_running and runs the function;
// others set k_has_parked and park until the runner stores k_done (or 0 on failure, when one
// of them retries).
#include "sync/once.h"

#include "sync/parking_lot.h"

namespace ftpy::sync {

bool Once::call_slow(bool (*fn)(void*), void* ctx) {
  for (;;) {
    std::uint8_t v = m_v.load(std::memory_order_acquire);
    if (v == k_done) return true;
    if (v == 0) {
      if (!m_v.compare_exchange_weak(v, k_running, std::memory_order_acquire,
                                     std::memory_order_relaxed))
        continue;
      bool ok = fn(ctx);
      // release: fn's effects are visible to every caller that then sees k_done.
      std::uint8_t old = m_v.exchange(ok ? k_done : 0, std::memory_order_acq_rel);
      if (old & k_has_parked) parking_lot::unpark_all(&m_v);
      return ok;
    }
    if (!(v & k_has_parked)) {
      if (!m_v.compare_exchange_weak(v, v | k_has_parked, std::memory_order_relaxed,
                                     std::memory_order_relaxed))
        continue;
      v |= k_has_parked;
    }
    parking_lot::park(&m_v, v, sizeof(m_v), k_forever);
  }
}

}  // namespace ftpy::sync
