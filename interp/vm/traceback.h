// traceback.h: the frames an exception passed through, and printing an uncaught exception the
// way CPython does. A Traceback belongs to one exception object (freed with it through
// traceback_free) and is appended to only by the thread that is propagating the exception.
// Source lines for the report come from the sources registered at compile time (or the file
// on disk, as CPython's linecache does).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interp/compile/code.h"
#include "interp/objects/object.h"
#include "interp/front/source.h"

namespace ftpy::interp {

struct TracebackEntry {
  CodeObject* code;  // owned
  std::uint32_t line;
};

// Innermost entry last (the order in which the exception unwound the frames); printed in
// reverse, outermost first, as "most recent call last".
struct Traceback {
  std::vector<TracebackEntry> entries;
};

// Appends (code, line) to the traceback of `exc` (an exception instance; others are ignored).
void traceback_add(Value exc, CodeObject* code, std::uint32_t line);

// The text CPython prints for an uncaught exception: the traceback (when there is one) and
// the "Type: message" line. str() failures fall back to "<exception str() failed>".
std::string format_exception(Value exc);

// Handles an exception that reached the top level: SystemExit gives its exit status (printing
// a non-integer code to stderr), anything else prints its traceback to stderr and gives 1.
// Flushes stdout first. Takes the pending exception.
int handle_uncaught_exception();

}  // namespace ftpy::interp
