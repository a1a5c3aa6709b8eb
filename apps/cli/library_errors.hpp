#pragma once
// The library's results as the CLI reports them: its errors become one-line CliErrors with the
// documented exit codes (README, "Exit codes"), worded with the CLI's flags and file names.
#include <filesystem>
#include <optional>
#include <string>

#include "engine/calibration.hpp"
#include "formats/scene_file.hpp"
#include "model/listener.hpp"
#include "support/spec_error.hpp"

namespace earshot::cli {

// A --listener argument: a listener spec or a profile .toml (formats/listener_reader.hpp). kExitUsage.
Listener listener_from_argument(const std::string& argument);

// The listener with the hearing aids of an --aid argument on (formats/aid_spec_parser.hpp):
// "--aid: 'nal-x' is not a known prescription: ...", "right.aid: this ear hears through its
// implant only ...". kExitUsage.
Listener listener_with_aid(Listener listener, const std::string& aid_argument);

// --level / --calibration (and a --noise-level, if given) against the library's calibration rule
// (engine/calibration.hpp), before any file is read: "--calibration 1e+09 dB SPL is outside
// 0...160 dB SPL". kExitUsage.
void check_level_flags(const CalibrationRequest& request, std::optional<double> noise_level_db_spl = std::nullopt);

// A scene file (formats/scene_file.hpp). kExitUsage.
SceneFile load_scene_file(const std::filesystem::path& path);

// A sample or stream error of engine/input_check.hpp about the file `path`: "input 'PATH' has a
// NaN ...". kExitInput.
[[noreturn]] void throw_input_error(const std::filesystem::path& path, const SpecErrors& errors);

}  // namespace earshot::cli
