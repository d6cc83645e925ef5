// os.cpp: the os module (getpid only for now).
#include "interp/modules/modules.h"

#include <unistd.h>

#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

namespace {

NATIVE(os_getpid) {
  ARGS("getpid", 0, 0);
  (void)args;
  return make_int(std::int64_t(::getpid()));
}

}  // namespace

Value create_os() {
  static const NativeMethodDef k_defs[] = {{"getpid", os_getpid}, {nullptr, nullptr}};
  return make_native_module("os", k_defs);
}

}  // namespace ftpy::interp
