#pragma once
// Text placed inside HTML or SVG (XML) markup, as content or as a quoted attribute's value: the
// characters markup gives a meaning (& < > ") written as entities.
#include <string>
#include <string_view>

namespace earshot {

std::string escape_markup(std::string_view text);

}  // namespace earshot
