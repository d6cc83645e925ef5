// state.cpp: the collector's per-interpreter state and the trigger it hands the runtime.
#include "gc/state.h"

#include <algorithm>
#include <new>

#include "runtime/interpreter.h"
#include "sync/check.h"

namespace ftpy::gc {

namespace {

// The trigger for the given inputs: due(count) == count > trigger_for(...).
std::int64_t trigger_for(std::int64_t threshold, bool enabled, std::int64_t long_lived) {
  if (threshold <= 0 || !enabled) return runtime::GcCount::k_never;
  return std::max(threshold, long_lived / 4);
}

// Recomputes the runtime's trigger after an input changed. Two setters may race: each
// stores, then checks that the inputs it read are still current, and tries again if not;
// so the last store is of inputs nobody changed after it (seq_cst on both sides).
void update_trigger(runtime::Interpreter* interp) {
  GcState& s = state(interp);
  for (;;) {
    std::int64_t t = s.threshold.load(std::memory_order_seq_cst);
    bool en = s.enabled.load(std::memory_order_seq_cst);
    std::int64_t ll = s.long_lived.load(std::memory_order_seq_cst);
    interp->gc_count().trigger.store(trigger_for(t, en, ll), std::memory_order_seq_cst);
    if (t == s.threshold.load(std::memory_order_seq_cst) &&
        en == s.enabled.load(std::memory_order_seq_cst) &&
        ll == s.long_lived.load(std::memory_order_seq_cst))
      return;
  }
}

}  // namespace

bool init_interpreter(runtime::Interpreter* interp) {
  if (interp->m_gc_state) return true;
  auto* s = new (std::nothrow) GcState;
  if (!s) return false;
  interp->m_gc_state = s;
  update_trigger(interp);
  return true;
}

void fini_interpreter(runtime::Interpreter* interp) {
  interp->gc_count().trigger.store(runtime::GcCount::k_never, std::memory_order_relaxed);
  delete static_cast<GcState*>(interp->m_gc_state);
  interp->m_gc_state = nullptr;
}

GcState& state(runtime::Interpreter* interp) {
  FTPY_ASSERT(interp->m_gc_state != nullptr);
  return *static_cast<GcState*>(interp->m_gc_state);
}

bool due(runtime::Interpreter* interp, std::int64_t count) {
  GcState& s = state(interp);
  return count > trigger_for(s.threshold.load(std::memory_order_relaxed),
                             s.enabled.load(std::memory_order_relaxed),
                             s.long_lived.load(std::memory_order_relaxed));
}

std::int64_t allocation_count(runtime::Interpreter* interp) {
  return interp->gc_count().allocations.load(std::memory_order_relaxed);
}

void set_threshold(runtime::Interpreter* interp, std::int64_t t0, std::int64_t t1,
                   std::int64_t t2) {
  GcState& s = state(interp);
  s.threshold.store(t0, std::memory_order_seq_cst);
  s.threshold1.store(t1, std::memory_order_relaxed);
  s.threshold2.store(t2, std::memory_order_relaxed);
  update_trigger(interp);
}

void set_enabled(runtime::Interpreter* interp, bool enabled) {
  state(interp).enabled.store(enabled, std::memory_order_seq_cst);
  update_trigger(interp);
}

void set_survivors(runtime::Interpreter* interp, std::int64_t survivors) {
  state(interp).long_lived.store(survivors, std::memory_order_seq_cst);
  update_trigger(interp);
}

}  // namespace ftpy::gc
