// frame_builtins.h: the builtins that read or run frames of the VM, and so cannot live with
// their types in objects/: super() without arguments (the running frame's first argument and
// its __class__ cell) and __build_class__ (runs a class body). Both run on the calling
// thread, on its own frames; neither keeps state.
#pragma once
#include "interp/objects/object.h"

namespace ftpy::interp {

// Installs super's constructor (the two-argument form stays in objects/class.cpp, reached
// through make_super). Once per process, at start-up.
bool init_frame_builtins();
// Adds __build_class__ to an interpreter's `builtins`. -1 with an exception set.
int add_frame_builtins(Value builtins);

}  // namespace ftpy::interp
