// critical_section.h: CriticalSection / CriticalSection2, the per-object locks that replace
// the global interpreter lock for container operations (PEP 703; CPython's
// Python/critical_section.c).
//
// Each thread keeps its active sections as a stack (CriticalSectionStack, owned by its thread
// state). Invariants:
//  - the sections that are active form a run from the top of the stack; below the first
//    inactive one, every section is inactive (its mutexes released);
//  - suspend_all() releases every active section (the thread detaches, or is about to block
//    on a contended mutex); resume_top() re-acquires only the top one. A lower section is
//    re-acquired when it becomes the top again (when the sections above it end).
// Nested sections therefore behave as if interleaved and cannot deadlock on each other: a
// thread never blocks on a mutex while holding another section's mutex. Locking the mutex the
// top section already holds is a no-op (re-entrancy for the common case).
// Only the owning thread touches a stack and the sections in it.
#pragma once
#include <utility>

#include "sync/mutex.h"

namespace ftpy::sync {

class CriticalSectionBase;

struct CriticalSectionStack {
  CriticalSectionBase* m_top = nullptr;  // written by the owning thread only

  bool empty() const { return m_top == nullptr; }
  // Releases the mutexes of every active section and marks them inactive.
  void suspend_all();
  // Re-acquires the mutexes of the top section if it is inactive.
  void resume_top();
};

class CriticalSectionBase {
 public:
  bool is_active_holding(const Mutex* m) const { return m_active && (m_m1 == m || m_m2 == m); }

 protected:
  friend struct CriticalSectionStack;
  CriticalSectionBase(CriticalSectionStack& stack) : m_stack(stack) {}

  void push();
  void pop();
  void begin_slow(Mutex* a, Mutex* b);

  CriticalSectionStack& m_stack;
  CriticalSectionBase* m_prev = nullptr;
  // Null while the section is being (re-)acquired, so that a suspend in the middle of it
  // does not release a mutex this section does not hold yet.
  Mutex* m_m1 = nullptr;
  Mutex* m_m2 = nullptr;
  bool m_active = false;
  bool m_noop = false;  // the top section already held this mutex
};

class [[nodiscard]] CriticalSection : CriticalSectionBase {
 public:
  CriticalSection(CriticalSectionStack& stack, Mutex& m);
  ~CriticalSection();
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;
};

// Locks two mutexes in address order; the same mutex twice locks once.
class [[nodiscard]] CriticalSection2 : CriticalSectionBase {
 public:
  CriticalSection2(CriticalSectionStack& stack, Mutex& a, Mutex& b);
  ~CriticalSection2();
  CriticalSection2(const CriticalSection2&) = delete;
  CriticalSection2& operator=(const CriticalSection2&) = delete;
};

}  // namespace ftpy::sync
