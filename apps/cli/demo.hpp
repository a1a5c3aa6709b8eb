#pragma once
// `earshot demo`: synthesises its own material (espeak-ng speech over a drum groove) and renders it
// for a normal, an N3 and an N6 listener, with a text summary of levels.
#include <filesystem>
#include <string>

namespace earshot::cli {

// The film's arc (the built-in scene arc.toml) without its [[input]] and level: its keyframes,
// tinnitus and implant character, which end at kArcSeconds. Scene TOML (docs/scenes.md).
extern const char* const kArcSceneLayers;
inline constexpr double kArcSeconds = 62.0;

// Returns the summary text; throws CliError. Writes into `directory` (created if needed).
std::string run_demo(const std::filesystem::path& directory);

}  // namespace earshot::cli
