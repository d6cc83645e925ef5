// mutex.h: Mutex, the one-byte lock in every object header (after CPython's PyMutex and
// WebKit's WTF::Lock). Zero is unlocked; no allocation, constexpr-initialised.
//
// Bits: k_locked, k_has_parked (some thread is, or is about to be, parked on this byte).
// Fast paths are one compare-exchange each. A contended lock spins briefly, then parks in the
// ParkingLot. Fairness: a waiter parked for over k_fair_after is handed the lock directly by
// unlock() (the byte stays locked, ownership moves), so no thread starves.
//
// The project's lock order (STYLE.md rule 5). Every runtime lock has a rank; a thread may
// acquire a lock only if its rank is greater than that of every ranked lock it holds, so
// outer locks have small ranks. Object mutexes share one rank and may be held several at
// once: CriticalSection2 locks a pair in address order, and a nested section that would block
// first releases every section below it (critical_section.h). For the same reason a lock
// taken with LockFlags::Detach (the stop-the-world mutex) may be taken while holding object
// mutexes, whatever its rank: if it must wait, the thread detaches, and detaching releases
// them. Ranked::try_lock never blocks
// and is not checked against the order (a critical section's first try is: when it fails, the
// section blocks). Checked builds (FTPY_CHECKS) verify the rule on every
// acquisition (sync/lock_rank.h); release builds compile none of it.
//
//  rank | lock (LockRank)                                 | where
//  -----+-------------------------------------------------+----------------------------------
//    10 | StopTheWorld: serialises stop-the-world requests| runtime/runtime.h m_stw_mutex
//    20 | Object: an object's ob_mutex (critical sections;| runtime/object.h ob_mutex,
//       |   released on detach, re-taken on attach)       |   sync/critical_section.cpp
//    30 | TypeLock: class versions, slots, heap types     | interp/objects/class.cpp
//       |                                                 |   g_type_lock
//    40 | Intern: the interned-string set                 | interp/objects/str_type.cpp
//       |                                                 |   g_intern_mutex
//    50 | Immortal: objects made immortal                 | interp/objects/native.cpp
//       |                                                 |   g_immortal_mutex
//    60 | Io: the stdout buffer                           | interp/objects/io.cpp g_out_mutex
//    64 | Interpreters: the live interpreters by id       | interp/modules/subinterp.cpp
//       |                                                 |   g_mutex
//    66 | XiQueue: an interpreter queue's items           | interp/modules/crossinterp.h
//       |                                                 |   XiQueue::mutex
//    70 | ThreadRegistry: running Python threads          | interp/modules/threading.cpp
//       |                                                 |   g_registry_mutex
//    80 | Head: interpreter and thread-state lists, stop- | runtime/runtime.h m_head
//       |   the-world state (CPython's HEAD_LOCK)         |
//    90 | LocalRefs: the uid table of per-thread counts   | runtime/local_refs.h m_mutex
//   100 | AdoptedRefs: exited threads' delayed references | runtime/interpreter.h
//       |                                                 |   m_adopted_mutex
//   110 | MergeQueue: a BRC merge-queue bucket            | runtime/brc.h Bucket::mutex
//   120 | Orphans: an interpreter's thread heaps, orphan  | alloc/heaps.h InterpHeaps::m_mutex
//       |   set and shared delayed frees                  |
//   130 | Qsbr: QSBR slot free list and chunk growth      | sync/qsbr.h Qsbr::m_mutex
//   140 | ArenaPool: the pool of exclusive arenas         | alloc/arena_pool.cpp Pool::mutex
//   150 | ParkingLot: a parking-lot bucket (a RawMutex)   | sync/parking_lot.cpp
//       |                                                 |   Bucket::m_mutex
// Not ranked: a Python Lock or RLock (interp/modules/threading.cpp: taken and released in
// separate calls, by any thread for a Lock; the VM holds no ranked lock between
// instructions), and the source registry (a std::mutex, a leaf: interp/front/source.cpp).
#pragma once
#include <atomic>
#include <cstdint>

#include "sync/check.h"
#include "sync/clock.h"
#include "sync/lock_rank.h"
#include "sync/raw_mutex.h"

namespace ftpy::sync {

enum class LockStatus { Acquired, TimedOut };

enum class LockFlags : std::uint8_t {
  None = 0,
  Detach = 1,  // if the thread must sleep, run its ParkHook (detach the thread state)
  Brief = 2,   // a critical section: held for a few hundred ns, perhaps by many threads in
               // turn; a waiter backs off adaptively (mutex.cpp)
};
constexpr LockFlags operator|(LockFlags a, LockFlags b) {
  return LockFlags(std::uint8_t(a) | std::uint8_t(b));
}
constexpr bool has_flag(LockFlags flags, LockFlags f) {
  return (std::uint8_t(flags) & std::uint8_t(f)) != 0;
}

class FTPY_CAPABILITY("mutex") Mutex {
 public:
  static constexpr std::uint8_t k_locked = 1;
  static constexpr std::uint8_t k_has_parked = 2;
  static constexpr Nanos k_fair_after = k_ms;

  constexpr Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock(LockFlags flags = LockFlags::None) FTPY_ACQUIRE() {
    std::uint8_t expected = 0;
    // acquire: pairs with the release in unlock() / unlock_slow().
    if (__builtin_expect(m_bits.compare_exchange_strong(expected, k_locked,
                                                        std::memory_order_acquire,
                                                        std::memory_order_relaxed),
                         1))
      return;
    lock_slow(k_forever, flags);
  }

  bool try_lock() FTPY_TRY_ACQUIRE(true) {
    std::uint8_t v = m_bits.load(std::memory_order_relaxed);
    // Barging is allowed even with parked waiters: only the locked bit excludes.
    while (!(v & k_locked)) {
      if (m_bits.compare_exchange_weak(v, v | k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return true;
    }
    return false;
  }

  // Waits at most `timeout` ns (k_forever: no limit; 0: try once). Clang's thread-safety
  // analysis cannot follow it: try_acquire_capability names its success value as a bool or
  // int literal and only understands a caller that tests the result against one, not an enum.
  // Code the analysis checks locks through try_lock_for, the same call as a bool.
  [[nodiscard]] LockStatus lock_timed(Nanos timeout, LockFlags flags = LockFlags::None) {
    std::uint8_t expected = 0;
    if (m_bits.compare_exchange_strong(expected, k_locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
      return LockStatus::Acquired;
    return lock_slow(timeout, flags);
  }
  // lock_timed for analysed callers: true when the lock was acquired.
  [[nodiscard]] bool try_lock_for(Nanos timeout, LockFlags flags = LockFlags::None)
      FTPY_TRY_ACQUIRE(true) {
    return lock_timed(timeout, flags) == LockStatus::Acquired;
  }

  void unlock() FTPY_RELEASE() {
    std::uint8_t expected = k_locked;
    // release: publishes the critical section; pairs with lock()'s acquire.
    if (__builtin_expect(m_bits.compare_exchange_strong(expected, 0, std::memory_order_release,
                                                        std::memory_order_relaxed),
                         1))
      return;
    unlock_slow();
  }

  bool is_locked() const { return m_bits.load(std::memory_order_relaxed) & k_locked; }
  // Tells the analysis that the caller holds this mutex, where it cannot see the lock (a
  // callback run under it). Checked builds check that some thread holds it.
  void assert_held() const FTPY_ASSERT_CAPABILITY(this) { FTPY_DCHECK(is_locked()); }

  // Process-wide count of fairness hand-offs (unlock gave the lock to a starved waiter).
  static long handoffs() { return s_handoffs.load(std::memory_order_relaxed); }

 private:
  LockStatus lock_slow(Nanos timeout, LockFlags flags);
  void unlock_slow();

  std::atomic<std::uint8_t> m_bits{0};
  static inline std::atomic<long> s_handoffs{0};  // slow path only; for tests and stats
};

static_assert(sizeof(Mutex) == 1, "Mutex must be one byte: it lives in every object header");
static_assert(std::atomic<std::uint8_t>::is_always_lock_free);

// A lock with a place in the lock order (the table above): the runtime's own mutexes. The
// same calls as M; checked builds check the order on every acquisition (lock_rank.h), release
// builds compile to M's calls alone (the rank is stored, never read).
template <class M>
class FTPY_CAPABILITY("mutex") Ranked {
 public:
  constexpr explicit Ranked(LockRank rank) : m_rank(rank) {}
  Ranked(const Ranked&) = delete;
  Ranked& operator=(const Ranked&) = delete;

  template <class... Flags>
  void lock(Flags... flags) FTPY_ACQUIRE() {
#if defined(FTPY_CHECKS)
    lock_rank::before_acquire(this, m_rank, (false || ... || has_flag(flags, LockFlags::Detach)));
#endif
    m_mutex.lock(flags...);
#if defined(FTPY_CHECKS)
    lock_rank::acquired(this, m_rank);
#endif
  }
  bool try_lock() FTPY_TRY_ACQUIRE(true) {
    if (!m_mutex.try_lock()) return false;
#if defined(FTPY_CHECKS)
    lock_rank::acquired(this, m_rank);
#endif
    return true;
  }
  void unlock() FTPY_RELEASE() {
#if defined(FTPY_CHECKS)
    lock_rank::released(this);
#endif
    m_mutex.unlock();
  }
  // As Mutex::assert_held; checked builds check that the calling thread holds it.
  void assert_held() const FTPY_ASSERT_CAPABILITY(this) {
#if defined(FTPY_CHECKS)
    if (!lock_rank::holds(this)) fatal("a ranked lock is not held by this thread");
#endif
  }
  LockRank rank() const { return m_rank; }

 private:
  M m_mutex;
  const LockRank m_rank;
};

using RankedMutex = Ranked<Mutex>;

}  // namespace ftpy::sync
