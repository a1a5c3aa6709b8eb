#pragma once
// Text and binary outputs (reports, electrodogram CSV and PNG) are written to a temporary file
// beside the target and renamed into place, so a failure never leaves a partial file behind.
#include <filesystem>
#include <string>

namespace earshot::cli {

// Throws CliError(kExitOutput) if it cannot write or rename.
void write_atomically(const std::filesystem::path& target, const std::string& content);

}  // namespace earshot::cli
