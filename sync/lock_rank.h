// lock_rank.h: the ranks of the project's lock order (the table and the rule are at the top
// of sync/mutex.h) and, in checked builds, the check that every thread keeps it.
//
// The check (FTPY_CHECKS only; release builds compile none of it): each thread keeps a stack
// of the ranked locks it holds (Ranked<M> locks, and the object mutexes critical sections
// take); acquiring one whose rank the rule forbids reports a violation through a hook (by
// default ftpy::fatal, naming both locks) before it blocks, so a deadlock in the making is a
// clear message, not a hang. Tests may install their own hook. The stack is the thread's own:
// no other thread reads it.
#pragma once
#include <cstdint>

namespace ftpy::sync {

enum class LockRank : std::uint8_t {
  StopTheWorld = 10,
  Object = 20,
  TypeLock = 30,
  Intern = 40,
  Immortal = 50,
  Io = 60,
  Interpreters = 64,
  XiQueue = 66,
  ThreadRegistry = 70,
  Head = 80,
  LocalRefs = 90,
  AdoptedRefs = 100,
  MergeQueue = 110,
  Orphans = 120,
  Qsbr = 130,
  ArenaPool = 140,
  ParkingLot = 150,
};

const char* to_string(LockRank r);

namespace lock_rank {

// The rule (sync/mutex.h): true when a thread holding a lock of rank `held` may acquire
// one of rank `next`.
constexpr bool allows(LockRank held, LockRank next) {
  return held < next || (held == LockRank::Object && next == LockRank::Object);
}

#if defined(FTPY_CHECKS)
// Before a blocking acquisition of `lock`: checks `r` against every ranked lock the calling
// thread holds, and reports the first that forbids it. `detach`: the acquisition detaches the
// thread state if it must wait (LockFlags::Detach), which first releases the thread's object
// mutexes (critical_section.h), so those do not order it.
void before_acquire(const void* lock, LockRank r, bool detach = false);
// After `lock` was acquired (by any means): the calling thread now holds it.
void acquired(const void* lock, LockRank r);
// Before `lock` is released: the calling thread no longer holds it (it need not be the last
// one acquired). Releasing a lock the thread does not hold is a violation.
void released(const void* lock);
// How many ranked locks the calling thread holds (for tests and asserts).
int held_count();
// True when the calling thread holds `lock`.
bool holds(const void* lock);

// Receives a violation's message. The default calls ftpy::fatal. A hook that returns lets the
// acquisition go ahead (tests only: the lock order is then broken for real).
using ViolationHook = void (*)(const char* message);
// Installs `hook` (nullptr: the default) and returns the previous one (nullptr if default).
ViolationHook set_violation_hook(ViolationHook hook);
#endif

}  // namespace lock_rank
}  // namespace ftpy::sync
