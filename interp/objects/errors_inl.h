// errors_inl.h: the formatting half of raise_fmt (object.h), kept apart to keep fmt's
// templates out of the object model's declarations.
#pragma once
#include <fmt/format.h>

namespace ftpy::interp {

template <class... A>
Value raise_fmt(TypeObject* type, std::string_view f, A&&... args) {
  return raise(type, fmt::vformat(f, fmt::make_format_args(args...)));
}

}  // namespace ftpy::interp
