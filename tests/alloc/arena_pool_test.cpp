// arena_pool_test.cpp: arenas are recycled by clean interpreters (the pool never shrinks),
// and acquire() says Exhausted exactly when none is left. Other test cases in this process
// may hold or have retired arenas, so every check is relative to available().
#include "alloc/arena_pool.h"

#include <catch2/catch.hpp>
#include <vector>

#include "alloc/heaps.h"
#include "sync/qsbr.h"
#include "tests/alloc/test_block.h"

using namespace ftpy::alloc;
using ftpy::sync::Qsbr;

TEST_CASE("clean interpreters give their arena back", "[alloc]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  const int avail0 = arena_pool::available();
  REQUIRE(avail0 > 0);
  for (int i = 0; i < 10 * arena_pool::k_max_arenas; i++) {
    InterpHeaps ih;
    REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
    {
      ThreadHeaps th;
      REQUIRE(th.init(&ih, nullptr));
      std::vector<ftpy::test::TestBlock*> blocks;
      for (int k = 0; k < 50; k++) blocks.push_back(ftpy::test::new_test_block(th, sizeof(ftpy::test::TestBlock) + 8 * k));
      void* mem = th.alloc(Tag::Mem, 100);
      for (auto* b : blocks) {
        REQUIRE(b);
        ftpy::test::free_test_block(th, b);
      }
      th.free(Tag::Mem, mem);
      th.fini();
    }
    for (int t = 0; t < k_tags; t++) REQUIRE(ih.live_blocks(Tag(t)) == 0);
    ih.fini();
    REQUIRE(arena_pool::available() == avail0);
  }
}

TEST_CASE("acquire is Exhausted exactly when no arena is available", "[alloc]") {
  const int avail0 = arena_pool::available();
  std::vector<ArenaId> held;
  for (;;) {
    const int avail = arena_pool::available();
    ArenaLease lease = arena_pool::acquire();
    if (avail == 0) {
      REQUIRE(lease.status == ArenaStatus::Exhausted);
      break;
    }
    REQUIRE(lease.status == ArenaStatus::Ok);
    REQUIRE(arena_pool::available() == avail - 1);
    for (ArenaId id : held) REQUIRE(id != lease.id);
    held.push_back(lease.id);
  }
  REQUIRE(int(held.size()) == avail0);
  REQUIRE(arena_pool::free_count() == 0);
  // An interpreter created now fails cleanly.
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Exhausted);
  for (ArenaId id : held) arena_pool::release(id, /*empty=*/true);
  REQUIRE(arena_pool::available() == avail0);
  REQUIRE(arena_pool::free_count() == avail0);  // every arena not retired is free again
}
