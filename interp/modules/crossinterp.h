// crossinterp.h: cross-interpreter data (DESIGN.md, "Interpreters"; CPython's crossinterp.c).
// A value leaves one interpreter as XiData, plain C++ memory that belongs to no interpreter,
// and is built again, as a new object, in another: nothing crosses as a Python object.
//
// Each interpreter has its own registry (VmInterp::xi), filled when the interpreter is
// created: for each shareable type (exactly that type, not a subclass) a function that copies
// a value out and one that builds it again. Shareable: None, bool, int, float, str, tuples of
// shareable values, and interpreter queues (the handle crosses; the queue itself is shared
// memory, XiQueue). Everything else is refused with NotShareableError (a ValueError).
//
// XiQueue: a queue of XiData, counted by the handles that refer to it (in any interpreter)
// and by the XiData that carry it. Its items are guarded by its own mutex (rank XiQueue, a
// leaf but for the allocator); blocking waits park on its `changes` word with the calling
// thread state detached, so no interpreter's stop-the-world waits for a blocked thread.
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "interp/objects/object.h"
#include "interp/objects/vm_state.h"
#include "sync/clock.h"
#include "sync/mutex.h"

namespace ftpy::interp {

struct XiQueue;

struct XiData {
  enum class Kind : std::uint8_t { None, Bool, Int, Float, Str, Tuple, Queue };
  Kind kind = Kind::None;
  std::int64_t i = 0;          // Bool, Int
  double f = 0;                // Float
  std::string s;               // Str (UTF-8)
  std::vector<XiData> items;   // Tuple
  XiQueue* queue = nullptr;    // Queue: a counted reference, dropped by the destructor

  XiData() = default;
  XiData(XiData&& o) noexcept;
  XiData& operator=(XiData&& o) noexcept;
  XiData(const XiData&) = delete;
  XiData& operator=(const XiData&) = delete;
  ~XiData();
};

// Copies v out of the calling thread's interpreter. -1 with NotShareableError (or
// MemoryError) raised; `out` is then unspecified.
int xi_share(Value v, XiData* out);
// Builds d as a new object of the calling thread's interpreter (a new reference), or null
// with an exception set.
Value xi_build(const XiData& d);
// Whether xi_share would accept v (no exception either way).
bool xi_is_shareable(Value v);

// The registry of interpreter vi, made when it is created; false on out of memory.
bool xi_registry_init(VmInterp* vi);
void xi_registry_free(VmInterp* vi);

enum class XiWait { Ok, TimedOut };

struct XiQueue {
  std::atomic<std::int64_t> refs{1};
  std::int64_t id = 0;
  std::int64_t maxsize = 0;  // <= 0: unbounded
  sync::RankedMutex mutex{sync::LockRank::XiQueue};
  std::deque<XiData> items FTPY_GUARDED_BY(mutex);
  // Bumped (under the mutex) by every put and get; waiters park on it (detached).
  std::atomic<std::uint32_t> changes{0};
};

// A new queue with one reference (the caller's), or null on out of memory.
XiQueue* xi_queue_new(std::int64_t maxsize);
void xi_queue_incref(XiQueue* q);
void xi_queue_decref(XiQueue* q);
// Appends d, waiting up to `timeout` (0: not at all; sync::k_forever) while the queue is
// full. TimedOut leaves d with the caller.
XiWait xi_queue_put(XiQueue* q, XiData* d, sync::Nanos timeout);
// Takes the oldest item into *out, waiting up to `timeout` while the queue is empty.
XiWait xi_queue_get(XiQueue* q, XiData* out, sync::Nanos timeout);
std::int64_t xi_queue_size(XiQueue* q);

// The Python face of a queue, `interpreters.Queue` (a static type, so the same in every
// interpreter; interpreters.cpp): each handle holds one reference to its XiQueue.
extern TypeObject g_xi_queue_type;
XiQueue* queue_of_handle(Value handle);
// A new handle of q (takes a reference of its own), or null with MemoryError.
Value make_queue_handle(XiQueue* q);

}  // namespace ftpy::interp
