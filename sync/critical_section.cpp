// critical_section.cpp: the per-thread stack of critical sections (see the header's
// invariants). A section being acquired is pushed first with null mutex fields, so a suspend
// that happens while it blocks (the thread detaches) releases only what is really held, and
// the matching resume re-acquires nothing for it; the acquiring code fills the fields in once
// it owns the mutexes.
#include "sync/critical_section.h"

namespace ftpy::sync {

namespace {
// A section's lock: it may sleep (detached), and it is held briefly (mutex.cpp's backoff).
constexpr LockFlags k_section_flags = LockFlags::Detach | LockFlags::Brief;

// Every object mutex goes through these three, so that checked builds record it in the lock
// order (sync/mutex.h: one rank, LockRank::Object, for all of them). No thread-safety
// analysis: a section's mutexes are held from its constructor to its destructor and dropped
// and re-taken across detaches, so which are held is the stack's run-time state (m_m1, m_m2,
// m_active), not a scope the analysis can follow.
void lock_object(Mutex* m) FTPY_NO_THREAD_SAFETY_ANALYSIS {
#if defined(FTPY_CHECKS)
  lock_rank::before_acquire(m, LockRank::Object);
#endif
  m->lock(k_section_flags);
#if defined(FTPY_CHECKS)
  lock_rank::acquired(m, LockRank::Object);
#endif
}
// The try is checked against the order too: a section whose try fails goes on to block.
bool try_lock_object(Mutex* m) FTPY_NO_THREAD_SAFETY_ANALYSIS {
#if defined(FTPY_CHECKS)
  lock_rank::before_acquire(m, LockRank::Object);
#endif
  if (!m->try_lock()) return false;
#if defined(FTPY_CHECKS)
  lock_rank::acquired(m, LockRank::Object);
#endif
  return true;
}
void unlock_object(Mutex* m) FTPY_NO_THREAD_SAFETY_ANALYSIS {
#if defined(FTPY_CHECKS)
  lock_rank::released(m);
#endif
  m->unlock();
}
}  // namespace

void CriticalSectionStack::suspend_all() {
  for (CriticalSectionBase* c = m_top; c && c->m_active; c = c->m_prev) {
    if (c->m_m2) unlock_object(c->m_m2);
    if (c->m_m1) unlock_object(c->m_m1);
    c->m_active = false;
  }
}

void CriticalSectionStack::resume_top() {
  CriticalSectionBase* c = m_top;
  if (!c || c->m_active) return;
  Mutex* m1 = c->m_m1;
  Mutex* m2 = c->m_m2;
  c->m_m1 = c->m_m2 = nullptr;
  c->m_active = true;
  // Nothing below the top is held, so blocking here cannot deadlock with another section.
  if (m1) lock_object(m1);
  if (m2) lock_object(m2);
  c->m_m1 = m1;
  c->m_m2 = m2;
}

void CriticalSectionBase::push() {
  m_prev = m_stack.m_top;
  m_stack.m_top = this;
}

void CriticalSectionBase::pop() {
  FTPY_ASSERT(m_stack.m_top == this);
  FTPY_DCHECK(m_active);
  if (m_m2) unlock_object(m_m2);
  if (m_m1) unlock_object(m_m1);
  m_stack.m_top = m_prev;
  if (m_prev && !m_prev->m_active) m_stack.resume_top();
}

void CriticalSectionBase::begin_slow(Mutex* a, Mutex* b) {
  // Contended: release every section this thread holds before blocking, so that two threads
  // nesting sections in opposite orders cannot deadlock.
  m_stack.suspend_all();
  push();
  m_active = true;
  lock_object(a);
  if (b) lock_object(b);
  m_m1 = a;
  m_m2 = b;
}

namespace {
bool top_holds(const CriticalSectionStack& s, const Mutex* m) {
  const auto* top = s.m_top;
  return top && top->is_active_holding(m);
}
}  // namespace

CriticalSection::CriticalSection(CriticalSectionStack& stack, Mutex& m)
    : CriticalSectionBase(stack) {
  if (top_holds(stack, &m)) {
    m_noop = true;
    return;
  }
  if (try_lock_object(&m)) {
    push();
    m_active = true;
    m_m1 = &m;
    return;
  }
  begin_slow(&m, nullptr);
}

CriticalSection::~CriticalSection() {
  if (!m_noop) pop();
}

CriticalSection2::CriticalSection2(CriticalSectionStack& stack, Mutex& a, Mutex& b)
    : CriticalSectionBase(stack) {
  Mutex* m1 = &a;
  Mutex* m2 = &b;
  if (m1 == m2) m2 = nullptr;
  else if (m2 < m1) std::swap(m1, m2);
  if (top_holds(stack, m1) && (!m2 || top_holds(stack, m2))) {
    m_noop = true;
    return;
  }
  if (try_lock_object(m1)) {
    if (!m2 || try_lock_object(m2)) {
      push();
      m_active = true;
      m_m1 = m1;
      m_m2 = m2;
      return;
    }
    unlock_object(m1);
  }
  begin_slow(m1, m2);
}

CriticalSection2::~CriticalSection2() {
  if (!m_noop) pop();
}

}  // namespace ftpy::sync
