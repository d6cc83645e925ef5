// gc_module.cpp: the gc module: collect, enable/disable and the thresholds, over gc/collect.h.
#include "interp/modules/modules.h"

#include "gc/collect.h"
#include "gc/state.h"
#include "runtime/interpreter.h"

#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {

gc::GcState& gc_state() { return gc::state(t_vm->interp->rt); }

NATIVE(gc_collect) {
  std::size_t nkw = kwnames ? kwnames->size : 0;
  if (nargs > 1)
    return raise_fmt(&g_TypeError, "collect() takes at most 1 argument ({} given)", nargs);
  if (nkw && as_str(kwnames->items[0])->view() != "generation")
    return raise_fmt(&g_TypeError, "'{}' is an invalid keyword argument for collect()",
                     as_str(kwnames->items[0])->view());
  if (nargs == 1) {
    std::int64_t generation;
    if (!arg_as_int64(args[0], &generation)) return Value::null();
    if (generation < 0 || generation > 2) return raise(&g_ValueError, "invalid generation");
  }
  // Non-generational: every generation asks for a full collection.
  return make_int(gc::collect(gc::Reason::Manual));
}
NATIVE(gc_enable) {
  ARGS("enable", 0, 0);
  (void)args;
  gc::set_enabled(t_vm->interp->rt, true);
  return none();
}
NATIVE(gc_disable) {
  ARGS("disable", 0, 0);
  (void)args;
  gc::set_enabled(t_vm->interp->rt, false);
  return none();
}
NATIVE(gc_isenabled) {
  ARGS("isenabled", 0, 0);
  (void)args;
  return py_bool(gc_state().enabled.load(std::memory_order_relaxed));
}
NATIVE(gc_get_count) {
  ARGS("get_count", 0, 0);
  (void)args;
  std::int64_t n = gc::allocation_count(t_vm->interp->rt);
  Value items[3] = {make_int(n < 0 ? 0 : n), make_int(0), make_int(0)};
  return make_tuple_from(items, 3);
}
NATIVE(gc_get_threshold) {
  ARGS("get_threshold", 0, 0);
  (void)args;
  gc::GcState& gc = gc_state();
  Value items[3] = {make_int(gc.threshold.load(std::memory_order_relaxed)),
                    make_int(gc.threshold1.load(std::memory_order_relaxed)),
                    make_int(gc.threshold2.load(std::memory_order_relaxed))};
  return make_tuple_from(items, 3);
}
NATIVE(gc_set_threshold) {
  ARGS("set_threshold", 1, 3);
  gc::GcState& gc = gc_state();
  std::int64_t v[3] = {0, gc.threshold1.load(std::memory_order_relaxed),
                       gc.threshold2.load(std::memory_order_relaxed)};
  for (std::size_t i = 0; i < nargs; i++)
    if (!arg_as_int64(args[i], &v[i])) return Value::null();
  gc::set_threshold(t_vm->interp->rt, v[0], v[1], v[2]);
  return none();
}

}  // namespace

Value create_gc() {
  static const NativeMethodDef k_defs[] = {
      {"collect", gc_collect},         {"enable", gc_enable},
      {"disable", gc_disable},         {"isenabled", gc_isenabled},
      {"get_count", gc_get_count},     {"get_threshold", gc_get_threshold},
      {"set_threshold", gc_set_threshold}, {nullptr, nullptr}};
  return make_native_module("gc", k_defs);
}

}  // namespace ftpy::interp
