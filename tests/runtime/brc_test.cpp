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

// A parent whose dealloc drops its child: the owner's exit merges queued parents, and each
// merge that frees a parent decrements the child, which the owner also owns and which other
// threads are decrementing at the same time. The owner stays in its bucket until its queue
// is empty (CPython's order), so those decrements queue for it rather than merging in the
// decrementing thread while the owner still counts the child locally.
struct ParentObj {
  Object header;
  std::atomic<int>* dealloc_counts;
  std::int64_t id;
  Object* child;
};
void parent_dealloc(Object* o) {
  auto* p = reinterpret_cast<ParentObj*>(o);
  p->dealloc_counts[p->id].fetch_add(1, std::memory_order_relaxed);
  Object* child = p->child;
  free_object(o);
  decref(child);
}
Type parent_type = {"ParentObj", sizeof(ParentObj), 0, parent_dealloc, test_obj_traverse,
                    test_obj_clear};

TEST_CASE("an exiting owner's merges cascade into children others are dropping",
          "[runtime][stress]") {
  auto* interp = main_interp();
  constexpr int k_pairs = 20000, k_workers = 4;
  std::int64_t baseline = live_objects(interp);
  for (int round = 0; round < 5; round++) {
    auto parents_freed = std::make_unique<std::atomic<int>[]>(k_pairs);
    auto children_freed = std::make_unique<std::atomic<int>[]>(k_pairs);
    std::vector<Object*> parents(k_pairs), children(k_pairs);
    ftpy::sync::Event made;
    std::atomic<int> started{0};
    std::thread owner([&] {
      AttachedScope me(interp);
      for (int i = 0; i < k_pairs; i++) {
        children[i] = &new_test_obj(&test_obj_type, children_freed.get(), i)->header;
        auto* p = reinterpret_cast<ParentObj*>(alloc_object(&parent_type, sizeof(ParentObj)));
        FTPY_ASSERT(p != nullptr);
        p->dealloc_counts = parents_freed.get();
        p->id = i;
        p->child = children[i];  // the parent's reference (the child's first)
        parents[i] = &p->header;
        // One reference each per worker, in the owner's local counts.
        for (int w = 0; w < k_workers; w++) {
          incref(parents[i]);
          incref(children[i]);
        }
      }
      made.set();
      for (int i = 0; i < k_pairs; i++) decref(parents[i]);  // the owner's own
      // Exit once every worker is dropping: their decrements race with the merges of exit.
      while (started.load() < k_workers) std::this_thread::yield();
    });
    ftpy::test::run_threads(k_workers, [&](int w) {
      AttachedScope me(interp);
      made.wait();
      started.fetch_add(1);
      for (int k = 0; k < k_pairs; k++) {
        int i = (k * 7 + w * 131) % k_pairs;
        decref(parents[i]);
        decref(children[i]);
        if ((k & 63) == 0 && me.ts()->eval_breaker()) me.ts()->handle_eval_breaker();
      }
    });
    owner.join();
    int bad = 0;
    for (int i = 0; i < k_pairs; i++) bad += parents_freed[i] != 1 || children_freed[i] != 1;
    REQUIRE(bad == 0);
    REQUIRE(live_objects(interp) == baseline);
  }
}
