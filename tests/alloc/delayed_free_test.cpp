// delayed_free_test.cpp: a block freed with free_delayed stays allocated until every online
// thread has passed a quiescent state; offline threads do not hold it up; a torn-down thread
// state's pending blocks move to the interpreter, which frees them when their goal is reached
// or at teardown. Counts return to baseline; LeakSanitizer checks nothing else leaks.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <thread>
#include <vector>

#include "alloc/heaps.h"
#include "sync/qsbr.h"
#include "tests/alloc/test_block.h"
#include "tests/support/stress.h"

using namespace ftpy::alloc;
using ftpy::sync::Qsbr;
using ftpy::sync::QsbrThread;
using ftpy::test::Budget;

namespace {

std::int64_t live(ThreadHeaps& th, Tag t) {
  th.flush_counts();
  return th.interp()->live_blocks(t);
}

}  // namespace

TEST_CASE("free_delayed waits for online threads only", "[alloc]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  // Slots stand for three thread states; quiescent() is called for them from here.
  QsbrThread* self = qsbr.register_thread();
  QsbrThread* reader = qsbr.register_thread();
  QsbrThread* sleeper = qsbr.register_thread();
  REQUIRE((self && reader && sleeper));
  Qsbr::online(self);
  Qsbr::online(reader);  // sleeper stays offline throughout
  {
    ThreadHeaps th;
    REQUIRE(th.init(&ih, self));
    void* p = th.alloc(Tag::Mem, 64);
    void* q = th.alloc(Tag::Object, 64);
    REQUIRE(live(th, Tag::Mem) == 1);
    th.free_delayed(Tag::Mem, p);
    th.free_delayed(Tag::Object, q);
    REQUIRE(th.delayed_pending() == 2);
    Qsbr::quiescent(self);
    th.process_delayed();
    REQUIRE(th.delayed_pending() == 2);  // the reader has not passed a quiescent state
    REQUIRE(live(th, Tag::Mem) == 1);
    Qsbr::quiescent(reader);
    th.process_delayed();
    REQUIRE(th.delayed_pending() == 0);
    REQUIRE(live(th, Tag::Mem) == 0);
    REQUIRE(live(th, Tag::Object) == 0);

    // A reader that goes offline stops holding blocks up.
    void* r = th.alloc(Tag::Mem, 64);
    th.free_delayed(Tag::Mem, r);
    Qsbr::quiescent(self);
    th.process_delayed();
    REQUIRE(th.delayed_pending() == 1);
    Qsbr::offline(reader);
    th.process_delayed();
    REQUIRE(th.delayed_pending() == 0);
    REQUIRE(live(th, Tag::Mem) == 0);
    Qsbr::online(reader);

    // Pending blocks at teardown move to the interpreter.
    void* s = th.alloc(Tag::Mem, 64);
    auto* g = ftpy::test::new_test_block(th, 64);
    th.free_delayed(Tag::Mem, s);
    g->flags.store(0);  // untracked, as the runtime does before any free
    th.free_delayed(Tag::Gc, g);
    th.fini();
  }
  REQUIRE(ih.live_blocks(Tag::Mem) == 1);
  REQUIRE(ih.live_blocks(Tag::Gc) == 1);
  ih.process_shared_delayed(false);
  REQUIRE(ih.live_blocks(Tag::Mem) == 1);  // the reader still holds them up
  Qsbr::quiescent(reader);
  Qsbr::quiescent(self);
  ih.process_shared_delayed(false);
  REQUIRE(ih.live_blocks(Tag::Mem) == 0);
  REQUIRE(ih.live_blocks(Tag::Gc) == 0);

  // ...and at interpreter teardown everything left is freed, reached or not.
  {
    ThreadHeaps th;
    REQUIRE(th.init(&ih, self));
    for (int i = 0; i < 10; i++) th.free_delayed(Tag::Mem, th.alloc(Tag::Mem, 100));
    th.fini();
  }
  REQUIRE(ih.live_blocks(Tag::Mem) == 10);
  ih.fini();
  REQUIRE(ih.live_blocks(Tag::Mem) == 0);
  qsbr.unregister_thread(self);
  qsbr.unregister_thread(reader);
  qsbr.unregister_thread(sleeper);
}

TEST_CASE("the queue is processed when it passes a batch", "[alloc]") {
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  QsbrThread* self = qsbr.register_thread();
  QsbrThread* reader = qsbr.register_thread();
  Qsbr::online(self);
  Qsbr::online(reader);
  ThreadHeaps th;
  REQUIRE(th.init(&ih, self));
  std::vector<void*> first;
  for (std::size_t i = 0; i < ThreadHeaps::k_delayed_batch / 2; i++)
    th.free_delayed(Tag::Mem, th.alloc(Tag::Mem, 32));
  Qsbr::quiescent(self);
  Qsbr::quiescent(reader);  // the first half is now reclaimable
  for (std::size_t i = 0; i < ThreadHeaps::k_delayed_batch; i++)
    th.free_delayed(Tag::Mem, th.alloc(Tag::Mem, 32));
  REQUIRE(th.delayed_pending() < ThreadHeaps::k_delayed_batch + 1);
  // While the reader holds goals back, the queue grows without rescanning on every call.
  for (std::size_t i = 0; i < 4 * ThreadHeaps::k_delayed_batch; i++)
    th.free_delayed(Tag::Mem, th.alloc(Tag::Mem, 32));
  REQUIRE(th.delayed_pending() >= 4 * ThreadHeaps::k_delayed_batch);
  Qsbr::quiescent(self);
  Qsbr::quiescent(reader);
  th.process_delayed();
  REQUIRE(th.delayed_pending() == 0);
  REQUIRE(live(th, Tag::Mem) == 0);
  th.fini();
  ih.fini();
  qsbr.unregister_thread(self);
  qsbr.unregister_thread(reader);
}

TEST_CASE("readers never see a block freed with free_delayed", "[alloc][stress]") {
  // A writer replaces a shared Object block and frees the old one with free_delayed; readers
  // check it between quiescent states. A premature free shows as a bad magic once the block
  // is debug-filled (checks builds) or reused and rewritten.
  ftpy::test::register_test_ops();
  Qsbr qsbr;
  InterpHeaps ih;
  REQUIRE(ih.init(&qsbr) == ArenaStatus::Ok);
  struct Box {
    std::uint64_t word0;  // mimalloc's link after free
    std::atomic<std::uint32_t> magic;
    std::uint32_t generation;
  };
  constexpr std::uint32_t k_good = 0x600D600D;
  std::atomic<Box*> shared{nullptr};
  std::atomic<bool> stop{false};
  std::atomic<long> bad{0}, reads{0};
  std::atomic<int> started{0};
  constexpr int k_readers = 3;
  std::vector<std::thread> readers;
  for (int i = 0; i < k_readers; i++) {
    readers.emplace_back([&] {
      QsbrThread* t = qsbr.register_thread();
      Qsbr::online(t);
      started.fetch_add(1);
      while (!stop.load(std::memory_order_relaxed)) {
        for (int k = 0; k < 64; k++) {
          Box* b = shared.load(std::memory_order_acquire);
          if (b && b->magic.load(std::memory_order_relaxed) != k_good) bad++;
        }
        reads++;
        Qsbr::quiescent(t);
      }
      qsbr.unregister_thread(t);
    });
  }
  while (started.load() < k_readers) std::this_thread::yield();
  QsbrThread* self = qsbr.register_thread();
  Qsbr::online(self);
  {
    ThreadHeaps th;
    REQUIRE(th.init(&ih, self));
    Budget budget(800);
    for (int i = 0; i < 200000 && !budget.done(); i++) {
      auto* b = static_cast<Box*>(th.alloc(Tag::Object, sizeof(Box)));
      REQUIRE(b);
      b->magic.store(k_good, std::memory_order_relaxed);
      b->generation = std::uint32_t(i);
      Box* old = shared.exchange(b, std::memory_order_acq_rel);
      if (old) {
        th.free_delayed(Tag::Object, old);
      }
      if (i % 32 == 0) {
        Qsbr::quiescent(self);
        th.process_delayed();
      }
    }
    stop.store(true);
    for (auto& t : readers) t.join();
    Box* last = shared.exchange(nullptr);
    th.free(Tag::Object, last);
    Qsbr::quiescent(self);
    th.process_delayed();
    REQUIRE(th.delayed_pending() == 0);
    th.fini();
  }
  qsbr.unregister_thread(self);
  REQUIRE(reads.load() > 0);
  REQUIRE(bad.load() == 0);
  REQUIRE(ih.live_blocks(Tag::Object) == 0);
  ih.fini();
}
