// vm_scope.h: test helpers for interp tests that run real threads: the process's interpreter
// (started once, on first use) and VmScope, an extra thread's own ThreadState and VmThread,
// attached for the scope so the thread may call into the interp layer.
#pragma once
#include "interp/modules/interp_init.h"
#include "interp/vm/vm.h"
#include "interp/objects/vm_state.h"
#include "runtime/thread_state.h"
#include "sync/check.h"

namespace ftpy::test {

inline interp::VmThread* main_vm() {
  static interp::VmThread* vt = interp::interp_start();
  FTPY_ASSERT(vt != nullptr);
  return vt;
}

class VmScope {
 public:
  VmScope() {
    interp::VmThread* main = main_vm();
    runtime::ThreadStatus st;
    m_ts = runtime::ThreadState::create(main->interp->rt, &st);
    FTPY_ASSERT(m_ts != nullptr);
    m_ts->attach();
    m_vt.ts = m_ts;
    m_vt.interp = main->interp;
    m_ts->m_upper_state = &m_vt;
    interp::t_vm = &m_vt;
  }
  ~VmScope() {
    FTPY_ASSERT(!m_vt.exc);
    interp::free_frame_stack();
    interp::t_vm = nullptr;
    m_ts->m_upper_state = nullptr;
    m_ts->destroy();  // hands on its delayed references, flushes its counts
  }
  // What the VM does on backward jumps: report a quiescent state, serve requests.
  void safe_point() {
    if (m_ts->safe_point()) m_ts->handle_eval_breaker();
  }
  VmScope(const VmScope&) = delete;
  VmScope& operator=(const VmScope&) = delete;

 private:
  runtime::ThreadState* m_ts;
  interp::VmThread m_vt;
};

}  // namespace ftpy::test
