#pragma once
// Listener profiles in TOML (see docs/profiles.md). One table per ear, [left] and [right], or one
// [both] table; each holds a `preset` (any listener spec for one ear) or an audiogram
// (`audiogram_hz` with `audiogram_db_hl`), and optionally `air_bone_gap_db` at the audiogram's
// frequencies (or at `air_bone_gap_hz`), and an [EAR.implant] map (formats/implant_profile.hpp).
#include <filesystem>
#include <string_view>

#include "model/listener.hpp"

namespace earshot {

// A listener argument that names a profile file rather than a listener spec.
bool looks_like_profile_path(std::string_view listener_arg);

// Every problem at once, fields named inside the file ("left.audiogram_db_hl[2]"); a file that is
// missing or not TOML is one error about the whole file (see formats/file_errors.hpp).
Result<Listener> read_listener_profile(const std::filesystem::path& path);

}  // namespace earshot
