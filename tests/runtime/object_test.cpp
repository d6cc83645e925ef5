// object_test.cpp: the header's layout and the owner/non-owner refcount paths.
#include "runtime/object.h"

#include <catch2/catch.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "tests/runtime/fixture.h"
#include "tests/support/stress.h"

using namespace ftpy::runtime;
using namespace ftpy::test;

TEST_CASE("the object header is 32 bytes with a one-byte mutex", "[runtime]") {
  STATIC_REQUIRE(sizeof(Object) == 32);
  STATIC_REQUIRE(sizeof(Object::ob_mutex) == 1);
}

TEST_CASE("the owner counts locally; other threads count shared", "[runtime]") {
  auto* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope me(interp);
  TestObj* t = new_test_obj(&test_obj_type, deallocs, 0);
  Object* o = &t->header;
  REQUIRE(o->ob_tid.load() == me.ts()->id());
  REQUIRE(refcount(o) == 1);
  incref(o);
  REQUIRE(o->ob_ref_local.load() == 2);
  REQUIRE(o->ob_ref_shared.load() == 0);
  std::thread other([&] {
    AttachedScope them(interp);
    incref(o);
    incref(o);
    decref(o);
  });
  other.join();
  REQUIRE(o->ob_ref_local.load() == 2);
  REQUIRE((o->ob_ref_shared.load() >> k_shared_shift) == 1);
  REQUIRE(refcount(o) == 3);
  decref(o);
  decref(o);
  REQUIRE(deallocs[0] == 0);  // the shared reference keeps it alive; owner gave up ownership
  REQUIRE(o->ob_tid.load() == 0);
  REQUIRE(o->ob_ref_shared.load() == ((1 << k_shared_shift) | k_shared_merged));
  decref(o);
  REQUIRE(deallocs[0] == 1);
}

TEST_CASE("immortal objects are never counted or freed", "[runtime]") {
  auto* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope me(interp);
  TestObj* t = new_test_obj(&test_obj_type, deallocs, 0);
  Object* o = &t->header;
  make_immortal(o);
  for (int i = 0; i < 10; i++) decref(o);
  incref(o);
  REQUIRE(is_immortal(o));
  REQUIRE(try_incref(o));
  REQUIRE(deallocs[0] == 0);
  // Give it back for the leak counts: restore an ordinary count of one and drop it.
  o->ob_ref_local.store(1);
  o->ob_tid.store(me.ts()->id());
  decref(o);
  REQUIRE(deallocs[0] == 1);
}

TEST_CASE("try_incref fails once the count may have reached zero", "[runtime]") {
  auto* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope me(interp);
  TestObj* t = new_test_obj(&test_obj_type, deallocs, 0);
  Object* o = &t->header;
  REQUIRE(try_incref(o));  // owner, alive
  decref(o);
  bool plain = true, readable = false;
  std::thread other([&] {
    AttachedScope them(interp);
    plain = try_incref(o);  // shared count zero, not marked readable: cannot prove liveness
  });
  other.join();
  REQUIRE_FALSE(plain);
  mark_shared_readable(o);
  std::thread other2([&] {
    AttachedScope them(interp);
    readable = try_incref(o);
    if (readable) decref(o);
  });
  other2.join();
  REQUIRE(readable);
  decref(o);
  REQUIRE(deallocs[0] == 1);
  // A merged object at zero is refused.
  Object dead{};
  dead.ob_ref_shared.store(k_shared_merged);
  dead.ob_tid.store(0);
  REQUIRE_FALSE(try_incref(&dead));
}

TEST_CASE("delayed frees complete while another thread only runs safe points",
          "[runtime][stress]") {
  // free_object_delayed keeps memory until every attached thread reported a quiescent state;
  // a busy thread reports one at each safe point, so the queue drains without it blocking.
  auto* interp = main_interp();
  std::int64_t baseline = live_objects(interp);
  std::atomic<bool> stop{false}, started{false};
  std::thread busy([&] {
    AttachedScope me(interp);
    started = true;
    while (!stop.load()) {
      if (me.ts()->safe_point()) me.ts()->handle_eval_breaker();
    }
  });
  while (!started.load()) std::this_thread::yield();
  {
    AttachedScope me(interp);
    constexpr int k_n = 3000;
    auto deallocs = std::make_unique<std::atomic<int>[]>(k_n);
    for (int i = 0; i < k_n; i++) {
      TestObj* t = new_test_obj(&test_obj_type, deallocs.get(), i);
      free_object_delayed(&t->header);  // as a dealloc that may race with lock-free readers
      if (me.ts()->safe_point()) me.ts()->handle_eval_breaker();
    }
    ftpy::test::Budget budget(10000);
    while (me.ts()->heaps().delayed_pending() > 0 && !budget.done()) {
      if (me.ts()->safe_point()) me.ts()->handle_eval_breaker();
      me.ts()->heaps().process_delayed();
      std::this_thread::yield();
    }
    REQUIRE(me.ts()->heaps().delayed_pending() == 0);
  }
  stop = true;
  busy.join();
  REQUIRE(live_objects(interp) == baseline);
}
