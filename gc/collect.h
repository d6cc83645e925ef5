// collect.h: the stop-the-world cyclic garbage collector (DESIGN.md, "The garbage collector";
// after CPython's Python/gc_free_threading.c). There is no list of GC objects: a collection
// finds them by visiting its interpreter's Gc heaps and orphan set with the world stopped.
//
// A collection, on the collecting thread (attached, holding no critical section that another
// thread's progress is needed for):
//   1. stop the interpreter's world; merge every thread's queued refcounts;
//   2. for each tracked object: gc_refs = its true count (local + shared, or for an object on
//      per-thread counts the sum over every thread, runtime/local_refs.h);
//   3. subtract one from a tracked referent for each reference a tracked object holds
//      (Type::traverse);
//   4. everything reachable from an object with gc_refs > 0 is alive; the rest is garbage;
//   5. each garbage object gets one extra reference held by the collector, and the collector
//      as its owner (runtime::adopt_unreachable); the world restarts, and Type::clear breaks
//      the garbage's references; dropping the collector's references then frees the garbage
//      by ordinary reference counting, on the collecting thread.
// While the world is stopped gc_refs live in ob_tid (the owner's id is saved aside and put
// back), and gc_bits::k_unreachable marks "seen by this collection", k_reachable "alive".
// Objects the visit does not find (untracked: being built) are never garbage. References
// held outside the heap (frames, native code, delayed references, merge queues) are counted
// references, so their objects are roots.
// Thread rules: GcState (gc/state.h) admits one collection per interpreter at a time; its
// statistics are written only by the collecting thread.
#pragma once
#include <cstdint>
#include <cstdio>

namespace ftpy::runtime {
class Interpreter;
struct Object;
}

namespace ftpy::gc {

enum class Reason {
  Manual,     // gc.collect(): waits for a collection in progress, then runs its own
  Threshold,  // allocation count crossed the threshold: skipped if one is in progress
};

// Runs one full collection of the current thread's interpreter (the calling thread must be
// attached). Returns the number of unreachable objects found, as the language counts them
// (set_inline_part_fn), or -1 when a Threshold collection was skipped because another thread
// is collecting or none is due.
std::int64_t collect(Reason why);

// How gc.collect() counts, a rule of the language (CPython 3.11's): fn(o) is the part of
// garbage object `o` that is not an object of its own there (an instance's attribute dict,
// kept inline), or null; such a part is left out of the count when nothing else refers to it.
// Registered once at start-up by interp/; until then every object counts.
using InlinePartFn = runtime::Object* (*)(runtime::Object*);
void set_inline_part_fn(InlinePartFn fn);

// Figures for `-X stats`, `FTPY_STATS=1` and the benchmarks.
struct Stats {
  std::int64_t collections = 0;
  std::int64_t collected = 0;
  std::int64_t pause_count = 0;
  double pause_median_ms = 0, pause_max_ms = 0;
  std::int64_t stw_requests = 0;
  double stop_median_us = 0, stop_max_us = 0;  // time from request to all threads parked
};
// Takes the interpreter's collection slot for the while, so call it outside a collection.
Stats stats(runtime::Interpreter* interp);
// Prints stats(interp) in the `-X stats` format (see README).
void print_stats(runtime::Interpreter* interp, std::FILE* out);

}  // namespace ftpy::gc
