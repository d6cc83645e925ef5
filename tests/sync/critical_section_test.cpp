// critical_section_test.cpp: sections lock their mutexes, nest (same mutex once), suspend
// and resume as a thread state will on detach/attach, and never deadlock when two threads
// take two objects in opposite orders.
#include "sync/critical_section.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/stress.h"

using namespace ftpy::sync;
using ftpy::test::Budget;
using ftpy::test::run_threads;

namespace {
// Stands in for the thread state that owns the stack in the runtime.
thread_local CriticalSectionStack t_stack;
}  // namespace

TEST_CASE("a section holds its mutex; the same mutex nested locks once", "[sync]") {
  Mutex a;
  {
    CriticalSection cs(t_stack, a);
    REQUIRE(a.is_locked());
    {
      CriticalSection again(t_stack, a);  // would self-deadlock if it really locked
      REQUIRE(a.is_locked());
    }
    REQUIRE(a.is_locked());
  }
  REQUIRE_FALSE(a.is_locked());
  REQUIRE(t_stack.empty());
}

TEST_CASE("CriticalSection2 locks both, in address order, and the same one once", "[sync]") {
  Mutex ms[2];
  {
    CriticalSection2 cs(t_stack, ms[1], ms[0]);
    REQUIRE(ms[0].is_locked());
    REQUIRE(ms[1].is_locked());
  }
  REQUIRE_FALSE(ms[0].is_locked());
  REQUIRE_FALSE(ms[1].is_locked());
  {
    CriticalSection2 cs(t_stack, ms[0], ms[0]);
    REQUIRE(ms[0].is_locked());
  }
  REQUIRE_FALSE(ms[0].is_locked());
}

TEST_CASE("suspend_all releases every section; resume_top re-takes only the top", "[sync]") {
  Mutex a, b, c;
  {
    CriticalSection s1(t_stack, a);
    {
      CriticalSection2 s2(t_stack, b, c);
      REQUIRE((a.is_locked() && b.is_locked() && c.is_locked()));
      t_stack.suspend_all();  // the thread detaches
      REQUIRE_FALSE(a.is_locked());
      REQUIRE_FALSE(b.is_locked());
      REQUIRE_FALSE(c.is_locked());
      // Another thread can now take them.
      std::thread other([&] {
        MutexGuard g(a);
        MutexGuard h(b);
      });
      other.join();
      t_stack.resume_top();  // the thread attaches again
      REQUIRE(b.is_locked());
      REQUIRE(c.is_locked());
      REQUIRE_FALSE(a.is_locked());  // lower sections wait until they are the top again
    }
    REQUIRE(a.is_locked());  // ending s2 resumed s1
    REQUIRE_FALSE(b.is_locked());
  }
  REQUIRE_FALSE(a.is_locked());
  REQUIRE(t_stack.empty());
}

TEST_CASE("sections count exactly under 8 threads", "[sync][stress]") {
  Mutex m;
  long counter = 0;
  run_threads(8, [&](int) {
    for (int i = 0; i < 10000; i++) {
      CriticalSection cs(t_stack, m);
      counter++;
    }
  });
  REQUIRE(counter == 80000);
}

TEST_CASE("two threads locking (a,b) and (b,a) never deadlock", "[sync][stress]") {
  // With plain mutexes, nested a-then-b against b-then-a deadlocks quickly. Sections avoid it
  // two ways: CriticalSection2 orders by address, and a nested section that would block first
  // suspends the outer one. Both forms run 100k rounds (or the time budget under sanitizers).
  Mutex a, b;
  long both = 0;  // guarded by a and b together
  // Nested sections only guarantee the innermost mutex (the outer one may be suspended while
  // the inner one blocks), so each counter is touched only under its own mutex.
  long count_a = 0, count_b = 0;
  constexpr int k_rounds = 100000;
  std::atomic<long> rounds{0};
  Budget budget(8000);
  run_threads(2, [&](int me) {
    Mutex& first = me == 0 ? a : b;
    Mutex& second = me == 0 ? b : a;
    for (int r = 0; r < k_rounds; r++) {
      {
        CriticalSection2 cs(t_stack, first, second);
        both++;
      }
      {
        CriticalSection outer(t_stack, first);
        (me == 0 ? count_a : count_b)++;
        CriticalSection inner(t_stack, second);
        (me == 0 ? count_b : count_a)++;
      }
      rounds.fetch_add(1, std::memory_order_relaxed);
      if ((r & 1023) == 0 && budget.done()) break;
    }
  });
  REQUIRE(both == rounds.load());
  REQUIRE(count_a == rounds.load());
  REQUIRE(count_b == rounds.load());
  REQUIRE(rounds.load() >= 2000);
  REQUIRE_FALSE(a.is_locked());
  REQUIRE_FALSE(b.is_locked());
}
