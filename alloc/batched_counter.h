// batched_counter.h: BatchedCounter, one thread's share of a count kept exactly by many
// threads (live blocks per tag in alloc/heaps.h, Gc-heap objects in runtime/thread_state.h).
// The owner adds deltas locally, without atomics; once the local delta reaches +k_batch or
// -k_batch, add() says so and the owner moves it into the shared total (take()). Invariant:
// shared total + every owner's pending() == the true count. Owner thread only: the shared
// total, and how it is updated (plain add, clamped at zero, a trigger check), are the owner's.
#pragma once
#include <cstdint>

namespace ftpy::alloc {

template <std::int64_t Batch>
class BatchedCounter {
 public:
  static constexpr std::int64_t k_batch = Batch;
  static_assert(Batch > 0);

  // Adds `d` to the local delta. True when the delta has reached a whole batch (either sign):
  // the caller must then flush it (take() and add the result to the shared total).
  [[nodiscard]] bool add(std::int64_t d) {
    m_delta += d;
    return m_delta >= k_batch || m_delta <= -k_batch;
  }
  // Returns the local delta and resets it to zero (for the flush).
  std::int64_t take() {
    std::int64_t d = m_delta;
    m_delta = 0;
    return d;
  }
  std::int64_t pending() const { return m_delta; }

 private:
  std::int64_t m_delta = 0;
};

}  // namespace ftpy::alloc
