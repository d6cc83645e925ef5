// interp_init.h: start-up and shutdown of the language on the main thread.
// interp_start runs once per process on the main thread: it creates the runtime's main
// interpreter and thread state, attaches it, builds the types, the builtins and sys.modules,
// and returns the VM's per-thread state. Nothing here may run concurrently with itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "interp/vm_state.h"

namespace ftpy::interp {

// Brings the language up on the calling (main) thread; null on failure (message on stderr).
VmThread* interp_start();

// Runs `text` as the __main__ module named `filename`. Returns the process exit status:
// 0, 1 after an uncaught exception or a SyntaxError (report on stderr), or SystemExit's code.
int run_main_source(std::string filename, std::string text);

// Flushes the standard streams and detaches the main thread (objects are not all freed).
void interp_finish();

}  // namespace ftpy::interp
