// brc_test.cpp: biased reference counting under real threads: objects made on one thread,
// counted up and down by eight others, the owner exiting mid-way; every object is freed
// exactly once and the live-block counts come back to the baseline.
#include "runtime/brc.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "sync/event.h"
#include "tests/runtime/fixture.h"
#include "tests/support/stress.h"

using namespace ftpy::runtime;
using namespace ftpy::test;

TEST_CASE("BRC frees every object exactly once with the owner exiting mid-way",
          "[runtime][stress]") {
  auto* interp = main_interp();
  constexpr int k_objects = 10000, k_workers = 8;
  for (Type* type : {&test_obj_type, &test_gc_obj_type}) {
    std::int64_t baseline = live_objects(interp);
    auto deallocs = std::make_unique<std::atomic<int>[]>(k_objects);
    std::vector<Object*> objects(k_objects);
    ftpy::sync::Event made;
    std::atomic<int> workers_halfway{0};

    std::thread owner([&] {
      AttachedScope me(interp);
      for (int i = 0; i < k_objects; i++) {
        objects[i] = &new_test_obj(type, deallocs.get(), i)->header;
        if (type == &test_gc_obj_type) gc_track(objects[i]);
        // One reference per worker, counted in the owner's local count: each worker's final
        // decrement therefore goes through the merge queue (or an immediate merge once the
        // owner has exited).
        for (int w = 0; w < k_workers; w++) incref(objects[i]);
      }
      made.set();
      // Drop the owner's own references to half of them while the workers run.
      for (int i = 0; i < k_objects; i += 2) decref(objects[i]);
      while (workers_halfway.load() < k_workers) {
        if (me.ts()->eval_breaker()) me.ts()->handle_eval_breaker();  // merge at safe points
        std::this_thread::yield();
      }
      for (int i = 1; i < k_objects; i += 2) decref(objects[i]);
      // The owner exits now; the workers still hold references to every object.
    });

    ftpy::test::run_threads(k_workers, [&](int w) {
      AttachedScope me(interp);
      made.wait();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < k_objects; i++) {
          incref(objects[i]);
          incref(objects[i]);
          decref(objects[i]);
          decref(objects[i]);
        }
        if (me.ts()->eval_breaker()) me.ts()->handle_eval_breaker();
      }
      workers_halfway.fetch_add(1);
      // Drop this worker's reference to every object, in a different order per worker.
      for (int k = 0; k < k_objects; k++) {
        int i = (k * 7 + w * 131) % k_objects;
        decref(objects[i]);
        if ((k & 63) == 0 && me.ts()->eval_breaker()) me.ts()->handle_eval_breaker();
      }
    });
    owner.join();

    int freed_once = 0, bad = 0;
    for (int i = 0; i < k_objects; i++) {
      int n = deallocs[i].load();
      if (n == 1) freed_once++;
      else bad++;
    }
    INFO("type " << type->name);
    REQUIRE(bad == 0);
    REQUIRE(freed_once == k_objects);
    REQUIRE(live_objects(interp) == baseline);
  }
}

TEST_CASE("a decrement queued for a live owner is merged at its safe point", "[runtime]") {
  auto* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope me(interp);
  Object* o = &new_test_obj(&test_obj_type, deallocs, 0)->header;
  incref(o);  // a reference that the other thread will drop
  std::thread other([&] {
    AttachedScope them(interp);
    decref(o);  // shared count would go negative: queued for the owner
  });
  other.join();
  REQUIRE(o->ob_ref_shared.load() == k_shared_queued);
  REQUIRE((me.ts()->eval_breaker() & eval_breaker::k_merge_refcounts) != 0);
  me.ts()->handle_eval_breaker();
  REQUIRE(o->ob_tid.load() == 0);  // merged: the owner gave up ownership
  REQUIRE(refcount(o) == 1);
  REQUIRE(deallocs[0] == 0);
  decref(o);
  REQUIRE(deallocs[0] == 1);
}
