// state.h: GcState, the collector's per-interpreter state, and its trigger policy (DESIGN.md,
// "The garbage collector"). A collection is due when the net Gc allocations since the last
// one exceed the threshold and also a quarter of the tracked objects that survived it
// (CPython's long_lived_total rule: a large live heap is not rescanned over and over), while
// the collector is enabled. The runtime, below gc/, only compares its batched count with a
// trigger (runtime::GcCount, interpreter.h); every change of an input of the policy goes
// through the setters here, which recompute that trigger, so `count > trigger` == due().
// Thread rules: the policy inputs are atomics, set by any thread through the setters.
// `collecting` admits one collection at a time; the statistics below it are written only by
// the collecting thread, and read by others only after they have won `collecting`
// themselves, or at exit. Lifetime: init_interpreter (at start-up, before a second thread
// state of the interpreter exists) to fini_interpreter; a fork keeps it as it is.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

namespace ftpy::runtime {
class Interpreter;
}

namespace ftpy::gc {

struct GcState {
  std::atomic<std::int64_t> threshold{2000};
  // gc.set_threshold's other two values: kept and reported, unused (one generation).
  std::atomic<std::int64_t> threshold1{10}, threshold2{10};
  std::atomic<bool> enabled{true};
  // Tracked objects that survived the last collection.
  std::atomic<std::int64_t> long_lived{0};
  std::atomic<bool> collecting{false};
  std::int64_t collections = 0;
  std::int64_t collected = 0;  // unreachable objects found, over all collections
  std::vector<std::int64_t> pause_ns;  // each collection's world-stopped time
  std::int64_t last_restart_ns = 0;    // when the last collection restarted the world
};

// Creates the collector's state of `interp` and arms its trigger. False on out of memory.
// A second call for the same interpreter does nothing.
bool init_interpreter(runtime::Interpreter* interp);
// Frees it, with no thread state of the interpreter left.
void fini_interpreter(runtime::Interpreter* interp);
// The collector's state of `interp` (init_interpreter must have run).
GcState& state(runtime::Interpreter* interp);

// True if a collection is due with `count` net allocations since the last one.
bool due(runtime::Interpreter* interp, std::int64_t count);
// Net Gc allocations since the last collection, as flushed so far (gc.get_count()).
std::int64_t allocation_count(runtime::Interpreter* interp);

// The policy's inputs (gc.set_threshold, gc.enable / gc.disable, the end of a collection).
void set_threshold(runtime::Interpreter* interp, std::int64_t t0, std::int64_t t1,
                   std::int64_t t2);
void set_enabled(runtime::Interpreter* interp, bool enabled);
void set_survivors(runtime::Interpreter* interp, std::int64_t survivors);

}  // namespace ftpy::gc
