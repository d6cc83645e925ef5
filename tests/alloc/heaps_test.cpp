// heaps_test.cpp: Gc blocks come from their interpreter's own arena and nothing else does;
// live counts return to baseline when blocks are freed on other threads; a torn-down thread
// state's Gc heap is parked and taken back; the debug fill spares the keep ranges.
#include "alloc/heaps.h"

#include <mimalloc.h>

#include <algorithm>
#include <barrier>
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "sync/check.h"
#include "sync/qsbr.h"
#include "tests/alloc/test_block.h"
#include "tests/support/stress.h"

using namespace ftpy::alloc;
using ftpy::sync::Qsbr;
using ftpy::test::free_test_block;
using ftpy::test::new_test_block;
using ftpy::test::TestBlock;

namespace {

bool in_arena(ArenaId id, const void* p) {
  std::size_t size = 0;
  auto* base = static_cast<const char*>(mi_arena_area(id, &size));
  auto* c = static_cast<const char*>(p);
  return base && c >= base && c < base + size;
}

void require_zero_counts(const InterpHeaps& ih) {
  for (int t = 0; t < k_tags; t++) REQUIRE(ih.live_blocks(Tag(t)) == 0);
}

}  // namespace

TEST_CASE("Gc blocks come from the interpreter's arena, others do not", "[alloc]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps a, b;
  REQUIRE(a.init(&qsbr) == ArenaStatus::Ok);
  REQUIRE(b.init(&qsbr) == ArenaStatus::Ok);
  REQUIRE(a.arena() != b.arena());
  {
    ThreadHeaps ta, tb;
    REQUIRE(ta.init(&a, nullptr));
    REQUIRE(tb.init(&b, nullptr));
    REQUIRE(ta.heap(Tag::Gc) != tb.heap(Tag::Gc));
    struct Made {
      Tag tag;
      void* ptr;
      ThreadHeaps* owner;
    };
    std::vector<Made> blocks;
    for (std::size_t size : {32, 64, 200, 1000, 5000, 70000, 1 << 20}) {
      for (Tag t : {Tag::Mem, Tag::Object, Tag::Gc}) {
        void* pa = ta.alloc(t, size);
        void* pb = tb.alloc_zeroed(t, size);
        REQUIRE((pa && pb));
        REQUIRE(in_arena(a.arena(), pa) == (t == Tag::Gc));
        REQUIRE(in_arena(b.arena(), pb) == (t == Tag::Gc));
        REQUIRE_FALSE(in_arena(b.arena(), pa));
        REQUIRE_FALSE(in_arena(a.arena(), pb));
        blocks.push_back({t, pa, &ta});
        blocks.push_back({t, pb, &tb});
      }
    }
    // realloc_mem grows a Mem block in place or moves it, keeping the contents.
    auto* m = static_cast<char*>(ta.realloc_mem(nullptr, 16));
    REQUIRE(m);
    std::memcpy(m, "0123456789abcde", 16);
    m = static_cast<char*>(ta.realloc_mem(m, 100000));
    REQUIRE(m);
    REQUIRE(std::memcmp(m, "0123456789abcde", 16) == 0);
    REQUIRE_FALSE(in_arena(a.arena(), m));
    ta.free(Tag::Mem, m);
    for (const Made& m2 : blocks) m2.owner->free(m2.tag, m2.ptr);
    ta.fini();
    tb.fini();
  }
  require_zero_counts(a);
  require_zero_counts(b);
  a.fini();
  b.fini();
}

TEST_CASE("counts return to baseline with cross-thread frees", "[alloc][stress]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  constexpr int k_threads = 4;
  constexpr int k_blocks = 3000;  // per tag and thread: crosses k_count_batch
  std::vector<void*> made[k_threads][k_tags];
  std::barrier sync_point(k_threads);
  ftpy::test::ThreadChecks checks;
  ftpy::test::run_threads(k_threads, [&](int i) {
    ThreadHeaps th;
    checks.check(th.init(&ih, nullptr));
    for (int t = 0; t < k_tags; t++) {
      made[i][t].reserve(k_blocks);
      for (int k = 0; k < k_blocks; k++) {
        std::size_t size = 32 + std::size_t(k % 7) * 24;
        void* p = Tag(t) == Tag::Gc ? new_test_block(th, size) : th.alloc(Tag(t), size);
        checks.check(p != nullptr);
        made[i][t].push_back(p);
      }
    }
    th.flush_counts();
    sync_point.arrive_and_wait();
    if (i == 0) {
      for (int t = 0; t < k_tags; t++)
        checks.check(ih.live_blocks(Tag(t)) == k_threads * k_blocks);
    }
    sync_point.arrive_and_wait();
    // Free the next thread's blocks: remote frees, counted by the freeing thread.
    auto& theirs = made[(i + 1) % k_threads];
    for (int t = 0; t < k_tags; t++) {
      for (void* p : theirs[t]) {
        if (Tag(t) == Tag::Gc)
          free_test_block(th, static_cast<TestBlock*>(p));
        else
          th.free(Tag(t), p);
      }
    }
    th.fini();
  });
  REQUIRE(checks.failures == 0);
  require_zero_counts(ih);
  REQUIRE(ih.orphan_count() == 0);
  ih.fini();
}

TEST_CASE("a torn-down Gc heap is parked and taken back on the same thread", "[alloc]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  std::vector<TestBlock*> blocks;
  ThreadHeaps first;
  REQUIRE(first.init(&ih, nullptr));
  mi_heap_s* gc = first.heap(Tag::Gc);
  for (int k = 0; k < 300; k++) blocks.push_back(new_test_block(first, 48));
  void* untracked = first.alloc(Tag::Gc, 48);  // being built: never reported
  std::memset(untracked, 0, 48);
  first.fini();
  REQUIRE(ih.orphan_count() == blocks.size());
  for (auto* b : blocks) REQUIRE(b->flags.load() == (TestBlock::k_tracked | TestBlock::k_orphaned));

  ThreadHeaps second;
  REQUIRE(second.init(&ih, nullptr));
  REQUIRE(second.heap(Tag::Gc) == gc);
  // Nothing else runs: the world is stopped. The orphans are met in the heap they never left.
  std::vector<void*> seen;
  ih.visit_gc_world_stopped([&](void* b) { seen.push_back(b); });
  REQUIRE(seen.size() == blocks.size());
  std::sort(seen.begin(), seen.end());
  REQUIRE(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  for (auto* b : blocks) REQUIRE(std::binary_search(seen.begin(), seen.end(), b));
  REQUIRE(ih.orphan_count() == 0);
  for (auto* b : blocks) REQUIRE(b->flags.load() == TestBlock::k_tracked);
  for (auto* b : blocks) free_test_block(second, b);
  second.free(Tag::Gc, untracked);
  second.fini();
  require_zero_counts(ih);
  ih.fini();
}

TEST_CASE("freed Object and Gc blocks are filled except the keep ranges", "[alloc]") {
  if constexpr (!ftpy::k_checks) return;
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  ThreadHeaps th;
  REQUIRE(th.init(&ih, nullptr));
  for (Tag t : {Tag::Mem, Tag::Object, Tag::Gc}) {
    // A neighbour stays allocated so the page stays with the heap and the freed block stays
    // mapped and unused while it is inspected (reading freed mimalloc memory is well defined
    // at the machine level and invisible to ASan, which does not poison mimalloc's blocks).
    auto* keep_alive = static_cast<unsigned char*>(th.alloc(t, 96));
    auto* p = static_cast<unsigned char*>(th.alloc(t, 96));
    REQUIRE((keep_alive && p));
    std::size_t n = mi_usable_size(p);
    std::memset(p, 0x11, n);
    th.free(t, p);
    // Bytes 0..7 now hold mimalloc's free-list link: not checked. The runtime keeps ob_tid
    // there, which mimalloc overwrites on free whatever the fill does.
    for (std::size_t i = 8; i < n; i++) {
      bool kept = t == Tag::Mem || (i >= 8 && i < 16);
      INFO("tag " << int(t) << " byte " << i);
      REQUIRE(p[i] == (kept ? 0x11 : ftpy::alloc::k_debug_fill));
    }
    th.free(t, keep_alive);
  }
  th.fini();
  require_zero_counts(ih);
  ih.fini();
}
