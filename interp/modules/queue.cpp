// queue.cpp: the `queue` module, written in the Python subset (queue.py, embedded by the
// build as k_queue_source) and compiled into the module's dict on first import. A Queue's
// items and counters are touched only with its `mutex` held; its three Conditions share that
// mutex, and every blocking wait goes through threading's Condition, whose lock waits detach
// the thread state.
#include "interp/modules/modules.h"

#include "interp/modules/queue_py.h"
#include "interp/objects/module_type.h"
#include "interp/vm/import.h"
#include "interp/vm/vm.h"

namespace ftpy::interp {

// queue.py: items live in a list consumed from `_head`; the consumed prefix is cut off once
// it is at least half of the list, so get() stays amortised O(1).

Value create_queue_module() {
  Value m = make_module("queue");
  if (!m) return m;
  Value dict = Value::from(&reinterpret_cast<ModuleObject*>(m.obj())->dict->header);
  if (dict_setitem_str(dict, intern("__builtins__"), t_vm->interp->builtins) < 0) {
    decref(m);
    return Value::null();
  }
  return run_frozen_module(m, "queue", k_queue_source);
}

}  // namespace ftpy::interp
