// eval_breaker.h: the per-thread-state word of request bits (DESIGN.md, "Eval breaker").
// Any thread sets bits (fetch_or, release); the owning thread reads them at its safe points
// (backward jumps and calls in the VM) and clears what it handled. A safe point costs one
// relaxed load when nothing is requested.
#pragma once
#include <cstdint>

namespace ftpy::runtime::eval_breaker {

inline constexpr std::uint32_t k_stop_world = 1u << 0;     // park until the world restarts
inline constexpr std::uint32_t k_merge_refcounts = 1u << 1;  // objects wait in the merge queue
inline constexpr std::uint32_t k_run_gc = 1u << 2;         // allocation crossed the threshold
inline constexpr std::uint32_t k_delayed_free = 1u << 3;   // delayed frees wait for goals
inline constexpr std::uint32_t k_async_exc = 1u << 4;      // an asynchronous exception

// Bits the runtime handles itself in ThreadState::handle_eval_breaker; the rest are returned
// to the caller (the VM: GC, asynchronous exceptions).
inline constexpr std::uint32_t k_runtime_bits =
    k_stop_world | k_merge_refcounts | k_delayed_free;

}  // namespace ftpy::runtime::eval_breaker
