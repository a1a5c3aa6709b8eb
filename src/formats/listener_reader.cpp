#include "formats/listener_reader.hpp"

#include <filesystem>

#include "formats/listener_spec_parser.hpp"
#include "formats/profile_file.hpp"

namespace earshot {

Result<Listener> read_listener(std::string_view spec) {
  if (looks_like_profile_path(spec)) return read_listener_profile(std::filesystem::path(std::string(spec)));
  auto parsed = parse_listener_spec(spec);
  if (!parsed) return parsed.errors();
  SpecErrors errors = validate(parsed.value());
  if (!errors.empty()) return errors;
  return std::move(parsed).value();
}

}  // namespace earshot
