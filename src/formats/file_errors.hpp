#pragma once
// How formats' readers report a file's problems. Errors inside a file carry a field path within
// it ("left.audiogram[2].frequency_hz"); an error about the file as a whole (missing, not valid
// TOML) is the only error and has an empty field and a message that names the file itself.
#include <filesystem>
#include <string>

#include "support/spec_error.hpp"

namespace earshot {

// Errors about the file as a whole: one, with no field.
SpecError file_error(std::string message);

// One line for a user: "FILE: left.audiogram[2].frequency_hz: ...; right: ...", or the whole-file
// error's own message.
std::string describe(const std::filesystem::path& file, const SpecErrors& errors);

}  // namespace earshot
