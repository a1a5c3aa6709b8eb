#include "apps/cli/text_format.hpp"

#include <algorithm>
#include <cctype>

namespace earshot::cli {

std::string lowercase_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace earshot::cli
