// The names nearest a mistyped one, for "did you mean" in messages: a listener id in a Clarity
// file, a subcommand on the command line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

// Levenshtein distance: the fewest single-character insertions, deletions and substitutions that
// turn a into b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `count` candidates, nearest first (ties in the candidates' order); with `within`, only
// those at most that many edits away.
std::vector<std::string> nearest_names(std::string_view name, const std::vector<std::string>& candidates, std::size_t count,
                                       std::size_t within = static_cast<std::size_t>(-1));

}  // namespace earshot
