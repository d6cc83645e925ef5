// parking_lot.cpp: the bucket table and the per-thread waiters.
//
// Each park() keeps its Waiter on its own stack: parking never allocates, and a thread may
// park again while an outer park is queued (the detach hook can block on an internal lock).
// A Waiter is queued and dequeued only under its bucket's RawMutex; `m_queued` tells a
// timed-out waiter whether an unparker already took it (then a post is on its way and must be
// consumed before the Waiter's frame can end).
#include "sync/parking_lot.h"

#include "sync/check.h"
#include "sync/futex.h"
#include "sync/mutex.h"

namespace ftpy::sync {

namespace {

struct Waiter {
  Semaphore m_sema;
  const void* m_addr = nullptr;  // guarded by the bucket's mutex while queued
  void* m_arg = nullptr;
  Waiter* m_next = nullptr;
  Waiter* m_prev = nullptr;
  bool m_queued = false;  // guarded by the bucket's mutex
};

struct alignas(64) Bucket {
  Ranked<RawMutex> m_mutex{LockRank::ParkingLot};
  Waiter* m_head FTPY_GUARDED_BY(m_mutex) = nullptr;
  Waiter* m_tail FTPY_GUARDED_BY(m_mutex) = nullptr;

  void enqueue(Waiter* w) FTPY_REQUIRES(m_mutex) {
    w->m_next = nullptr;
    w->m_prev = m_tail;
    if (m_tail) m_tail->m_next = w;
    else m_head = w;
    m_tail = w;
    w->m_queued = true;
  }
  void dequeue(Waiter* w) FTPY_REQUIRES(m_mutex) {
    if (w->m_prev) w->m_prev->m_next = w->m_next;
    else m_head = w->m_next;
    if (w->m_next) w->m_next->m_prev = w->m_prev;
    else m_tail = w->m_prev;
    w->m_next = w->m_prev = nullptr;
    w->m_queued = false;
  }
};

// A prime count spreads addresses that differ only in their low bits.
constexpr std::size_t k_buckets = 257;
Bucket g_buckets[k_buckets];

thread_local ParkHook* t_hook = nullptr;

Bucket& bucket_for(const void* addr) {
  auto a = reinterpret_cast<std::uintptr_t>(addr);
  return g_buckets[(a ^ (a >> 17)) % k_buckets];
}

bool value_matches(const void* addr, std::uint64_t expected, std::size_t size) {
  switch (size) {
    case 1: return __atomic_load_n(static_cast<const std::uint8_t*>(addr), __ATOMIC_SEQ_CST) == expected;
    case 2: return __atomic_load_n(static_cast<const std::uint16_t*>(addr), __ATOMIC_SEQ_CST) == expected;
    case 4: return __atomic_load_n(static_cast<const std::uint32_t*>(addr), __ATOMIC_SEQ_CST) == expected;
    case 8: return __atomic_load_n(static_cast<const std::uint64_t*>(addr), __ATOMIC_SEQ_CST) == expected;
    default: fatal("parking_lot::park: size must be 1, 2, 4 or 8");
  }
}

}  // namespace

ParkHook* set_thread_park_hook(ParkHook* hook) {
  ParkHook* old = t_hook;
  t_hook = hook;
  return old;
}

namespace parking_lot {

ParkResult park(const void* addr, std::uint64_t expected, std::size_t size, Nanos timeout,
                void* arg, bool detach) {
  struct Expected {
    const void* addr;
    std::uint64_t value;
    std::size_t size;
  } e{addr, expected, size};
  auto still_expected = [](void* ctx) {
    auto* x = static_cast<Expected*>(ctx);
    return value_matches(x->addr, x->value, x->size);
  };
  return park_conditionally(addr, still_expected, &e, timeout, arg, detach);
}

ParkResult park_conditionally(const void* addr, bool (*validate)(void* ctx), void* ctx,
                              Nanos timeout, void* arg, bool detach) {
  Bucket& b = bucket_for(addr);
  Waiter waiter;
  Waiter* w = &waiter;
  Nanos deadline = deadline_after(timeout);
  {
    MutexGuard guard(b.m_mutex);
    // Validating under the bucket lock is what makes park/unpark race-free: an unparker
    // changes the value first and then takes this lock to find us.
    if (!validate(ctx)) return ParkResult::Mismatch;
    w->m_addr = addr;
    w->m_arg = arg;
    b.enqueue(w);
  }
  ParkHook* hook = detach ? t_hook : nullptr;
  if (hook) hook->before_park();

  ParkResult result = ParkResult::Ok;
  if (!w->m_sema.wait(deadline)) {
    b.m_mutex.lock();
    if (w->m_queued) {
      b.dequeue(w);
      b.m_mutex.unlock();
      result = ParkResult::TimedOut;
    } else {
      // An unparker took us off the queue just as the timeout passed; its post is coming.
      b.m_mutex.unlock();
      w->m_sema.wait(k_forever);
    }
  }
  if (hook) hook->after_park();
  return result;
}

void unpark_one_fn(const void* addr, void (*callback)(void* ctx, UnparkInfo info), void* ctx) {
  Bucket& b = bucket_for(addr);
  Waiter* found = nullptr;
  {
    MutexGuard guard(b.m_mutex);
    Waiter* w = b.m_head;
    for (; w; w = w->m_next)
      if (w->m_addr == addr) break;
    if (w) {
      found = w;
      Waiter* rest = w->m_next;
      b.dequeue(w);
      for (; rest && rest->m_addr != addr; rest = rest->m_next) {
      }
      callback(ctx, UnparkInfo{found->m_arg, rest != nullptr});
    } else {
      callback(ctx, UnparkInfo{nullptr, false});
    }
  }
  if (found) found->m_sema.post();
}

int unpark_all(const void* addr) {
  Bucket& b = bucket_for(addr);
  Waiter* woken = nullptr;
  int n = 0;
  {
    MutexGuard guard(b.m_mutex);
    Waiter* w = b.m_head;
    while (w) {
      Waiter* next = w->m_next;
      if (w->m_addr == addr) {
        b.dequeue(w);
        w->m_next = woken;  // reuse the link for a private list of threads to wake
        woken = w;
        n++;
      }
      w = next;
    }
  }
  while (woken) {
    // Read the link before posting: once posted, the waiter's thread may reuse it.
    Waiter* next = woken->m_next;
    woken->m_sema.post();
    woken = next;
  }
  return n;
}

}  // namespace parking_lot
}  // namespace ftpy::sync
