// once_test.cpp: Once runs its function exactly once while others wait, and retries after a
// failure.
#include "sync/once.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/stress.h"

using namespace ftpy::sync;
using ftpy::test::run_threads;

TEST_CASE("Once runs exactly once under a race, and everyone sees its effect", "[sync][stress]") {
  for (int round = 0; round < 100; round++) {
    Once once;
    std::atomic<int> runs{0};
    int value = 0;  // written by the one run, read by all: Once must order it
    std::atomic<int> seen_ok{0};
    run_threads(8, [&](int) {
      once.call([&] {
        runs++;
        std::this_thread::yield();
        value = 42;
      });
      if (value == 42) seen_ok++;
    });
    REQUIRE(runs == 1);
    REQUIRE(seen_ok == 8);
    REQUIRE(once.is_done());
  }
}

TEST_CASE("Once retries after a failed run", "[sync]") {
  Once once;
  int attempts = 0;
  REQUIRE_FALSE(once.call([&] { return ++attempts > 1; }));
  REQUIRE_FALSE(once.is_done());
  REQUIRE(once.call([&] { return ++attempts > 1; }));
  REQUIRE(once.is_done());
  REQUIRE(once.call([&] { return ++attempts > 1; }));
  REQUIRE(attempts == 2);
}
