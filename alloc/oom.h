// oom.h: what running out of memory means here, one rule for every allocation path.
// A single request larger than the machine's memory plus swap fails at once. The kernel's
// overcommit heuristic fails such a malloc for CPython, but mimalloc reserves with
// MAP_NORESERVE, which the heuristic lets through: 'a'.ljust(10**12) would get a terabyte
// block and the process would die filling it. Below that bound a request fails only when the
// system refuses it (an address-space cap, an exhausted machine).
// oom.cpp also replaces the global operator new and delete: mimalloc's own, built as C,
// aborts on failure; ours throws std::bad_alloc, which the interpreter turns into MemoryError
// at the boundary of every native call (interp/objects/object.h, call_native_fn).
// Thread-safe; no locks.
#pragma once
#include <cstddef>

namespace ftpy::alloc {

// False for a request no allocation of this process could satisfy (see above).
bool request_fits(std::size_t bytes);
// The bound request_fits applies: physical memory plus swap, read once.
std::size_t max_request();
// Before retrying a failed request: gives the calling thread's cached free memory (mimalloc
// keeps freed segments mapped for reuse) back to the system, which matters under an
// address-space cap. Every allocation path retries once after it.
void release_cached_memory();

}  // namespace ftpy::alloc
