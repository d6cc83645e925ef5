// check.h: the lowest layer's error tiers (STYLE.md rule 10).
// - ftpy::fatal(msg): a broken invariant; prints and aborts. Never for user errors.
// - FTPY_ASSERT(cond): always-on cheap check of an invariant.
// - FTPY_DCHECK(cond): only with internal checks (debug builds, -Dchecks=true).
// - FTPY_GUARDED_BY / FTPY_REQUIRES / ...: Clang thread-safety attributes, no-ops elsewhere;
//   checked by the clang build in .ci/run (-Wthread-safety -Werror).
#pragma once

namespace ftpy {

[[noreturn]] void fatal(const char* msg, const char* file = __builtin_FILE(),
                        int line = __builtin_LINE());

#if defined(FTPY_CHECKS)
inline constexpr bool k_checks = true;
#else
inline constexpr bool k_checks = false;
#endif

}  // namespace ftpy

#define FTPY_ASSERT(cond)                                        \
  do {                                                           \
    if (__builtin_expect(!(cond), 0)) ::ftpy::fatal("assertion failed: " #cond); \
  } while (0)

#define FTPY_DCHECK(cond)                                        \
  do {                                                           \
    if constexpr (::ftpy::k_checks) FTPY_ASSERT(cond);           \
  } while (0)

#if defined(__clang__)
#define FTPY_TSA(x) __attribute__((x))
#else
#define FTPY_TSA(x)
#endif
#define FTPY_CAPABILITY(name) FTPY_TSA(capability(name))
#define FTPY_GUARDED_BY(m) FTPY_TSA(guarded_by(m))
#define FTPY_PT_GUARDED_BY(m) FTPY_TSA(pt_guarded_by(m))
#define FTPY_REQUIRES(...) FTPY_TSA(requires_capability(__VA_ARGS__))
#define FTPY_ACQUIRE(...) FTPY_TSA(acquire_capability(__VA_ARGS__))
#define FTPY_RELEASE(...) FTPY_TSA(release_capability(__VA_ARGS__))
#define FTPY_TRY_ACQUIRE(...) FTPY_TSA(try_acquire_capability(__VA_ARGS__))
#define FTPY_ASSERT_CAPABILITY(x) FTPY_TSA(assert_capability(x))
#define FTPY_RETURN_CAPABILITY(x) FTPY_TSA(lock_returned(x))
#define FTPY_SCOPED_CAPABILITY FTPY_TSA(scoped_lockable)
// Only where the analysis cannot express the protocol; say why on the line above.
#define FTPY_NO_THREAD_SAFETY_ANALYSIS FTPY_TSA(no_thread_safety_analysis)
