// lock_rank.cpp: rank names and, in checked builds, the per-thread stack of held ranked locks
// (lock_rank.h). The stack is the calling thread's own (thread_local): no other thread reads
// it, so it needs no atomics. Its depth is bounded: the deepest legal nesting is one lock per
// rank plus a few object locks.
#include "sync/lock_rank.h"

#include <atomic>
#include <cstdio>

#include "sync/check.h"

namespace ftpy::sync {

const char* to_string(LockRank r) {
  switch (r) {
    case LockRank::StopTheWorld: return "stop-the-world mutex";
    case LockRank::Object: return "object mutex";
    case LockRank::TypeLock: return "type lock";
    case LockRank::Intern: return "intern mutex";
    case LockRank::Immortal: return "immortal mutex";
    case LockRank::Io: return "io mutex";
    case LockRank::Interpreters: return "interpreter registry mutex";
    case LockRank::XiQueue: return "interpreter queue mutex";
    case LockRank::ThreadRegistry: return "thread registry mutex";
    case LockRank::Head: return "head mutex";
    case LockRank::LocalRefs: return "local-refs table mutex";
    case LockRank::AdoptedRefs: return "adopted-refs mutex";
    case LockRank::MergeQueue: return "merge-queue bucket";
    case LockRank::Orphans: return "heaps/orphan-set mutex";
    case LockRank::Qsbr: return "QSBR mutex";
    case LockRank::ArenaPool: return "arena-pool mutex";
    case LockRank::ParkingLot: return "parking-lot bucket";
  }
  return "unknown lock";
}

#if defined(FTPY_CHECKS)
namespace lock_rank {
namespace {

struct Held {
  const void* lock;
  LockRank rank;
};

constexpr int k_max_held = 32;
thread_local Held t_held[k_max_held];
thread_local int t_count = 0;

std::atomic<ViolationHook> g_hook{nullptr};

void report(const char* message) {
  ViolationHook hook = g_hook.load(std::memory_order_acquire);
  if (hook) hook(message);
  else fatal(message);
}

}  // namespace

void before_acquire(const void* lock, LockRank r, bool detach) {
  for (int i = 0; i < t_count; i++) {
    if (detach && t_held[i].rank == LockRank::Object) continue;
    // A section may try an object mutex its thread already holds (CriticalSection2 over a
    // held one): the try fails and the section releases the one below before it blocks.
    const bool again = t_held[i].lock == lock && r != LockRank::Object;
    if (allows(t_held[i].rank, r) && !again) continue;
    char msg[256];
    if (again)
      std::snprintf(msg, sizeof msg, "lock order: %s (rank %d) at %p acquired again while held",
                    to_string(r), int(r), lock);
    else
      std::snprintf(msg, sizeof msg,
                    "lock order violated: acquiring %s (rank %d) while holding %s (rank %d)",
                    to_string(r), int(r), to_string(t_held[i].rank), int(t_held[i].rank));
    report(msg);
    return;
  }
}

void acquired(const void* lock, LockRank r) {
  if (t_count == k_max_held) fatal("lock order: more ranked locks held than the stack holds");
  t_held[t_count++] = Held{lock, r};
}

void released(const void* lock) {
  for (int i = t_count - 1; i >= 0; i--) {
    if (t_held[i].lock != lock) continue;
    for (int j = i; j + 1 < t_count; j++) t_held[j] = t_held[j + 1];
    t_count--;
    return;
  }
  report("lock order: releasing a ranked lock this thread does not hold");
}

int held_count() { return t_count; }

bool holds(const void* lock) {
  for (int i = 0; i < t_count; i++)
    if (t_held[i].lock == lock) return true;
  return false;
}

ViolationHook set_violation_hook(ViolationHook hook) {
  return g_hook.exchange(hook, std::memory_order_acq_rel);
}

}  // namespace lock_rank
#endif

}  // namespace ftpy::sync
