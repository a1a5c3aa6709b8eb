#pragma once
// Numbers as users type them in listener specs and audiograms: plain decimal only. std::strtod
// alone also reads hexadecimal ("0x100" is 256), "inf", "nan" and leading spaces; none of those is
// a level, a frequency or an age a user meant, so they are refused here, once, for every reader.
#include <string_view>

namespace earshot {

// [+|-]digits[.digits][(e|E)[+|-]digits] (at least one digit before the exponent), the whole of
// `text`, finite. Sets `out` and returns true, or returns false and leaves `out` alone.
bool parse_decimal(std::string_view text, double& out);

}  // namespace earshot
