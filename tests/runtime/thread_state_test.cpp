// thread_state_test.cpp: attach/detach transitions, critical sections released while
// detached and re-taken on attach, a thread blocked on a mutex not holding up a stop.
#include "runtime/thread_state.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "runtime/stop_the_world.h"
#include "tests/runtime/fixture.h"

using namespace ftpy::runtime;
using namespace ftpy::test;

TEST_CASE("attach and detach move between states and set the current thread state",
          "[runtime]") {
  auto* interp = main_interp();
  ThreadStatus st;
  ThreadState* ts = ThreadState::create(interp, &st);
  REQUIRE(st == ThreadStatus::Ok);
  REQUIRE(ts->state() == TState::Detached);
  REQUIRE(ThreadState::current() == nullptr);
  ts->attach();
  REQUIRE(ts->state() == TState::Attached);
  REQUIRE(ThreadState::current() == ts);
  REQUIRE(t_current_tid == ts->id());
  {
    Detached d(ts);
    REQUIRE(ts->state() == TState::Detached);
    REQUIRE(ThreadState::current() == nullptr);
    REQUIRE_FALSE(ftpy::sync::Qsbr::is_online(ts->qsbr()));
  }
  REQUIRE(ts->state() == TState::Attached);
  REQUIRE(ftpy::sync::Qsbr::is_online(ts->qsbr()));
  ThreadId first = ts->id();
  ts->destroy();
  ThreadState* ts2 = ThreadState::create(interp, &st);
  REQUIRE(ts2->id() > first);  // ids are never reused
  ts2->attach();
  ts2->destroy();
}

TEST_CASE("detaching releases critical sections and attaching re-takes them", "[runtime]") {
  auto* interp = main_interp();
  AttachedScope me(interp);
  Object obj{};
  {
    ftpy::sync::CriticalSection cs(me.ts()->critical_sections(), obj.ob_mutex);
    REQUIRE(obj.ob_mutex.is_locked());
    {
      Detached d(me.ts());
      REQUIRE_FALSE(obj.ob_mutex.is_locked());
      std::thread other([&] {
        ftpy::sync::MutexGuard g(obj.ob_mutex);  // another thread gets in while we block
      });
      other.join();
    }
    REQUIRE(obj.ob_mutex.is_locked());
  }
  REQUIRE_FALSE(obj.ob_mutex.is_locked());
}

TEST_CASE("a thread blocked on a contended mutex does not hold up stop-the-world",
          "[runtime]") {
  auto* interp = main_interp();
  Object obj{};
  obj.ob_mutex.lock();  // held by the test thread, which has no thread state
  std::atomic<bool> got{false};
  std::atomic<bool> waiting{false};
  std::thread blocked([&] {
    AttachedScope me(interp);
    waiting = true;
    // Parks with Detach: the thread state is detached while it waits.
    ftpy::sync::CriticalSection cs(me.ts()->critical_sections(), obj.ob_mutex);
    got = true;
  });
  while (!waiting.load()) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 20; i++) {
    StopTheWorld stw(interp);  // must complete although the thread never reaches a safe point
    REQUIRE(world_is_stopped(interp));
  }
  REQUIRE_FALSE(got.load());
  obj.ob_mutex.unlock();
  blocked.join();
  REQUIRE(got.load());
}
