#pragma once
// `earshot demo`: synthesises its own material (espeak-ng speech over a drum groove) and renders it
// for a normal, an N3 and an N6 listener, with a text summary of levels.
#include <filesystem>
#include <string>

namespace earshot::cli {

// Returns the summary text; throws CliError. Writes into `directory` (created if needed).
std::string run_demo(const std::filesystem::path& directory);

}  // namespace earshot::cli
