// lock_rank_test.cpp: the lock order's rule, and (checked builds) that the per-thread checker
// reports an out-of-order acquisition through its hook, passes an in-order one, and sees
// critical sections' object mutexes.
#include "sync/lock_rank.h"

#include <catch2/catch.hpp>
#include <string>

#include "sync/critical_section.h"
#include "sync/mutex.h"

using namespace ftpy::sync;

TEST_CASE("the lock order's rule", "[sync]") {
  using lock_rank::allows;
  STATIC_REQUIRE(allows(LockRank::StopTheWorld, LockRank::Head));
  STATIC_REQUIRE(allows(LockRank::Head, LockRank::MergeQueue));
  STATIC_REQUIRE(allows(LockRank::Object, LockRank::TypeLock));
  STATIC_REQUIRE(allows(LockRank::Object, LockRank::Object));  // several object locks
  STATIC_REQUIRE_FALSE(allows(LockRank::Head, LockRank::StopTheWorld));
  STATIC_REQUIRE_FALSE(allows(LockRank::Head, LockRank::Head));
  STATIC_REQUIRE_FALSE(allows(LockRank::TypeLock, LockRank::Object));
  STATIC_REQUIRE_FALSE(allows(LockRank::ParkingLot, LockRank::ArenaPool));
}

#if defined(FTPY_CHECKS)
namespace {
int g_violations = 0;
std::string g_last;
void record(const char* message) {
  g_violations++;
  g_last = message;
}
// Installs `record` for one test and restores the default (fatal) after it.
struct RecordViolations {
  RecordViolations() {
    g_violations = 0;
    g_last.clear();
    lock_rank::set_violation_hook(&record);
  }
  ~RecordViolations() { lock_rank::set_violation_hook(nullptr); }
};
}  // namespace

TEST_CASE("the checker reports an out-of-order acquisition", "[sync]") {
  RecordViolations rec;
  RankedMutex stw{LockRank::StopTheWorld};
  RankedMutex head{LockRank::Head};
  REQUIRE(lock_rank::held_count() == 0);
  {
    MutexGuard a(stw);
    MutexGuard b(head);
    REQUIRE(lock_rank::held_count() == 2);
    head.assert_held();
  }
  REQUIRE(g_violations == 0);
  REQUIRE(lock_rank::held_count() == 0);
  {
    MutexGuard b(head);
    MutexGuard a(stw);  // free, so it does not block: the hook reports and the test goes on
  }
  REQUIRE(g_violations == 1);
  REQUIRE(g_last.find("stop-the-world mutex") != std::string::npos);
  REQUIRE(g_last.find("head mutex") != std::string::npos);
  REQUIRE(lock_rank::held_count() == 0);
  // try_lock cannot deadlock: not checked, but recorded as held.
  {
    MutexGuard b(head);
    bool got = stw.try_lock();
    REQUIRE(got);
    REQUIRE(lock_rank::held_count() == 2);
    if (got) stw.unlock();
  }
  REQUIRE(g_violations == 1);
}

TEST_CASE("the checker sees critical sections' object mutexes", "[sync]") {
  RecordViolations rec;
  CriticalSectionStack stack;
  Mutex o1, o2;
  RankedMutex type_lock{LockRank::TypeLock};
  RankedMutex stw{LockRank::StopTheWorld};
  {
    CriticalSection cs(stack, o1);
    CriticalSection2 cs2(stack, o1, o2);  // object locks nest
    MutexGuard t(type_lock);             // an inner lock under them: in order
    REQUIRE(lock_rank::held_count() == 3);
  }
  REQUIRE(g_violations == 0);
  {
    MutexGuard t(type_lock);
    CriticalSection cs(stack, o1);  // an object lock under an inner one (checked on the try too:
                                    // a section whose try fails blocks)
  }
  REQUIRE(g_violations == 1);
  {
    CriticalSection cs(stack, o1);
    MutexGuard s(stw);  // the outermost lock under an object lock
  }
  REQUIRE(g_violations == 2);
  {
    CriticalSection cs(stack, o1);
    // Unless it is taken with Detach: were it to wait, detaching would release o1 first.
    stw.lock(LockFlags::Detach);
    stw.unlock();
  }
  REQUIRE(g_violations == 2);
  REQUIRE(lock_rank::held_count() == 0);
}
#endif
