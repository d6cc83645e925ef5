// wait_test.cpp: wait_until returns once another thread makes the condition true and wakes
// the address, with the waiter detached meanwhile (stop-the-world completes around it); the
// timed re-check finds a condition nobody wakes; a timeout ends a wait whose condition never
// holds; and two threads handing a turn back and forth never lose a wake-up. Every wait is
// bounded, so a lost wake-up fails the test instead of hanging it.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "runtime/stop_the_world.h"
#include "runtime/wait.h"
#include "tests/runtime/fixture.h"
#include "tests/support/stress.h"

using namespace ftpy::runtime;
using namespace ftpy::test;
using ftpy::sync::k_ms;
using ftpy::sync::monotonic_ns;

// Far above any wait here: a wait that reaches it lost its wake-up.
constexpr ftpy::sync::Nanos k_bound = 10000 * k_ms;

TEST_CASE("wait_until wakes when another thread sets the condition, detached meanwhile",
          "[runtime]") {
  auto* interp = main_interp();
  std::atomic<bool> cond{false};
  std::atomic<bool> waiting{false};
  std::atomic<int> result{-1};
  std::thread waiter([&] {
    AttachedScope me(interp);
    waiting = true;
    bool ok = wait_until(me.ts(), &cond, [&] { return cond.load(); }, ftpy::sync::k_forever,
                         k_bound);
    result = ok && me.ts()->is_attached() ? 1 : 0;
  });
  while (!waiting.load()) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 5; i++) {
    // The waiter never reaches a safe point: this completes only because it is detached.
    StopTheWorld stw(interp);
    REQUIRE(world_is_stopped(interp));
  }
  REQUIRE(result.load() == -1);  // still waiting: nothing woke it
  cond = true;
  wake_waiters(&cond);
  waiter.join();
  REQUIRE(result.load() == 1);
}

TEST_CASE("wait_until's timed re-check finds a condition nobody wakes", "[runtime]") {
  std::atomic<bool> cond{false};
  std::thread setter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cond = true;  // no wake_waiters: the waiter's 1 ms re-checks must see it
  });
  ftpy::sync::Nanos t0 = monotonic_ns();
  bool ok = wait_until(nullptr, &cond, [&] { return cond.load(); }, 1 * k_ms, k_bound);
  ftpy::sync::Nanos waited = monotonic_ns() - t0;
  setter.join();
  REQUIRE(ok);
  CHECK(waited < k_bound / 2);
}

TEST_CASE("wait_until gives up at its timeout", "[runtime]") {
  std::atomic<bool> cond{false};
  ftpy::sync::Nanos t0 = monotonic_ns();
  REQUIRE_FALSE(wait_until(nullptr, &cond, [&] { return cond.load(); }, ftpy::sync::k_forever,
                           20 * k_ms));
  REQUIRE(monotonic_ns() - t0 >= 20 * k_ms);
  // A condition that already holds returns at once, timeout or not.
  cond = true;
  REQUIRE(wait_until(nullptr, &cond, [&] { return cond.load(); }, ftpy::sync::k_forever, 0));
}

TEST_CASE("wait_until loses no wake-up between two threads taking turns", "[runtime][stress]") {
  auto* interp = main_interp();
  std::atomic<long> turn{0};  // even: A's turn, odd: B's; -1: stop
  std::atomic<long> timeouts{0};
  long rounds = 0;
  auto wait_turn = [&](ThreadState* ts, long want) {
    if (!wait_until(ts, &turn, [&] { long t = turn.load(); return t == want || t < 0; },
                    ftpy::sync::k_forever, k_bound))
      timeouts.fetch_add(1);
  };
  std::thread b([&] {
    AttachedScope me(interp);  // B waits detached, A without a thread state
    for (long want = 1;; want += 2) {
      wait_turn(me.ts(), want);
      if (turn.load() < 0) return;
      turn = want + 1;
      wake_waiters(&turn);
    }
  });
  ftpy::test::Budget budget(300);
  for (long want = 0; want < 40000 && !budget.done() && timeouts.load() == 0; want += 2) {
    wait_turn(nullptr, want);
    turn = want + 1;
    wake_waiters(&turn);
    rounds++;
  }
  wait_turn(nullptr, 2 * rounds);  // B's last turn
  turn = -1;
  wake_waiters(&turn);
  b.join();
  REQUIRE(timeouts.load() == 0);
  REQUIRE(rounds > 0);
}
