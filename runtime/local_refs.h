// local_refs.h: per-thread reference counts for the objects every thread uses (DESIGN notes
// here, PEP 703's "deferred reference counting" and CPython 3.14's per-thread type counts).
//
// Why. Functions, code objects, classes, modules, module dicts and builtins are counted on
// every call and every global load. Under biased counting every thread but the owner would
// count them with an atomic add on one shared cache line, so threads calling the same
// function would serialise on that line. Instead such an object gets a per-interpreter index
// (uid) and every thread other than its owner counts its references to it in a private array,
// with plain adds; the owner keeps its fast path (ob_ref_local), so single-threaded code pays
// nothing.
//
// Contract.
//  - use_local_refs(o) switches `o` to this scheme (gc_bits::k_deferred; ob_ref_shared then
//    holds the uid). Only the owner may call it, and only while no other thread can be
//    counting `o`: at its birth, or while the interpreter runs a single thread (see
//    share_module_data). Otherwise it declines and `o` stays as it is.
//  - The true count is ob_ref_local (the owner's) plus every thread state's entry for the uid
//    plus what exited thread states flushed into the table; a thread's entry may be negative
//    (it dropped references another thread took).
//  - Such an object is therefore never freed by reference counting: no single thread can see
//    the count reach zero (the owner's ob_ref_local reaching zero is not the end). It is freed
//    by the cyclic GC, which sums the counts with the world stopped; until a collection it
//    lives on, which is what module-level functions, classes and modules do in practice.
//    That is why only objects of those kinds (and data bound in a module when threads start)
//    use it; functions and classes made inside functions, class bodies, comprehensions and
//    lambdas do not.
//  - The GC (gc/), with the world stopped, sums each uid's counts (sum_local_refs) and takes
//    an unreachable object off this scheme (retire_local_refs), then gives it ordinary
//    counts, so that clearing the garbage frees it like any other; its uid is then reused.
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/object.h"
#include "sync/mutex.h"

namespace ftpy::runtime {

// The interpreter's uid table: uid -> object, and the counts exited thread states flushed.
class LocalRefTable {
 public:
  // A uid for `o`; false if out of memory.
  bool add(Object* o, std::uint64_t* uid);
  // Adds `counts` (one per uid, a destroyed thread state's entries) to the flushed counts.
  void flush(const std::vector<std::int64_t>& counts);
  // Adds one count directly (a thread with no array: tearing down, or out of memory).
  void add_count(std::uint64_t uid, std::int64_t delta);
  std::int64_t flushed(std::uint64_t uid);
  // Frees a uid no object uses (its counts are all zero) for reuse.
  void give_back(std::uint64_t uid);
  // With the interpreter's world stopped (the GC): the objects using per-thread counts.
  std::vector<Object*> objects_world_stopped();

 private:
  friend std::vector<std::int64_t> sum_local_refs(class Interpreter* interp);
  friend void retire_local_refs(class Interpreter* interp, Object* o);

  sync::RankedMutex m_mutex{sync::LockRank::LocalRefs};
  // uid -> object (null for a retired uid): what the GC walks.
  std::vector<Object*> m_objects FTPY_GUARDED_BY(m_mutex);
  std::vector<std::int64_t> m_flushed FTPY_GUARDED_BY(m_mutex);
  std::vector<std::uint64_t> m_free_uids FTPY_GUARDED_BY(m_mutex);  // retired, every count zero
};

// See the contract above. True if `o` now uses per-thread counts (also if it already did).
bool use_local_refs(Object* o);
// The true count of such an object when no thread but the caller is counting it: the owner's
// share, the flushed counts and the caller's own entry (for tests; the GC uses sum_local_refs).
std::int64_t local_refs_count(Object* o);

class Interpreter;
// With `interp`'s world stopped: for each uid, the flushed count plus every thread state's
// entry. An object's true count is then ob_ref_local + sums[uid] (local_refs_true_count).
std::vector<std::int64_t> sum_local_refs(Interpreter* interp);
inline std::int64_t local_refs_true_count(const Object* o, const std::vector<std::int64_t>& sums) {
  std::uint64_t uid = std::uint64_t(o->ob_ref_shared.load(std::memory_order_relaxed));
  return std::int64_t(o->ob_ref_local.load(std::memory_order_relaxed)) +
         (uid < sums.size() ? sums[uid] : 0);
}
// With `interp`'s world stopped, for an object nothing references any more (or only other
// garbage): `o` leaves per-thread counting with both count fields zero (the caller sets
// them, e.g. adopt_unreachable); every count of its uid is zeroed and the uid reused.
void retire_local_refs(Interpreter* interp, Object* o);

}  // namespace ftpy::runtime
