// local_refs_test.cpp: per-thread reference counts (runtime/local_refs.h) and delayed
// references (ThreadState::decref_delayed) under real threads. Checked: counts taken and
// dropped on many threads add up exactly once every thread state has flushed; an object using
// per-thread counts is not freed by reference counting; a delayed reference is dropped only
// after every attached thread passed a quiescent state, then exactly once; the GC's side
// (sums with the world stopped, retirement, adoption, uid reuse) frees such an object once.
#include <atomic>
#include <catch2/catch.hpp>
#include <vector>

#include "runtime/brc.h"
#include "runtime/interpreter.h"
#include "runtime/local_refs.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"
#include "tests/runtime/fixture.h"
#include "tests/support/stress.h"

using namespace ftpy;
using namespace ftpy::test;

TEST_CASE("local refs: counts from many threads add up exactly", "[local_refs][threads][stress]") {
  runtime::Interpreter* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope main_scope(interp);
  TestObj* o = new_test_obj(&test_obj_type, deallocs, 0);
  runtime::Object* obj = &o->header;
  runtime::incref(obj);  // count 2 before the switch
  REQUIRE(runtime::use_local_refs(obj));
  REQUIRE(runtime::use_local_refs(obj));  // idempotent
  REQUIRE(runtime::uses_local_refs(obj));
  REQUIRE(runtime::is_owned_by_current_thread(obj));  // the owner keeps its fast path
  REQUIRE(runtime::local_refs_count(obj) == 2);
  constexpr int k_threads = 4, k_rounds = 20000;
  {
    runtime::Detached detached(main_scope.ts());  // joining threads below: stay out of the way
    run_threads(k_threads, [&](int t) {
      AttachedScope scope(interp);
      for (int i = 0; i < k_rounds; i++) {
        runtime::incref(obj);
        runtime::incref(obj);
        runtime::decref(obj);
      }
      // Thread 0 also drops more than it took: counts may be negative per thread.
      if (t == 0)
        for (int i = 0; i < k_rounds; i++) runtime::decref(obj);
    });
  }
  // Each thread flushed at destroy: net +k_rounds from threads 1..3, 0 from thread 0.
  REQUIRE(runtime::local_refs_count(obj) == 2 + (k_threads - 1) * k_rounds);
  // The owner drops every reference, more than its own share: at zero it gives up ownership
  // (its share never goes negative) and the object is never freed by counting (only the GC).
  for (int i = 0; i < 2 + (k_threads - 1) * k_rounds; i++) runtime::decref(obj);
  REQUIRE(!runtime::is_owned_by_current_thread(obj));
  REQUIRE(obj->ob_ref_local.load() == 0);
  REQUIRE(runtime::local_refs_count(obj) == 0);
  REQUIRE(deallocs[0].load() == 0);
}

TEST_CASE("decref_delayed waits for every attached thread's quiescent state",
          "[local_refs][qsbr][threads]") {
  runtime::Interpreter* interp = main_interp();
  std::atomic<int> deallocs[1] = {};
  AttachedScope main_scope(interp);
  std::atomic<int> phase{0};
  std::atomic<int> early{-1}, late{-1};
  {
    runtime::Detached detached(main_scope.ts());
    run_threads(2, [&](int t) {
      if (t == 0) {
        // A reader: attached and not quiescent until told.
        AttachedScope scope(interp);
        phase.store(1);
        while (phase.load() < 2) std::this_thread::yield();
        scope.ts()->safe_point();  // quiescent: the delayed reference may now go
        phase.store(3);
        while (phase.load() < 4) std::this_thread::yield();
      } else {
        while (phase.load() < 1) std::this_thread::yield();
        AttachedScope scope(interp);
        // Owned by this thread: the delayed decref drops the last reference.
        TestObj* o = new_test_obj(&test_obj_type, deallocs, 0);
        scope.ts()->decref_delayed(&o->header);
        for (int i = 0; i < 100; i++) {
          if (scope.ts()->safe_point()) scope.ts()->handle_eval_breaker();
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        early.store(deallocs[0].load());  // the reader has not passed a quiescent state yet
        phase.store(2);
        while (phase.load() < 3) std::this_thread::yield();
        for (int i = 0; i < 1000 && deallocs[0].load() == 0; i++)
          if (scope.ts()->safe_point()) scope.ts()->handle_eval_breaker();
        late.store(deallocs[0].load());
        phase.store(4);
      }
    });
  }
  REQUIRE(early.load() == 0);
  REQUIRE(late.load() == 1);
  REQUIRE(deallocs[0].load() == 1);
}

TEST_CASE("the GC's view of per-thread counts: sums, retirement, adoption and uid reuse",
          "[local_refs][gc]") {
  runtime::Interpreter* interp = main_interp();
  std::atomic<int> deallocs[2] = {};
  AttachedScope main_scope(interp);
  TestObj* a = new_test_obj(&test_obj_type, deallocs, 0);
  runtime::Object* obj = &a->header;
  REQUIRE(runtime::use_local_refs(obj));
  std::uint64_t uid = std::uint64_t(obj->ob_ref_shared.load());
  {
    // Another thread takes three references and drops one: its entry is +2 at its destroy.
    runtime::Detached detached(main_scope.ts());
    run_threads(1, [&](int) {
      AttachedScope scope(interp);
      for (int i = 0; i < 3; i++) runtime::incref(obj);
      runtime::decref(obj);
    });
  }
  {
    runtime::StopTheWorld stw(interp);
    std::vector<std::int64_t> sums = runtime::sum_local_refs(interp);
    REQUIRE(uid < sums.size());
    CHECK(sums[uid] == 2);
    CHECK(runtime::local_refs_true_count(obj, sums) == 3);  // the owner's 1 + 2
  }
  // Everyone drops theirs; the counts sum to zero but nobody frees the object.
  for (int i = 0; i < 3; i++) runtime::decref(obj);
  REQUIRE(deallocs[0].load() == 0);
  {
    // As a collection does for garbage: off per-thread counts, adopted with one reference.
    runtime::StopTheWorld stw(interp);
    std::vector<std::int64_t> sums = runtime::sum_local_refs(interp);
    REQUIRE(runtime::local_refs_true_count(obj, sums) == 0);
    runtime::retire_local_refs(interp, obj);
    runtime::adopt_unreachable(obj, main_scope.ts()->id(), 1);
  }
  CHECK_FALSE(runtime::uses_local_refs(obj));
  CHECK(runtime::is_owned_by_current_thread(obj));
  CHECK(runtime::refcount(obj) == 1);
  runtime::decref(obj);  // the collector's reference: freed at once, exactly once
  CHECK(deallocs[0].load() == 1);
  // The retired uid (every count of it zeroed) goes to the next object.
  TestObj* b = new_test_obj(&test_obj_type, deallocs, 1);
  REQUIRE(runtime::use_local_refs(&b->header));
  CHECK(std::uint64_t(b->header.ob_ref_shared.load()) == uid);
  CHECK(runtime::local_refs_count(&b->header) == 1);
  {
    runtime::StopTheWorld stw(interp);
    runtime::retire_local_refs(interp, &b->header);
    runtime::adopt_unreachable(&b->header, main_scope.ts()->id(), 1);
  }
  runtime::decref(&b->header);
  CHECK(deallocs[1].load() == 1);
}
