#include "formats/listener_reader.hpp"

#include <filesystem>

#include "formats/clarity_listener.hpp"
#include "formats/listener_spec_parser.hpp"
#include "formats/profile_file.hpp"

namespace earshot {

Result<Listener> read_listener(std::string_view spec) {
  if (looks_like_profile_path(spec)) return read_listener_profile(std::filesystem::path(std::string(spec)));
  if (auto clarity = clarity_listener_reference(spec)) return read_clarity_listener(clarity->file, clarity->id);
  auto parsed = parse_listener_spec(spec);
  if (!parsed) return parsed.errors();
  SpecErrors errors = validate(parsed.value());
  if (!errors.empty()) return errors;
  return std::move(parsed).value();
}

std::optional<std::filesystem::path> listener_file(std::string_view spec) {
  if (looks_like_profile_path(spec)) return std::filesystem::path(std::string(spec));
  if (auto clarity = clarity_listener_reference(spec)) return clarity->file;
  return std::nullopt;
}

}  // namespace earshot
