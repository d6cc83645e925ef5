// errors_inl.h: the formatting half of raise_fmt (object.h), kept apart to keep fmt's
// templates out of the object model's declarations.
#pragma once
#include <fmt/format.h>

#include <new>

namespace ftpy::interp {

// Formatting allocates: out of memory, the error raised is MemoryError (never a C++
// exception, so VM code may raise_fmt anywhere).
template <class... A>
Value raise_fmt(TypeObject* type, std::string_view f, A&&... args) {
  try {
    return raise(type, fmt::vformat(f, fmt::make_format_args(args...)));
  } catch (const std::bad_alloc&) {
    return raise_no_memory();
  }
}

}  // namespace ftpy::interp
