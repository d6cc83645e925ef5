// deferred.h: DeferredQueue, the one queue of things whose release waits for a QSBR grace
// period (sync/qsbr.h): memory that lock-free readers may still read (alloc/heaps.h's
// free_delayed) and references they may hold uncounted (runtime's decref_delayed). Each
// entry carries its goal, a sequence from Qsbr::advance() taken after the entry was unlinked;
// it is released once Qsbr::poll(goal) holds, i.e. every attached thread has passed a
// quiescent state since. Invariant: entries are in goal order (a thread's successive
// advance() calls only grow, and adopt() merges), so the ready ones are always a prefix.
// Thread rules: a queue is not synchronised. Each thread state owns one of each kind (owner
// thread only); the interpreter keeps one of each for what exited threads left, behind its
// own mutex (heaps.h's InterpHeaps, runtime/interpreter.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sync/qsbr.h"

namespace ftpy::alloc {

struct Deferred {
  void* ptr;
  std::uint8_t tag;    // what the owner needs to release it (a heap Tag for memory)
  sync::QsbrSeq goal;  // released once the Qsbr's poll(goal) is true
};

class DeferredQueue {
 public:
  DeferredQueue() = default;
  DeferredQueue(const DeferredQueue&) = delete;
  DeferredQueue& operator=(const DeferredQueue&) = delete;

  // Appends an entry whose goal is at least every queued one's (a fresh Qsbr::advance() by
  // the queue's one pushing thread). False on out of memory: the caller must then leak what
  // it meant to release (never release it early).
  [[nodiscard]] bool push(void* ptr, std::uint8_t tag, sync::QsbrSeq goal);

  // Calls release(entry) for each entry whose goal `qsbr` has reached, oldest first. The
  // ready entries leave the queue before the first is released, so release may push onto
  // it (a deallocation defers its own items: those are released in the same call once
  // ready) or block and let the GC take the queue with the world stopped. A call from inside
  // release (on the same queue) does nothing. Returns how many were released.
  template <class F>
  std::size_t release_ready(sync::Qsbr& qsbr, F&& release) {
    if (m_releasing) return 0;
    m_releasing = true;
    std::size_t released = 0;
    for (std::uint64_t pushes = m_pushes; take_ready_to_scratch(qsbr); pushes = m_pushes) {
      for (const Deferred& d : m_scratch) release(d);
      released += m_scratch.size();
      m_scratch.clear();
      // Nothing new queued: the first entry left was not ready a moment ago.
      if (m_pushes == pushes) break;
    }
    m_releasing = false;
    return released;
  }

  // Calls release(entry) for every entry, ready or not, and empties the queue: only when no
  // reader can hold any of them (the world is stopped, or no thread is left). release must
  // not push onto this queue.
  template <class F>
  std::size_t release_all(F&& release) {
    std::vector<Deferred> all;
    all.swap(m_entries);
    for (const Deferred& d : all) release(d);
    return all.size();
  }

  // Moves every entry of `from` into this queue, keeping goal order (the two are merged),
  // and frees `from`'s storage. False on out of memory: nothing moves.
  [[nodiscard]] bool adopt(DeferredQueue& from);
  // Moves the entries whose goal is reached to `out` (merged in goal order), so that they
  // can be released after the lock guarding this queue is dropped. False on out of memory:
  // nothing moves.
  [[nodiscard]] bool take_ready(sync::Qsbr& qsbr, DeferredQueue* out);
  // Frees the storage of an empty queue (the interpreter's, which stays empty for long) and
  // of its release batch.
  void trim();

  // Calls fn(entry) for each entry, oldest first (the GC, with the world stopped).
  template <class F>
  void for_each(F&& fn) const {
    for (const Deferred& d : m_entries) fn(d);
  }
  std::size_t size() const { return m_entries.size(); }
  bool empty() const { return m_entries.empty(); }

 private:
  // How many entries from the front have reached their goal (the first one that has not
  // ends the scan: goals only grow along the queue).
  std::size_t ready_prefix(sync::Qsbr& qsbr) const;
  // Moves the ready prefix to m_scratch; false if none is ready (or out of memory).
  bool take_ready_to_scratch(sync::Qsbr& qsbr);

  std::vector<Deferred> m_entries;  // in goal order
  std::vector<Deferred> m_scratch;  // release_ready's batch (kept for its capacity)
  std::uint64_t m_pushes = 0;       // push() calls, to see release push more
  bool m_releasing = false;         // inside release_ready
};

}  // namespace ftpy::alloc
