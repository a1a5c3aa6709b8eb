#include "apps/cli/library_errors.hpp"

#include "apps/cli/cli_error.hpp"
#include "formats/aid_spec_parser.hpp"
#include "formats/file_errors.hpp"
#include "formats/listener_reader.hpp"

namespace earshot::cli {

Listener listener_from_argument(const std::string& argument) {
  auto listener = read_listener(argument);
  if (listener) return std::move(listener).value();
  const auto file = listener_file(argument);  // a profile or a Clarity file: its errors name it
  throw CliError(kExitUsage, file ? describe(*file, listener.errors()) : describe(listener.errors()));
}

Listener listener_with_aid(Listener listener, const std::string& aid_argument) {
  const auto aids = parse_aid_spec(aid_argument);
  if (!aids) throw CliError(kExitUsage, "--" + describe(aids.errors()));
  auto aided = with_aids(std::move(listener), aids.value());
  if (!aided) throw CliError(kExitUsage, describe(aided.errors()));
  return std::move(aided).value();
}

void check_level_flags(const CalibrationRequest& request, std::optional<double> noise_level_db_spl) {
  SpecErrors bad = validate(request);
  if (noise_level_db_spl) {
    for (auto& e : validate_level_db_spl(*noise_level_db_spl, "noise_level_db_spl")) bad.push_back(std::move(e));
  }
  if (bad.empty()) return;
  const SpecError& e = bad.front();
  const std::string flag = e.field == "calibration_db_spl" ? "--calibration" : e.field == "noise_level_db_spl" ? "--noise-level" : "--level";
  throw CliError(kExitUsage, flag + " " + e.message);
}

SceneFile load_scene_file(const std::filesystem::path& path) {
  auto scene = read_scene_file(path);
  if (!scene) throw CliError(kExitUsage, describe(path, scene.errors()));
  return std::move(scene).value();
}

void throw_input_error(const std::filesystem::path& path, const SpecErrors& errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e.message;
  throw CliError(kExitInput, "input '" + path.string() + "' " + message);
}

}  // namespace earshot::cli
