#pragma once
// Reading a TOML file (listener profile, scene) with limits checked on the text before any parser
// sees it. toml++ parses dotted keys and nested arrays/inline tables recursively: a 100 KB file of
// `a.a.a...a = 1` (50,000 levels) overflows the stack. So a file is refused, with one error about
// the whole file that names the limit, when
//  - it is larger than kMaxTomlFileBytes (read before parsing: no file is read whole beyond it);
//  - a key (dotted key or [table.header]) has more than kMaxTomlKeyDepth parts;
//  - arrays and inline tables nest deeper than kMaxTomlNesting.
// Profiles and scenes use a handful of levels ([left.implant], electrodes arrays), far inside these.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "support/spec_error.hpp"

namespace earshot {

inline constexpr std::size_t kMaxTomlFileBytes = 1 << 20;  // 1 MiB
inline constexpr int kMaxTomlKeyDepth = 16;
inline constexpr int kMaxTomlNesting = 16;

// The text's nesting, without parsing it: an empty list, or one error (field "") naming the line
// and the limit. `name` is how the message names the file.
SpecErrors check_toml_limits(std::string_view text, const std::string& name);

// The file at `path`, `what` names it in messages ("listener profile", "scene file"): missing, too
// large, too deeply nested or not valid TOML is one error about the whole file.
Result<toml::table> read_toml_document(const std::filesystem::path& path, const std::string& what);

}  // namespace earshot
