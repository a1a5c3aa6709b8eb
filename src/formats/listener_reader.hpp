#pragma once
// The one way in for a listener as a user gives it, to every front end (CLI, C API, Python,
// plugins): a listener spec in the grammar of formats/listener_spec_parser.hpp ("N3",
// "left=ci:nucleus-ace,right=N2", "age:70:female"), the path of a .toml profile
// (formats/profile_file.hpp), or an entry of a Clarity/Cadenza listener file as FILE.json#ID
// (formats/clarity_listener.hpp). The listener is validated; errors name their fields, and a
// file's are described with describe(path, errors) from formats/file_errors.hpp.
#include <filesystem>
#include <optional>
#include <string_view>

#include "model/listener.hpp"

namespace earshot {

Result<Listener> read_listener(std::string_view spec);

// The file a listener argument reads (a profile .toml, or the FILE of FILE.json#ID), if it names
// one: front ends name it in messages and count it among a job's inputs.
std::optional<std::filesystem::path> listener_file(std::string_view spec);

}  // namespace earshot
