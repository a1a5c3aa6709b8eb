#pragma once
// Scene files in TOML (docs/scenes.md), the same family as listener profiles: top-level settings,
// [[input]] files mixed onto the timeline, [[keyframe]] listener states, and [[tinnitus]],
// [[masker]] and [[implant_character]] layers. Reading collects every problem at once.
#include <filesystem>
#include <optional>
#include <vector>

#include "scene/scene_spec.hpp"

namespace earshot {

struct SceneInput {
  std::filesystem::path file;  // resolved against the scene file's folder
  double gain_db = 0.0;
  double start_s = 0.0;        // where it starts on the timeline
};

struct SceneFile {
  std::filesystem::path path;
  SceneSpec spec;  // rate, duration and calibration are set from the inputs (scene/scene_inputs.hpp)
  std::vector<SceneInput> inputs;
  std::optional<double> level_db_spl;        // the input mix's active speech level (P.56)
  std::optional<double> calibration_db_spl;  // or a fixed calibration
  std::optional<double> duration_s;          // or the end of the last input
  std::vector<std::filesystem::path> profiles;  // listener files the keyframes name, profiles and Clarity files (inputs too)
};

// Every problem at once, fields named inside the file ("keyframe[2].listener: at 30 s: ...;
// tinnitus[0].ear: ..."); a file that is missing or not TOML is one error about the whole file
// (formats/file_errors.hpp: describe(path, errors) gives the line a user reads).
Result<SceneFile> read_scene_file(const std::filesystem::path& path);

}  // namespace earshot
