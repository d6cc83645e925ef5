// stop_the_world_test.cpp: requests against eight threads that mix attached busy loops and
// detached sleeps: every request sees all other threads parked and not running; nothing is
// lost (the test ends); threads that start or attach while the world is stopped wait.
#include "runtime/stop_the_world.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/runtime/fixture.h"
#include "tests/support/stress.h"

using namespace ftpy::runtime;
using namespace ftpy::test;

TEST_CASE("stop-the-world parks attached and detached threads, 10k requests",
          "[runtime][stress]") {
  auto* interp = main_interp();
  constexpr int k_threads = 8;
  constexpr int k_requests = 10000;
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  struct alignas(64) Progress {
    std::atomic<long> n{0};
  };
  std::vector<Progress> progress(k_threads);
  std::vector<std::thread> threads;
  for (int i = 0; i < k_threads; i++)
    threads.emplace_back([&, i] {
      AttachedScope me(interp);
      started++;
      long n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (i % 2 == 0 || n % 4 != 3) {
          // An attached busy loop with a safe point, like the VM's backward jump.
          for (int k = 0; k < 200; k++) progress[i].n.fetch_add(1, std::memory_order_relaxed);
          if (me.ts()->safe_point()) me.ts()->handle_eval_breaker();
        } else {
          Detached d(me.ts());
          std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        n++;
      }
    });
  while (started.load() < k_threads) std::this_thread::yield();

  AttachedScope requester(interp);
  Budget budget(20000);
  int requests = 0, violations = 0;
  for (; requests < k_requests && !budget.done(); requests++) {
    StopTheWorld stw(interp);
    REQUIRE(world_is_stopped(interp));
    int others = 0, suspended = 0;
    interp->for_each_thread_state([&](ThreadState* t) {
      if (t == requester.ts()) return;
      others++;
      if (t->state() == TState::Suspended) suspended++;
    });
    if (others != k_threads || suspended != k_threads) violations++;
    if (requests % 500 == 0) {
      // Nobody runs while the world is stopped.
      std::vector<long> before;
      for (auto& p : progress) before.push_back(p.n.load());
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      for (int i = 0; i < k_threads; i++)
        if (progress[i].n.load() != before[i]) violations++;
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  INFO("requests completed: " << requests);
  REQUIRE(violations == 0);
  REQUIRE(requests >= 500);
  auto& stats = interp->stw().stats;
  REQUIRE(stats.requests >= requests);
}

TEST_CASE("a thread state created or attaching while the world is stopped waits",
          "[runtime]") {
  auto* interp = main_interp();
  AttachedScope requester(interp);
  std::atomic<bool> attached{false};
  std::thread late;
  {
    StopTheWorld stw(interp);
    late = std::thread([&] {
      AttachedScope me(interp);  // created Suspended: attach waits for the restart
      attached = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    REQUIRE_FALSE(attached.load());
  }
  late.join();
  REQUIRE(attached.load());
}

TEST_CASE("global stop-the-world covers every interpreter", "[runtime][stress]") {
  auto* main = main_interp();
  InterpStatus st;
  Interpreter* sub = Runtime::get().create_interpreter(&st);
  REQUIRE(sub != nullptr);
  std::atomic<bool> stop{false};
  std::atomic<long> ticks{0};
  std::atomic<int> started{0};
  auto spin = [&](Interpreter* in) {
    AttachedScope me(in);
    started++;
    while (!stop.load()) {
      ticks.fetch_add(1);
      if (me.ts()->eval_breaker()) me.ts()->handle_eval_breaker();
    }
  };
  std::thread a(spin, main), b(spin, sub);
  while (started.load() < 2) std::this_thread::yield();
  for (int r = 0; r < 50; r++) {
    StopTheWorld stw{StopTheWorld::All{}};
    REQUIRE(world_is_stopped(main));
    REQUIRE(world_is_stopped(sub));
    long t0 = ticks.load();
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    REQUIRE(ticks.load() == t0);
  }
  stop = true;
  a.join();
  b.join();
  Runtime::get().destroy_interpreter(sub);
}

TEST_CASE("a world-stopped visit finds every tracked object of live and exited threads",
          "[runtime]") {
  auto* interp = main_interp();
  constexpr int k_each = 300;
  std::vector<std::atomic<int>> counts(2 * k_each);
  std::vector<Object*> objs(2 * k_each);
  // Half made by a thread that exits (its objects become orphans), half by this thread.
  std::thread gone([&] {
    AttachedScope me(interp);
    for (int i = 0; i < k_each; i++) {
      objs[i] = &new_test_obj(&test_gc_obj_type, counts.data(), i)->header;
      gc_track(objs[i]);
    }
  });
  gone.join();
  AttachedScope me(interp);
  for (int i = k_each; i < 2 * k_each; i++) {
    objs[i] = &new_test_obj(&test_gc_obj_type, counts.data(), i)->header;
    gc_track(objs[i]);
  }
  std::vector<int> seen(2 * k_each, 0);
  {
    StopTheWorld stw(interp);
    interp->visit_gc_objects_world_stopped([&](Object* o) {
      auto* t = reinterpret_cast<TestObj*>(o);
      if (o->ob_type == &test_gc_obj_type && t->dealloc_counts == counts.data()) seen[t->id]++;
    });
  }
  int once = 0;
  for (int n : seen) once += n == 1;
  REQUIRE(once == 2 * k_each);
  for (Object* o : objs) decref(o);
  for (auto& c : counts) REQUIRE(c.load() == 1);
}
