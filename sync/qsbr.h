// qsbr.h: quiescent-state-based reclamation (CPython's Python/qsbr.c, after FreeBSD's
// "Global Unbounded Sequences"). Tells when memory unlinked from shared structures can no
// longer be reached by a lock-free reader.
//
// A shared write sequence m_wr_seq (starts at 1, advances by 2) and, per registered thread, a
// read sequence: the value of m_wr_seq it saw at its last quiescent state, or 0 while offline.
// A writer unlinks memory, calls advance() for a goal, and frees the memory once poll(goal)
// is true: every online thread has passed a quiescent state at or after the goal. Offline
// (detached) threads never hold reclamation up. Invariant: goal <= m_wr_seq; m_rd_seq (the
// cached minimum) <= every online thread's read sequence.
// Thread slots live in fixed chunks that are never moved or freed before the Qsbr itself, so
// poll() reads them without locks; registering allocates only when every slot is taken.
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/mutex.h"

namespace ftpy::sync {

using QsbrSeq = std::uint64_t;

class Qsbr;

// One thread's slot. Written by its owner (m_seq) or under Qsbr::m_mutex (m_in_use).
struct alignas(64) QsbrThread {
  std::atomic<QsbrSeq> m_seq{0};  // 0: offline
  std::atomic<bool> m_in_use{false};
  Qsbr* m_owner = nullptr;
  QsbrThread* m_next_free = nullptr;  // guarded by Qsbr::m_mutex
};

class Qsbr {
 public:
  static constexpr QsbrSeq k_initial = 1;
  static constexpr QsbrSeq k_incr = 2;

  Qsbr() = default;
  ~Qsbr();
  Qsbr(const Qsbr&) = delete;
  Qsbr& operator=(const Qsbr&) = delete;

  // A slot for the calling thread, initially offline. Returns nullptr on out-of-memory.
  QsbrThread* register_thread();
  void unregister_thread(QsbrThread* t);

  // New goal: memory unlinked before this call is safe once poll(goal) is true.
  QsbrSeq advance() {
    // seq_cst: orders the caller's unlinking before the new sequence is published, and pairs
    // with online()'s seq_cst exchange and poll()'s seq_cst loads (store-load ordering).
    return m_wr_seq.fetch_add(k_incr, std::memory_order_seq_cst) + k_incr;
  }

  // Transitions. Checked builds check each one's starting state, as CPython's qsbr.c asserts:
  // online() when online, offline() when offline and quiescent() while offline are fatal.
  // The calling thread holds no references into memory unlinked before now. Online only.
  static void quiescent(QsbrThread* t) {
    expect_online(t, true, "Qsbr::quiescent: the thread is offline (detached)");
    QsbrSeq seq = t->m_owner->m_wr_seq.load(std::memory_order_acquire);
    // release: the thread's earlier reads happen before a poller sees this sequence.
    t->m_seq.store(seq, std::memory_order_release);
  }
  // The thread comes back online (attaches): from here on it may read shared structures.
  static void online(QsbrThread* t);
  static void offline(QsbrThread* t) {
    expect_online(t, true, "Qsbr::offline: the thread is already offline");
    t->m_seq.store(0, std::memory_order_release);
  }
  // True once thread t is offline or has passed a quiescent state at or after `goal`.
  static bool passed(const QsbrThread* t, QsbrSeq goal) {
    QsbrSeq s = t->m_seq.load(std::memory_order_acquire);
    return s == 0 || s >= goal;
  }
  static bool is_online(const QsbrThread* t) {
    return t->m_seq.load(std::memory_order_relaxed) != 0;
  }

  // True once every online thread's sequence is at least `goal`.
  bool poll(QsbrSeq goal);
  // The newest goal handed out (no pending goal is later), for a waiter that must outlast
  // every one. acquire: pairs with advance()'s fetch_add, so the unlinking before that goal
  // happens before the caller's poll of it.
  QsbrSeq write_seq() const { return m_wr_seq.load(std::memory_order_acquire); }

 private:
  static void expect_online(const QsbrThread* t, bool online, const char* message) {
    if constexpr (k_checks) {
      if (is_online(t) != online) fatal(message);
    }
  }

  static constexpr int k_chunk_slots = 32;
  struct Chunk {
    QsbrThread slots[k_chunk_slots];
    Chunk* next = nullptr;
  };

  std::atomic<QsbrSeq> m_wr_seq{k_initial};
  std::atomic<QsbrSeq> m_rd_seq{k_initial};  // cached minimum, advanced by poll()
  std::atomic<Chunk*> m_chunks{nullptr};     // push-only list; written under m_mutex
  RankedMutex m_mutex{LockRank::Qsbr};       // guards the free list and chunk growth
  QsbrThread* m_free FTPY_GUARDED_BY(m_mutex) = nullptr;
};

}  // namespace ftpy::sync
