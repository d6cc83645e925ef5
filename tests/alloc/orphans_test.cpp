// orphans_test.cpp: exited threads hand their Gc blocks over. After many short-lived threads
// leave survivors behind, a world-stopped visit reports every live tracked block exactly
// once, whether mimalloc reclaimed the abandoned pages into live heaps or not; freeing the
// survivors empties the orphan set. Frees racing with a hand-off never leave a dangling
// orphan.
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "alloc/heaps.h"
#include "sync/qsbr.h"
#include "tests/alloc/test_block.h"
#include "tests/support/stress.h"

using namespace ftpy::alloc;
using ftpy::sync::Qsbr;
using ftpy::test::Budget;
using ftpy::test::free_test_block;
using ftpy::test::new_test_block;
using ftpy::test::TestBlock;

namespace {

constexpr std::size_t k_sizes[] = {32, 48, 64, 96, 128, 256};

// Every block the visit reports, with how many times.
std::unordered_map<void*, int> visit_counts(InterpHeaps& ih) {
  std::unordered_map<void*, int> seen;
  ih.visit_gc_world_stopped([&](void* b) { seen[b]++; });
  return seen;
}

}  // namespace

TEST_CASE("every surviving block is visited exactly once", "[alloc][stress]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);

  // Waves of short-lived threads: each allocates 20-100 Gc blocks (and some Mem and Object
  // ones), frees some, keeps the rest, tears its heaps down and exits.
  constexpr int k_max_threads = 1000, k_wave = 8;
  std::mutex mu;
  std::vector<TestBlock*> survivors;
  Budget budget(4000);
  int threads_run = 0;
  ftpy::test::ThreadChecks checks;
  while (threads_run < k_max_threads && !budget.done()) {
    const int base = threads_run;
    ftpy::test::run_threads(k_wave, [&](int i) {
      std::mt19937 rng(unsigned(base + i));
      ThreadHeaps th;
      checks.check(th.init(&ih, nullptr));
      std::vector<TestBlock*> mine;
      int n = 20 + int(rng() % 81);
      for (int k = 0; k < n; k++) {
        TestBlock* b = new_test_block(th, k_sizes[rng() % std::size(k_sizes)]);
        checks.check(b != nullptr);
        if (b) mine.push_back(b);
      }
      void* mem = th.alloc(Tag::Mem, 200);
      void* obj = th.alloc(Tag::Object, 40);
      std::vector<TestBlock*> keep;
      for (TestBlock* b : mine) {
        if (rng() % 3 == 0)
          free_test_block(th, b);
        else
          keep.push_back(b);
      }
      th.free(Tag::Mem, mem);
      th.free(Tag::Object, obj);
      {
        std::lock_guard<std::mutex> g(mu);
        survivors.insert(survivors.end(), keep.begin(), keep.end());
      }
      th.fini();
    });
    threads_run += k_wave;
  }
  REQUIRE(checks.failures == 0);
  INFO("threads run: " << threads_run << ", survivors: " << survivors.size());
  REQUIRE(threads_run >= 64);
  REQUIRE(ih.live_blocks(Tag::Gc) == std::int64_t(survivors.size()));

  // New thread states that allocate many blocks of the same sizes, so mimalloc reclaims the
  // abandoned arena segments (and the orphans' pages) into their heaps. They stay alive,
  // blocked, while the main thread visits: the world is stopped.
  constexpr int k_blockers = 3, k_blocker_blocks = 4000;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<TestBlock*> blocker_blocks[k_blockers];
  std::vector<std::thread> blockers;
  for (int i = 0; i < k_blockers; i++) {
    blockers.emplace_back([&, i] {
      ThreadHeaps th;
      checks.check(th.init(&ih, nullptr));
      for (int k = 0; k < k_blocker_blocks; k++) {
        TestBlock* b = new_test_block(th, k_sizes[k % std::size(k_sizes)]);
        checks.check(b != nullptr);
        if (b) blocker_blocks[i].push_back(b);
      }
      th.flush_counts();
      ready.fetch_add(1, std::memory_order_release);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (TestBlock* b : blocker_blocks[i]) free_test_block(th, b);
      th.fini();
    });
  }
  while (ready.load(std::memory_order_acquire) < k_blockers) std::this_thread::yield();
  CHECK(checks.failures == 0);

  std::unordered_set<void*> expected(survivors.begin(), survivors.end());
  for (auto& v : blocker_blocks) {
    for (TestBlock* b : v) expected.insert(b);
  }
  const std::size_t orphans_before = ih.orphan_count();
  REQUIRE(orphans_before <= survivors.size());
  auto seen = visit_counts(ih);
  const std::size_t met_in_heaps = orphans_before - ih.orphan_count();
  INFO("orphans before the visit: " << orphans_before << ", met in live heaps: " << met_in_heaps);
  REQUIRE(seen.size() == expected.size());
  for (auto& [b, n] : seen) {
    REQUIRE(n == 1);
    REQUIRE(expected.count(b) == 1);
  }
  // A second visit reports the same blocks; met orphans stay out of the set.
  const std::size_t orphans_after = ih.orphan_count();
  auto seen2 = visit_counts(ih);
  REQUIRE(seen2 == seen);
  REQUIRE(ih.orphan_count() == orphans_after);

  go.store(true, std::memory_order_release);
  for (auto& t : blockers) t.join();
  REQUIRE(checks.failures == 0);

  // Free the survivors from a new thread state on the main thread.
  {
    ThreadHeaps th;
    REQUIRE(th.init(&ih, nullptr));
    for (TestBlock* b : survivors) free_test_block(th, b);
    th.fini();
  }
  REQUIRE(ih.orphan_count() == 0);
  for (int t = 0; t < k_tags; t++) REQUIRE(ih.live_blocks(Tag(t)) == 0);
  ih.fini();
}

TEST_CASE("frees racing with a hand-off leave no dangling orphan", "[alloc][stress]") {
  // One thread allocates blocks and tears down while two others free them: each block ends
  // either freed (never in the orphan set afterwards) or orphaned and in the set.
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  Budget budget(1500);
  constexpr int k_rounds = 40, k_blocks = 2000;
  int rounds = 0;
  for (; rounds < k_rounds && !budget.done(); rounds++) {
    std::vector<TestBlock*> blocks(k_blocks);
    std::atomic<int> published{0};
    std::atomic<bool> freed[k_blocks] = {};
    ftpy::test::ThreadChecks race_checks;
    ftpy::test::run_threads(3, [&](int i) {
      ThreadHeaps th;
      race_checks.check(th.init(&ih, nullptr));
      if (i == 0) {
        for (int k = 0; k < k_blocks; k++) {
          blocks[k] = new_test_block(th, k_sizes[k % std::size(k_sizes)]);
          race_checks.check(blocks[k] != nullptr);
          published.store(k + 1, std::memory_order_release);
        }
        th.fini();  // races with the frees below
      } else {
        // Thread 1 frees the even blocks, thread 2 every fourth odd one, as they appear.
        for (int k = 0; k < k_blocks; k++) {
          bool mine = i == 1 ? k % 2 == 0 : k % 4 == 1;
          if (!mine) continue;
          while (published.load(std::memory_order_acquire) <= k) std::this_thread::yield();
          free_test_block(th, blocks[k]);
          freed[k].store(true, std::memory_order_relaxed);
        }
        th.fini();
      }
    });
    REQUIRE(race_checks.failures == 0);
    std::size_t live = 0;
    {
      auto seen = visit_counts(ih);
      for (int k = 0; k < k_blocks; k++) {
        if (freed[k].load()) continue;
        live++;
        REQUIRE(seen.count(blocks[k]) == 1);
        REQUIRE(blocks[k]->flags.load() == (TestBlock::k_tracked | TestBlock::k_orphaned));
      }
      REQUIRE(seen.size() == live);
    }
    REQUIRE(ih.orphan_count() == live);
    ThreadHeaps th;
    REQUIRE(th.init(&ih, nullptr));
    for (int k = 0; k < k_blocks; k++)
      if (!freed[k].load()) free_test_block(th, blocks[k]);
    th.fini();
    REQUIRE(ih.orphan_count() == 0);
  }
  REQUIRE(rounds >= 3);
  for (int t = 0; t < k_tags; t++) REQUIRE(ih.live_blocks(Tag(t)) == 0);
  ih.fini();
}
