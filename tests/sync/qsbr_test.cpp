// qsbr_test.cpp: a goal is reached only after every online thread has passed a quiescent
// state; offline threads do not hold it up; memory freed at its goal is never read after.
#include "sync/qsbr.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/support/stress.h"

using namespace ftpy::sync;
using ftpy::test::Budget;
using ftpy::test::run_threads;

TEST_CASE("poll waits for every online thread", "[sync]") {
  Qsbr q;
  QsbrThread* a = q.register_thread();
  QsbrThread* b = q.register_thread();
  QsbrThread* c = q.register_thread();
  REQUIRE((a && b && c));
  Qsbr::online(a);
  Qsbr::online(b);
  // c stays offline: it must not hold reclamation up.
  QsbrSeq goal = q.advance();
  REQUIRE_FALSE(q.poll(goal));
  Qsbr::quiescent(a);
  REQUIRE_FALSE(q.poll(goal));
  Qsbr::quiescent(b);
  REQUIRE(q.poll(goal));
  // Going offline releases a thread from later goals.
  QsbrSeq goal2 = q.advance();
  Qsbr::offline(b);
  REQUIRE_FALSE(q.poll(goal2));
  Qsbr::quiescent(a);
  REQUIRE(q.poll(goal2));
  // A thread coming back online starts at the current sequence.
  Qsbr::online(c);
  REQUIRE(q.poll(goal2));
  QsbrSeq goal3 = q.advance();
  Qsbr::quiescent(a);
  REQUIRE_FALSE(q.poll(goal3));
  Qsbr::quiescent(c);
  REQUIRE(q.poll(goal3));
  q.unregister_thread(a);
  q.unregister_thread(b);
  q.unregister_thread(c);
}

TEST_CASE("thread slots are reused and many threads register", "[sync]") {
  Qsbr q;
  std::vector<QsbrThread*> ts;
  for (int i = 0; i < 100; i++) ts.push_back(q.register_thread());
  QsbrThread* first = ts[0];
  q.unregister_thread(first);
  REQUIRE(q.register_thread() == first);  // no allocation when a slot is free
  for (auto* t : ts) q.unregister_thread(t);
}

TEST_CASE("readers never see memory freed through QSBR", "[sync][stress]") {
  // A writer swaps a shared pointer and frees the old block once its goal is reached; readers
  // dereference the pointer between quiescent states. A premature free shows up as a
  // poisoned value (and as a use-after-free under ASan).
  struct Block {
    std::atomic<long> value;
  };
  Qsbr q;
  std::atomic<Block*> shared{new Block{{1}}};
  std::atomic<bool> stop{false};
  std::atomic<long> bad{0}, reads{0};
  constexpr int k_readers = 4;
  std::vector<std::thread> readers;
  for (int i = 0; i < k_readers; i++)
    readers.emplace_back([&, i] {
      QsbrThread* t = q.register_thread();
      Qsbr::online(t);
      int n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        Block* b = shared.load(std::memory_order_acquire);
        if (b->value.load(std::memory_order_relaxed) <= 0) bad++;
        reads.fetch_add(1, std::memory_order_relaxed);
        if (++n % 16 == 0) Qsbr::quiescent(t);
        if (i == 0 && n % 512 == 0) {  // one reader also detaches now and then
          Qsbr::offline(t);
          std::this_thread::yield();
          Qsbr::online(t);
        }
      }
      q.unregister_thread(t);
    });
  struct Pending {
    Block* block;
    QsbrSeq goal;
  };
  std::vector<Pending> pending;
  long swaps = 0, freed = 0;
  Budget budget(500);
  while (!budget.done() && swaps < 200000) {
    Block* old = shared.exchange(new Block{{swaps + 2}}, std::memory_order_acq_rel);
    pending.push_back({old, q.advance()});
    swaps++;
    for (size_t j = 0; j < pending.size();) {
      if (q.poll(pending[j].goal)) {
        pending[j].block->value.store(-1);  // poison before freeing
        delete pending[j].block;
        pending[j] = pending.back();
        pending.pop_back();
        freed++;
      } else {
        j++;
      }
    }
    if (pending.size() > 1000) std::this_thread::yield();
  }
  stop = true;
  for (auto& t : readers) t.join();
  for (auto& p : pending) delete p.block;
  delete shared.load();
  INFO("swaps " << swaps << " freed early " << freed << " reads " << reads.load());
  REQUIRE(bad.load() == 0);
  REQUIRE(freed > 0);
  REQUIRE(reads.load() > 0);
}
