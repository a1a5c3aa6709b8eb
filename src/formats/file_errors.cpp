#include "formats/file_errors.hpp"

namespace earshot {

SpecError file_error(std::string message) { return {"", std::move(message)}; }

std::string describe(const std::filesystem::path& file, const SpecErrors& errors) {
  if (errors.size() == 1 && errors.front().field.empty()) return errors.front().message;
  return file.string() + ": " + describe(errors);
}

}  // namespace earshot
