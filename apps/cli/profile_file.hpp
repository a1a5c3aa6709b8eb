#pragma once
// Listener profiles in TOML (see docs/profiles.md). One table per ear, [left] and [right], or one
// [both] table; each holds a `preset` (any listener spec for one ear) or an audiogram
// (`audiogram_hz` with `audiogram_db_hl`), and optionally `air_bone_gap_db` at the audiogram's
// frequencies (or at `air_bone_gap_hz`).
#include <filesystem>
#include <string>

#include "model/listener.hpp"

namespace earshot::cli {

bool looks_like_profile_path(const std::string& listener_arg);

// Throws CliError(kExitUsage) with every problem on one line, fields named "FILE: left.audiogram_db_hl[2]".
Listener load_listener_profile(const std::filesystem::path& path);

// A listener from a --listener argument: a profile path or a listener spec.
Listener listener_from_argument(const std::string& argument);

}  // namespace earshot::cli
