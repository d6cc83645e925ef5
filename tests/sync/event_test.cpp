// event_test.cpp: Event is one-shot, wakes every waiter, and wait_for times out.
#include "sync/event.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/stress.h"

using namespace ftpy::sync;

TEST_CASE("Event set before wait returns at once", "[sync]") {
  Event e;
  REQUIRE_FALSE(e.is_set());
  REQUIRE_FALSE(e.wait_for(0));
  e.set();
  REQUIRE(e.is_set());
  REQUIRE(e.wait_for(0));
  e.wait();
  e.set();  // setting twice is harmless
  REQUIRE(e.is_set());
}

TEST_CASE("Event wait_for times out", "[sync]") {
  Event e;
  Nanos t0 = monotonic_ns();
  REQUIRE_FALSE(e.wait_for(25 * k_ms));
  Nanos waited = monotonic_ns() - t0;
  REQUIRE(waited >= 25 * k_ms);
  REQUIRE(waited < 3 * k_s);
}

TEST_CASE("Event wakes every waiter, whatever the race with set", "[sync][stress]") {
  for (int round = 0; round < 200; round++) {
    Event e;
    std::atomic<int> woke{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; i++)
      ts.emplace_back([&] {
        e.wait();
        woke++;
      });
    if (round % 2) std::this_thread::yield();
    e.set();
    for (auto& t : ts) t.join();
    REQUIRE(woke == 4);
  }
}
