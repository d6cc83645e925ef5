// fixture.h: helpers for runtime tests: a scoped attached thread state, and test object
// types whose deallocations are counted.
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime/object.h"
#include "runtime/runtime.h"
#include "runtime/thread_state.h"
#include "sync/check.h"

namespace ftpy::test {

inline runtime::Interpreter* main_interp() {
  auto& rt = runtime::Runtime::get();
  FTPY_ASSERT(rt.init_main() == runtime::InterpStatus::Ok);
  return rt.main_interpreter();
}

// A thread state of `interp` for the calling thread, attached for the scope.
class AttachedScope {
 public:
  explicit AttachedScope(runtime::Interpreter* interp) {
    runtime::ThreadStatus st;
    m_ts = runtime::ThreadState::create(interp, &st);
    FTPY_ASSERT(m_ts != nullptr);
    m_ts->attach();
  }
  ~AttachedScope() { m_ts->destroy(); }
  AttachedScope(const AttachedScope&) = delete;
  AttachedScope& operator=(const AttachedScope&) = delete;
  runtime::ThreadState* ts() const { return m_ts; }

 private:
  runtime::ThreadState* m_ts;
};

// A counted test object: `id` indexes a per-test array of dealloc counts.
struct TestObj {
  runtime::Object header;
  std::atomic<int>* dealloc_counts;
  std::int64_t id;
};

inline void test_obj_dealloc(runtime::Object* o) {
  auto* t = reinterpret_cast<TestObj*>(o);
  t->dealloc_counts[t->id].fetch_add(1, std::memory_order_relaxed);
  runtime::free_object(o);
}

inline int test_obj_traverse(runtime::Object*, runtime::VisitFn, void*) { return 0; }
inline void test_obj_clear(runtime::Object*) {}

inline runtime::Type test_obj_type = {"TestObj", sizeof(TestObj), 0, test_obj_dealloc,
                                      test_obj_traverse, test_obj_clear};
inline runtime::Type test_gc_obj_type = {"TestGcObj", sizeof(TestObj), runtime::type_flags::k_gc,
                                         test_obj_dealloc, test_obj_traverse, test_obj_clear};

inline TestObj* new_test_obj(runtime::Type* type, std::atomic<int>* counts, std::int64_t id) {
  auto* o = reinterpret_cast<TestObj*>(runtime::alloc_object(type, sizeof(TestObj)));
  FTPY_ASSERT(o != nullptr);
  o->dealloc_counts = counts;
  o->id = id;
  return o;
}

inline std::int64_t live_objects(runtime::Interpreter* interp) {
  return interp->heaps().live_blocks(alloc::Tag::Object) +
         interp->heaps().live_blocks(alloc::Tag::Gc);
}

}  // namespace ftpy::test
