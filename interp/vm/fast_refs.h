// fast_refs.h: the eval loop's reference counting (object.h's incref/decref, forced inline: the
// compiler declines to inline those into the huge loop, and they are its most frequent
// operations) and its float results. Only the calling thread's objects are touched outside
// atomics; see runtime/object.h for the counting scheme. Included by vm/ sources only.
#pragma once
#include <cstdint>

#include "interp/objects/object.h"
#include "interp/objects/types_internal.h"
#include "interp/objects/vm_state.h"
#include "runtime/local_refs.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

[[gnu::always_inline]] inline bool owned_here(const Object* o) {
  return o->ob_tid.load(std::memory_order_relaxed) == runtime::t_current_tid;
}
[[gnu::always_inline]] inline bool is_obj(Value v) { return v.bits != 0 && !(v.bits & 1); }

// Per-thread counts (runtime/local_refs.h), out of the loop's way: keeping this path inline at
// every count site measurably worsened the loop's register allocation.
[[gnu::noinline]] inline void local_ref_cold(Object* o, std::int64_t delta) {
  runtime::local_ref_add(o, delta);
}

// The owner's test comes first: an immortal object's ob_tid is 0 (make_immortal), which is
// never the tid of a thread running bytecode, so owned objects skip the immortal test.
[[gnu::always_inline]] inline void fast_incref(Value v) {
  if (!is_obj(v)) return;
  Object* o = v.obj();
  if (owned_here(o)) [[likely]] {
    o->ob_ref_local.store(o->ob_ref_local.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
  } else if (runtime::is_immortal(o)) {
  } else if (runtime::uses_local_refs(o)) {
    if constexpr (k_checks) runtime::isolation_check_slow(o, "incref");
    local_ref_cold(o, 1);
  } else {
    if constexpr (k_checks) runtime::isolation_check_slow(o, "incref");
    o->ob_ref_shared.fetch_add(std::int64_t(1) << runtime::k_shared_shift,
                               std::memory_order_relaxed);
  }
}
// An exact float that dies here, owned and never shared, goes straight to the float free list
// (its counts are zero and its ob_tid ours, as the list requires).
[[gnu::always_inline]] inline void fast_decref(Value v) {
  if (!is_obj(v)) return;
  Object* o = v.obj();
  if (owned_here(o)) [[likely]] {
    std::uint32_t local = o->ob_ref_local.load(std::memory_order_relaxed) - 1;
    o->ob_ref_local.store(local, std::memory_order_relaxed);
    if (local == 0) {
      if (o->ob_type == &g_float_type.rt &&
          o->ob_ref_shared.load(std::memory_order_relaxed) == 0 && float_free_push(t_vm, o))
        return;
      runtime::merge_zero_local_refcount(o);
    }
  } else if (runtime::is_immortal(o)) {
  } else if (runtime::uses_local_refs(o)) {
    if constexpr (k_checks) runtime::isolation_check_slow(o, "decref");
    local_ref_cold(o, -1);
  } else {
    runtime::decref_shared(o);
  }
}
[[gnu::always_inline]] inline Value fast_make_float(double x) {
  if (Object* o = float_free_pop(t_vm)) {
    o->ob_ref_local.store(1, std::memory_order_relaxed);
    reinterpret_cast<FloatObject*>(o)->value = x;
    return Value::from(o);
  }
  return make_float(x);
}
// A float that only the value stack references may be overwritten with a result in place
// (no allocation); nobody else can observe it.
[[gnu::always_inline]] inline bool is_unique_temp(Value v) {
  Object* o = v.obj();
  return o->ob_ref_local.load(std::memory_order_relaxed) == 1 &&
         o->ob_ref_shared.load(std::memory_order_relaxed) == 0 && owned_here(o);
}

}  // namespace ftpy::interp
