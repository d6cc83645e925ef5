// queue_module.h: the `queue` module (Queue, Empty, Full), Python source over threading's
// Lock and Condition, compiled on first import (queue_module.cpp).
#pragma once

#include "interp/object.h"

namespace ftpy::interp {

// Builds the `queue` module (registered as a built-in module factory); imports threading.
Value create_queue_module();

}  // namespace ftpy::interp
