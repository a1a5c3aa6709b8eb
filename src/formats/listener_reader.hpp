#pragma once
// The one way in for a listener as a user gives it, to every front end (CLI, C API, Python,
// plugins): a listener spec in the grammar of formats/listener_spec_parser.hpp ("N3",
// "left=ci:nucleus-ace,right=N2", "age:70:female"), or the path of a .toml profile
// (formats/profile_file.hpp). The listener is validated; errors name their fields, and a profile's
// are described with describe(path, errors) from formats/file_errors.hpp.
#include <string_view>

#include "model/listener.hpp"

namespace earshot {

Result<Listener> read_listener(std::string_view spec);

}  // namespace earshot
