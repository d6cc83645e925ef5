// isolation.h: the checked-build proof that interpreters share nothing but immortal objects
// (DESIGN.md, "Interpreters").
//
// Every thread state's id is recorded with its interpreter's id when it is created. An
// object's owner field (ob_tid) names the thread state that allocated it, so a thread state
// that counts or visits an object whose owner belongs to another interpreter has touched
// that interpreter's memory: a fatal error naming both interpreters. The checks run in the
// refcount slow paths (a non-owner's incref and decref, runtime/object.h) and in the
// collector's traversal (gc/), only when FTPY_CHECKS is on; release builds compile them
// away. Objects with no owner (immortal ones, and those whose owner merged and gave them up:
// ob_tid 0) are not checked. Thread-safe: the table is written once per id before the id is
// used, and read with acquire loads.
#pragma once
#include <cstdint>

#include "runtime/object.h"

namespace ftpy::runtime {

// Records that thread-state id `tid` belongs to interpreter `interp_id`. ThreadState::create.
void isolation_register(ThreadId tid, std::int64_t interp_id);
// The interpreter of thread-state id `tid`, or -1 if it was never recorded.
std::int64_t isolation_interp_of(ThreadId tid);
// isolation_check_slow (declared in object.h): fatal if `o` has an owner recorded in another
// interpreter than the calling thread's attached thread state; `where` names the path for
// the message. No-op with no thread state attached.
inline void isolation_check(const Object* o, const char* where) {
  if constexpr (k_checks) isolation_check_slow(o, where);
}

}  // namespace ftpy::runtime
