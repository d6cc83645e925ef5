// local_refs.h: per-thread reference counts for the objects every thread uses (DESIGN notes
// here, PEP 703's "deferred reference counting" and CPython 3.14's per-thread type counts).
//
// Why. Functions, code objects, classes, modules, module dicts and builtins are counted on
// every call and every global load. Under biased counting every thread but the owner would
// count them with an atomic add on one shared cache line, so threads calling the same
// function would serialise on that line. Instead such an object gets a per-interpreter index
// (uid) and each thread counts its references to it in a private array, with plain adds.
//
// Contract.
//  - use_local_refs(o) switches `o` to this scheme; only the thread that owns `o` may call it
//    (objects owned by other threads, immortal ones or ones waiting in a merge queue are left
//    as they are). The owner's local count moves into ob_ref_shared, then ob_tid becomes
//    k_tid_local_refs | uid, which no thread id ever equals, so from then on every thread
//    takes the non-owner path, which sees the tag (runtime/object.h).
//  - The true count is (ob_ref_shared >> 2) plus every thread state's entry for the uid; a
//    thread's entry may be negative (it dropped references another thread took). A thread
//    state adds its entries into ob_ref_shared when it is destroyed.
//  - Such an object is therefore never freed by reference counting: no single thread can see
//    the count reach zero. It is freed by the cyclic GC, which sums the entries with the world
//    stopped (issue 6); until then it lives as long as the interpreter, which is what
//    functions, classes and modules do in practice. That is why only objects of those kinds
//    (and data bound in a module when threads start) use it.
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/object.h"
#include "sync/mutex.h"

namespace ftpy::runtime {

// The interpreter's uid table: uid -> object. Grows, never shrinks (the GC will recycle uids).
class LocalRefTable {
 public:
  // A uid for `o`; false if out of memory.
  bool add(Object* o, std::uint64_t* uid);
  // Adds `counts` (one per uid, a destroyed thread state's entries) into the objects.
  void flush(const std::vector<std::int64_t>& counts);
  std::size_t size();

 private:
  sync::Mutex m_mutex;
  std::vector<Object*> m_objects FTPY_GUARDED_BY(m_mutex);
};

// See the contract above. True if `o` now uses per-thread counts (also if it already did).
bool use_local_refs(Object* o);

}  // namespace ftpy::runtime
