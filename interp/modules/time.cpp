// time.cpp: the time module. time.sleep detaches the thread state for the duration
// (other threads and stop-the-world requests never wait for it).
#include "interp/modules/modules.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "runtime/thread_state.h"
#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {

double seconds_since_epoch() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}
double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

NATIVE(time_time) {
  ARGS("time", 0, 0);
  (void)args;
  return make_float(seconds_since_epoch());
}
NATIVE(time_time_ns) {
  ARGS("time_ns", 0, 0);
  (void)args;
  using namespace std::chrono;
  return make_int(duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count());
}
NATIVE(time_perf_counter) {
  ARGS("perf_counter", 0, 0);
  (void)args;
  return make_float(monotonic_seconds());
}
NATIVE(time_monotonic) {
  ARGS("monotonic", 0, 0);
  (void)args;
  return make_float(monotonic_seconds());
}
NATIVE(time_perf_counter_ns) {
  ARGS("perf_counter_ns", 0, 0);
  (void)args;
  using namespace std::chrono;
  return make_int(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
}
NATIVE(time_sleep) {
  ARGS("sleep", 1, 1);
  double secs;
  if (!arg_as_double(args[0], &secs)) {
    clear_error();
    return raise_fmt(&g_TypeError, "'{}' object cannot be interpreted as an integer",
                     type_name(args[0]));
  }
  if (std::isnan(secs)) return raise(&g_ValueError, "Invalid value NaN (not a number)");
  if (secs < 0) return raise(&g_ValueError, "sleep length must be non-negative");
  {
    runtime::Detached detached{t_vm->ts};
    std::this_thread::sleep_for(std::chrono::duration<double>(secs));
  }
  return none();
}

}  // namespace

Value create_time() {
  static const NativeMethodDef k_defs[] = {
      {"time", time_time},         {"time_ns", time_time_ns},
      {"perf_counter", time_perf_counter}, {"perf_counter_ns", time_perf_counter_ns},
      {"monotonic", time_monotonic}, {"sleep", time_sleep},
      {nullptr, nullptr}};
  return make_native_module("time", k_defs);
}

}  // namespace ftpy::interp
