// raw_mutex_test.cpp: RawMutex excludes, under contention, with exact counts.
#include "sync/raw_mutex.h"

#include <catch2/catch.hpp>

#include "tests/support/stress.h"

using namespace ftpy::sync;
using ftpy::test::run_threads;

TEST_CASE("RawMutex is a word and starts unlocked", "[sync]") {
  static_assert(sizeof(RawMutex) == 4);
  RawMutex m;
  // The results in variables, not inside REQUIRE: the thread-safety analysis follows them.
  bool locked = m.try_lock();
  REQUIRE(locked);
  REQUIRE_FALSE(m.try_lock());
  if (locked) m.unlock();
  bool relocked = m.try_lock();
  REQUIRE(relocked);
  if (relocked) m.unlock();
}

TEST_CASE("RawMutex counts exactly under 8 threads", "[sync][stress]") {
  RawMutex m;
  long counter = 0;  // deliberately not atomic: the mutex must protect it
  constexpr int k_threads = 8, k_iters = 20000;
  run_threads(k_threads, [&](int) {
    for (int i = 0; i < k_iters; i++) {
      MutexGuard g(m);
      counter++;
    }
  });
  REQUIRE(counter == long(k_threads) * k_iters);
}
