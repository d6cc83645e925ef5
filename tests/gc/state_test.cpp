// state_test.cpp: the collector's trigger policy. The runtime only compares its count with
// the trigger gc/ hands it; that comparison must agree with gc::due for every input
// (threshold, enabled, survivors/4), however they were last changed.
#include <catch2/catch.hpp>

#include "gc/state.h"
#include "runtime/interpreter.h"
#include "tests/interp/vm_scope.h"

using namespace ftpy;

TEST_CASE("gc: the runtime's trigger agrees with the policy", "[gc]") {
  runtime::Interpreter* interp = test::main_vm()->ts->interp();
  gc::GcState& s = gc::state(interp);
  std::int64_t t0 = s.threshold.load(), t1 = s.threshold1.load(), t2 = s.threshold2.load();
  std::int64_t survivors = s.long_lived.load();
  bool enabled = s.enabled.load();
  auto agrees = [&] {
    std::int64_t trigger = interp->gc_count().trigger.load();
    for (std::int64_t n : {0, 1, 99, 100, 101, 249, 250, 251, 5000})
      if ((n > trigger) != gc::due(interp, n)) return false;
    return true;
  };
  gc::set_threshold(interp, 100, 10, 10);
  gc::set_survivors(interp, 0);
  gc::set_enabled(interp, true);
  CHECK(interp->gc_count().trigger.load() == 100);
  CHECK(agrees());
  gc::set_survivors(interp, 1000);  // a quarter of the survivors is above the threshold
  CHECK(interp->gc_count().trigger.load() == 250);
  CHECK(agrees());
  gc::set_enabled(interp, false);
  CHECK_FALSE(gc::due(interp, 1 << 30));
  CHECK(agrees());
  gc::set_enabled(interp, true);
  gc::set_threshold(interp, 0, 10, 10);  // threshold 0 disables automatic collection
  CHECK_FALSE(gc::due(interp, 1 << 30));
  CHECK(agrees());
  gc::set_threshold(interp, t0, t1, t2);
  gc::set_survivors(interp, survivors);
  gc::set_enabled(interp, enabled);
  CHECK(agrees());
}
