// parking_lot.h: wait queues keyed by address, after WebKit's WTF::ParkingLot (and CPython's
// Python/parking_lot.c). Lets any byte or word in memory be a lock or an event with no
// per-lock kernel object: a thread that must wait "parks" on the address; whoever changes the
// value "unparks" waiters on it.
//
// Invariants: a fixed table of k_buckets buckets, each a RawMutex and an intrusive FIFO of
// Waiters; a Waiter lives on the parking thread's stack (no heap allocation) and is in at
// most one queue. park() compares the address's value with `expected` under the bucket lock, so an
// unpark that follows a change of the value can never be missed. Lock order: a bucket's
// RawMutex is a leaf (no other lock is taken while holding it, except inside the unpark
// callback, which must not lock anything either).
#pragma once
#include <cstddef>
#include <cstdint>

#include "sync/clock.h"

namespace ftpy::sync {

enum class ParkResult {
  Ok,        // unparked by another thread
  Mismatch,  // the value at the address was not `expected`: did not sleep
  TimedOut,  // the timeout passed before an unpark
};

// Called around sleeping when a caller parks with `detach = true`: the runtime registers one
// per thread so that a thread blocked on a lock is Detached (does not hold up stop-the-world,
// releases its critical sections). The runtime sits above sync/, hence a hook. The hook may
// itself park (with detach = false) but must not re-enter a detaching park.
struct ParkHook {
  virtual void before_park() = 0;
  virtual void after_park() = 0;

 protected:
  ~ParkHook() = default;
};

// Registers the calling thread's hook (nullptr to remove). Returns the previous one.
ParkHook* set_thread_park_hook(ParkHook* hook);

// What an unpark callback learns about the queue, under the bucket lock.
struct UnparkInfo {
  void* waiter_arg;   // the `arg` the woken thread parked with; nullptr if none was waiting
  bool more_waiters;  // other threads still parked on the same address
};

namespace parking_lot {

// Parks the calling thread on `addr` if the `size`-byte value there (1, 2, 4 or 8, read
// atomically) equals `expected`. `arg` is handed to the unparker's callback. Called with no
// RawMutex held.
ParkResult park(const void* addr, std::uint64_t expected, std::size_t size, Nanos timeout,
                void* arg = nullptr, bool detach = false);

// Parks the calling thread on `addr` if validate(ctx) returns true, called under the bucket
// lock (WebKit's parkConditionally): a thread that falsifies the condition and then unparks
// `addr` can never be missed. validate must not block or lock. Mismatch when it returned
// false; otherwise as park(), which is this with "the value still equals `expected`".
ParkResult park_conditionally(const void* addr, bool (*validate)(void* ctx), void* ctx,
                              Nanos timeout, void* arg = nullptr, bool detach = false);

// Wakes the oldest thread parked on `addr`. `callback(info)` runs under the bucket lock before
// the thread wakes, so the unparker can update the lock word atomically with the queue's
// state (the Mutex hand-off relies on this). The callback must not block or lock.
template <class F>
void unpark_one(const void* addr, F&& callback);

// Wakes every thread parked on `addr`. Returns how many were woken.
int unpark_all(const void* addr);

// Type-erased form of unpark_one.
void unpark_one_fn(const void* addr, void (*callback)(void* ctx, UnparkInfo info), void* ctx);

template <class F>
void unpark_one(const void* addr, F&& callback) {
  unpark_one_fn(
      addr, [](void* ctx, UnparkInfo info) { (*static_cast<F*>(ctx))(info); },
      const_cast<void*>(static_cast<const void*>(&callback)));
}

}  // namespace parking_lot
}  // namespace ftpy::sync
