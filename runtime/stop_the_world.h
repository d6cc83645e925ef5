// stop_the_world.h: pausing every thread state of one interpreter (the GC) or of all
// interpreters (fork, finalization), after CPython's _PyEval_StopTheWorld.
//
// The requester serialises with other requesters (one runtime-wide Mutex, taken with
// LockFlags::Detach so a requester that must wait parks like any other thread and can itself
// be stopped). Under the runtime's head mutex it marks the request and counts the thread
// states in scope other than itself; Detached ones are moved to Suspended with a CAS,
// Attached ones get the k_stop_world eval-breaker bit and suspend themselves at their next
// safe point; the last one to park sets stop_event. Thread states created while the world is
// stopped start Suspended. Starting the world moves every one back to Detached and wakes it.
// Fields of StwState are guarded by the runtime's head mutex, except `requested`, which is
// also read without it (atomic) by threads that detach, and `stats`, which the requester
// writes and stw_stats() reads while holding the runtime's stop-the-world mutex.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "sync/clock.h"
#include "sync/event.h"

namespace ftpy::runtime {

class Interpreter;
class Runtime;
class ThreadState;
struct StwState;

struct StwStats {
  std::int64_t requests = 0;
  sync::Nanos total_stop_ns = 0;  // time from request to all threads parked
  sync::Nanos max_stop_ns = 0;
  sync::Nanos last_stop_ns = 0;
  // Every request's time-to-stop (for medians, -X stats), up to k_max_samples of them.
  std::vector<sync::Nanos> samples;
  static constexpr std::size_t k_max_samples = 1 << 20;
};
// A copy of the stats of `interp`'s requests (or the global ones when null), taken while no
// request is in force.
StwStats stw_stats(Interpreter* interp);

struct StwState {
  std::atomic<bool> requested{false};
  bool world_stopped = false;
  int countdown = 0;  // thread states still to park
  sync::Event stop_event;
  ThreadState* requester = nullptr;
  StwStats stats;
};

class [[nodiscard]] StopTheWorld {
 public:
  // Stops every thread state of `interp` but the caller's.
  explicit StopTheWorld(Interpreter* interp);
  // Stops every thread state of every interpreter but the caller's.
  struct All {};
  explicit StopTheWorld(All);
  ~StopTheWorld();
  StopTheWorld(const StopTheWorld&) = delete;
  StopTheWorld& operator=(const StopTheWorld&) = delete;

 private:
  static bool park_detached(Runtime& rt, Interpreter* only, StwState& stw);

  Interpreter* m_interp;  // nullptr: all interpreters
};

// For assertions: true while a stop covering `interp` is in force (and the caller is the
// requester, which is the only thread running then).
bool world_is_stopped(Interpreter* interp);

}  // namespace ftpy::runtime
