// errors_inl.h: the formatting half of raise_fmt (object.h), kept apart to keep fmt's
// templates out of the object model's declarations.
#pragma once
#include <fmt/format.h>

namespace ftpy::interp {

// Formatting allocates: out of memory, the error raised is MemoryError (never a C++
// exception, so VM code may raise_fmt anywhere).
template <class... A>
Value raise_fmt(TypeObject* type, std::string_view f, A&&... args) {
  return native_guard(
      [&] { return raise(type, fmt::vformat(f, fmt::make_format_args(args...))); });
}

}  // namespace ftpy::interp
