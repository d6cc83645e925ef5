// interpreter_test.cpp: interpreters are created and destroyed with a status, never an
// abort; the arena pool limits how many live at once (the documented NoArena error) and is
// recycled: 10x the pool size in sequence, with live-block counts back to zero each time.
#include "runtime/interpreter.h"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "alloc/arena_pool.h"
#include "tests/runtime/fixture.h"

using namespace ftpy::runtime;
using namespace ftpy::test;
namespace arena_pool = ftpy::alloc::arena_pool;

namespace {
// Runs some object churn in `interp` on a fresh thread, leaving nothing alive.
void churn(Interpreter* interp, int n) {
  std::thread t([&] {
    AttachedScope me(interp);
    std::vector<std::atomic<int>> counts(n);
    std::vector<Object*> objs;
    for (int i = 0; i < n; i++) {
      objs.push_back(&new_test_obj(i % 2 ? &test_gc_obj_type : &test_obj_type, counts.data(), i)
                          ->header);
      if (i % 2) gc_track(objs.back());
    }
    for (Object* o : objs) decref(o);
  });
  t.join();
}
}  // namespace

TEST_CASE("interpreters are recycled through the arena pool", "[runtime]") {
  main_interp();
  int available = arena_pool::available();
  REQUIRE(available >= 1);
  for (int i = 0; i < 10 * arena_pool::k_max_arenas; i++) {
    InterpStatus st;
    Interpreter* interp = Runtime::get().create_interpreter(&st);
    REQUIRE(st == InterpStatus::Ok);
    REQUIRE(interp != nullptr);
    churn(interp, 200);
    REQUIRE(live_objects(interp) == 0);
    REQUIRE(interp->heaps().live_blocks(ftpy::alloc::Tag::Mem) == 0);
    Runtime::get().destroy_interpreter(interp);
    REQUIRE(arena_pool::available() == available);  // the clean arena came back
  }
}

TEST_CASE("creating an interpreter with no free arena fails with NoArena", "[runtime]") {
  main_interp();
  std::vector<Interpreter*> live;
  InterpStatus st = InterpStatus::Ok;
  for (int i = 0; i < arena_pool::k_max_arenas + 1; i++) {
    Interpreter* interp = Runtime::get().create_interpreter(&st);
    if (!interp) break;
    live.push_back(interp);
  }
  REQUIRE(st == InterpStatus::NoArena);
  REQUIRE(arena_pool::available() == 0);
  REQUIRE(std::string(to_string(st)).find("no free arena") != std::string::npos);
  for (Interpreter* interp : live) Runtime::get().destroy_interpreter(interp);
  InterpStatus again;
  Interpreter* one = Runtime::get().create_interpreter(&again);
  REQUIRE(again == InterpStatus::Ok);
  Runtime::get().destroy_interpreter(one);
}

TEST_CASE("each interpreter has its own arena and thread states", "[runtime]") {
  auto* main = main_interp();
  InterpStatus st;
  Interpreter* sub = Runtime::get().create_interpreter(&st);
  REQUIRE(sub != nullptr);
  REQUIRE(sub->heaps().arena() != main->heaps().arena());
  REQUIRE(sub->id() != main->id());
  std::thread t([&] {
    AttachedScope me(sub);
    FTPY_ASSERT(me.ts()->interp() == sub);
  });
  t.join();
  REQUIRE(sub->thread_count() == 0);
  Runtime::get().destroy_interpreter(sub);
}
