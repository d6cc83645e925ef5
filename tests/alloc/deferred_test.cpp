// deferred_test.cpp: a DeferredQueue releases an entry only once every online QSBR thread has
// passed its goal (offline ones never hold it up), oldest first; entries pushed while
// releasing are served too; adopt() and take_ready() keep goal order; and under real reader
// threads no entry is ever released before each of them passed its goal.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "alloc/deferred.h"
#include "sync/qsbr.h"
#include "tests/support/stress.h"

namespace {
int g_items[8];
void* item(int i) { return &g_items[i]; }
}  // namespace

using namespace ftpy::alloc;
using namespace ftpy::sync;

TEST_CASE("DeferredQueue releases only what every online thread has passed", "[alloc]") {
  Qsbr qsbr;
  QsbrThread* slots[3];  // the queue's own thread, a reader, and a sleeper (offline)
  for (QsbrThread*& s : slots) REQUIRE((s = qsbr.register_thread()) != nullptr);
  QsbrThread *self = slots[0], *reader = slots[1];
  Qsbr::online(self);
  Qsbr::online(reader);  // the sleeper stays offline: it never holds anything up
  DeferredQueue q;
  std::vector<void*> released;
  auto rel = [&](const Deferred& d) { released.push_back(d.ptr); };

  REQUIRE(q.push(item(0), 7, qsbr.advance()));
  Qsbr::quiescent(self);
  Qsbr::quiescent(reader);  // both passed item 0's goal
  REQUIRE(q.push(item(1), 7, qsbr.advance()));
  Qsbr::quiescent(self);
  REQUIRE(q.release_ready(qsbr, rel) == 1);  // the reader holds item 1 back
  REQUIRE(released == std::vector<void*>{item(0)});
  REQUIRE(q.size() == 1);
  REQUIRE(q.release_ready(qsbr, rel) == 0);
  Qsbr::quiescent(reader);
  REQUIRE(q.release_ready(qsbr, rel) == 1);
  REQUIRE(released.back() == item(1));
  REQUIRE(q.empty());

  // An entry released by release_ready may push more; the new one is served once ready
  // (here at once: both threads report before the nested push's goal is polled).
  REQUIRE(q.push(item(2), 0, qsbr.advance()));
  Qsbr::quiescent(self);
  Qsbr::quiescent(reader);
  std::size_t n = q.release_ready(qsbr, [&](const Deferred& d) {
    released.push_back(d.ptr);
    if (d.ptr == item(2)) {
      REQUIRE(q.release_ready(qsbr, rel) == 0);  // nested: does nothing
      REQUIRE(q.push(item(3), 0, qsbr.advance()));
      Qsbr::quiescent(self);
      Qsbr::quiescent(reader);
    }
  });
  REQUIRE(n == 2);
  REQUIRE(released.back() == item(3));
  REQUIRE(q.empty());

  for (QsbrThread* s : slots) qsbr.unregister_thread(s);  // takes each offline
}

TEST_CASE("DeferredQueue merges in goal order and hands ready entries out", "[alloc]") {
  Qsbr qsbr;
  QsbrThread* reader = qsbr.register_thread();
  REQUIRE(reader);
  Qsbr::online(reader);
  DeferredQueue a, b, shared;
  // Goals interleave between two "threads", as exited threads' queues do.
  REQUIRE(a.push(item(0), 0, qsbr.advance()));
  REQUIRE(b.push(item(1), 0, qsbr.advance()));
  REQUIRE(a.push(item(2), 0, qsbr.advance()));
  Qsbr::quiescent(reader);  // items 0..2 are ready, 3 and 4 not
  REQUIRE(b.push(item(3), 0, qsbr.advance()));
  REQUIRE(a.push(item(4), 0, qsbr.advance()));
  REQUIRE(shared.adopt(a));
  REQUIRE(shared.adopt(b));
  REQUIRE((a.empty() && b.empty() && shared.size() == 5));
  std::vector<QsbrSeq> goals;
  shared.for_each([&](const Deferred& d) { goals.push_back(d.goal); });
  REQUIRE(std::is_sorted(goals.begin(), goals.end()));

  DeferredQueue ready;
  REQUIRE(shared.take_ready(qsbr, &ready));
  REQUIRE(ready.size() == 3);
  REQUIRE(shared.size() == 2);
  std::vector<void*> order;
  REQUIRE(ready.release_all([&](const Deferred& d) { order.push_back(d.ptr); }) == 3);
  REQUIRE(order == std::vector<void*>{item(0), item(1), item(2)});
  // release_all ignores goals: for when no reader can hold anything (world stopped).
  REQUIRE(shared.release_all([](const Deferred&) {}) == 2);
  shared.trim();
  REQUIRE(shared.empty());
  Qsbr::offline(reader);
  qsbr.unregister_thread(reader);
}

TEST_CASE("DeferredQueue never releases early under real reader threads", "[alloc][stress]") {
  constexpr int k_readers = 2;
  Qsbr qsbr;
  QsbrThread* slots[k_readers];
  for (auto& s : slots) {
    s = qsbr.register_thread();
    REQUIRE(s);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> online{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < k_readers; r++) {
    readers.emplace_back([&, r] {
      Qsbr::online(slots[r]);
      online.fetch_add(1);
      // Online throughout, so a reader's sequence only grows: one that has passed a goal
      // when an entry is released had passed it when the queue polled.
      while (!stop.load(std::memory_order_relaxed)) Qsbr::quiescent(slots[r]);
      Qsbr::offline(slots[r]);
    });
  }
  while (online.load() < k_readers) std::this_thread::yield();
  DeferredQueue q;
  long pushed = 0, released = 0, early = 0;
  ftpy::test::Budget budget(300);
  for (int i = 0; i < 200000 && !budget.done(); i++) {
    if (q.push(nullptr, 0, qsbr.advance())) pushed++;
    released += long(q.release_ready(qsbr, [&](const Deferred& d) {
      for (QsbrThread* s : slots)
        if (!Qsbr::passed(s, d.goal)) early++;
    }));
  }
  stop = true;
  for (auto& t : readers) t.join();
  released += long(q.release_ready(qsbr, [](const Deferred&) {}));  // all offline now
  REQUIRE(early == 0);
  REQUIRE(released == pushed);
  REQUIRE(q.empty());
  for (QsbrThread* s : slots) qsbr.unregister_thread(s);
}
