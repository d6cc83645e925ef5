// batched_counter_test.cpp: BatchedCounter asks for a flush exactly when its local delta
// reaches a whole batch of either sign, take() hands over the delta and resets it, and many
// owners flushing into one shared total keep it exact.
#include <atomic>
#include <catch2/catch.hpp>

#include "alloc/batched_counter.h"
#include "tests/support/stress.h"

using ftpy::alloc::BatchedCounter;

TEST_CASE("BatchedCounter asks for a flush at a whole batch of either sign", "[alloc]") {
  BatchedCounter<4> c;
  REQUIRE(c.pending() == 0);
  REQUIRE_FALSE(c.add(+1));
  REQUIRE_FALSE(c.add(+2));
  REQUIRE(c.pending() == 3);
  REQUIRE(c.add(+1));  // +4: a batch
  REQUIRE(c.take() == 4);
  REQUIRE(c.pending() == 0);
  REQUIRE_FALSE(c.add(-3));
  REQUIRE_FALSE(c.add(+2));  // back towards zero
  REQUIRE(c.pending() == -1);
  REQUIRE(c.add(-3));  // -4
  REQUIRE(c.take() == -4);
  REQUIRE(c.add(+9));  // one large delta overshoots: all of it is handed over
  REQUIRE(c.take() == 9);
  REQUIRE(c.take() == 0);
}

TEST_CASE("BatchedCounters of many threads keep a shared total exact", "[alloc][stress]") {
  constexpr int k_threads = 4;
  constexpr int k_steps = 20000;
  std::atomic<std::int64_t> total{0};
  ftpy::test::run_threads(k_threads, [&](int i) {
    BatchedCounter<64> c;
    auto flush = [&] { total.fetch_add(c.take(), std::memory_order_relaxed); };
    // Each thread counts up by 3 and down by 1 (odd threads the other way round), so the
    // deltas cross the batch in both directions.
    int up = i % 2 ? -1 : 3, down = i % 2 ? 3 : -1;
    for (int s = 0; s < k_steps; s++)
      if (c.add(s % 2 ? down : up)) flush();
    flush();  // at teardown, as ThreadHeaps::fini and ThreadState::destroy do
  });
  // Each pair of steps adds +2 on even threads and +2 on odd ones.
  REQUIRE(total.load() == std::int64_t(k_threads) * (k_steps / 2) * 2);
}
