// cpu.h: hints to the processor about how this thread uses shared cache lines. They change
// timing only, never meaning: each is a no-op where the architecture has no such hint.
#pragma once

namespace ftpy::sync {

// This thread is spinning on a shared word.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// This thread is about to write the cache line holding `p` (a lock byte it will compare-and-
// swap, the slot it will store): fetch the line in exclusive state now. A read first and a
// write next would move a line that another core holds twice — once shared, once to take it
// exclusive — and when the line is a contended lock, each move costs a cross-core round trip.
// Prefetching the slot a critical section will store, before taking the lock, also moves its
// line while the lock's own line is in flight, not inside the section. A prefetch never
// faults, so `p` may be a stale, racily computed address. (x86 PREFETCHW: executes as a no-op
// on processors without it; __builtin_prefetch(p, 1) compiles to a read prefetch unless the
// whole build targets PRFCHW, hence the asm.)
inline void prefetch_for_write(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#elif defined(__aarch64__)
  asm volatile("prfm pstl1keep, %0" : : "Q"(*static_cast<const char*>(p)));
#else
  (void)p;
#endif
}

}  // namespace ftpy::sync
