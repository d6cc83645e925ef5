// event.cpp: Event on the parking lot. set() swaps in k_set and wakes everyone if the byte
// said k_has_parked; a waiter moves 0 -> k_has_parked and parks expecting k_has_parked, so a
// set() between its check and its sleep is seen by park()'s validation.
#include "sync/event.h"

#include "sync/parking_lot.h"

namespace ftpy::sync {

void Event::set() {
  // release: what the setter did before set() is visible to whoever sees k_set (acquire).
  std::uint8_t old = m_v.exchange(k_set, std::memory_order_acq_rel);
  if (old == k_has_parked) parking_lot::unpark_all(&m_v);
}

bool Event::wait_for(Nanos timeout, bool detach) {
  Nanos deadline = deadline_after(timeout);
  for (;;) {
    std::uint8_t v = m_v.load(std::memory_order_acquire);
    if (v == k_set) return true;
    if (timeout == 0) return false;
    if (v == 0 && !m_v.compare_exchange_weak(v, k_has_parked, std::memory_order_relaxed,
                                             std::memory_order_relaxed))
      continue;
    Nanos left = remaining_until(deadline);
    if (deadline >= 0 && left == 0) return is_set();
    ParkResult r = parking_lot::park(&m_v, k_has_parked, sizeof(m_v), left, nullptr, detach);
    if (r == ParkResult::TimedOut) return is_set();
  }
}

}  // namespace ftpy::sync
