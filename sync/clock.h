// clock.h: monotonic time and the timeout convention used by every blocking call in ftpy.
// A timeout is a count of nanoseconds: k_forever (< 0) blocks without limit, 0 only tries,
// > 0 waits at most that long. Deadlines are absolute monotonic_ns() values.
#pragma once
#include <cstdint>
#include <ctime>

namespace ftpy::sync {

using Nanos = std::int64_t;
inline constexpr Nanos k_forever = -1;
inline constexpr Nanos k_us = 1000;
inline constexpr Nanos k_ms = 1000 * k_us;
inline constexpr Nanos k_s = 1000 * k_ms;

inline Nanos monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return Nanos(ts.tv_sec) * k_s + ts.tv_nsec;
}

// Deadline for a relative timeout; k_forever stays k_forever.
inline Nanos deadline_after(Nanos timeout) {
  return timeout < 0 ? k_forever : monotonic_ns() + timeout;
}

// Time left until a deadline (never negative); k_forever stays k_forever.
inline Nanos remaining_until(Nanos deadline) {
  if (deadline < 0) return k_forever;
  Nanos left = deadline - monotonic_ns();
  return left > 0 ? left : 0;
}

}  // namespace ftpy::sync
