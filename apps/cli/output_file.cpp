#include "apps/cli/output_file.hpp"

#include <unistd.h>

#include <fstream>

#include "apps/cli/cli_error.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

void write_atomically(const fs::path& target, const std::string& content) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::path temp = dir / ("." + target.filename().string() + ".earshot-" + std::to_string(::getpid()) + ".tmp");
  {
    std::ofstream f(temp, std::ios::binary);
    f << content;
    if (!f) {
      std::error_code ec;
      fs::remove(temp, ec);
      throw CliError(kExitOutput, "cannot write '" + target.string() + "'");
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw CliError(kExitOutput, "cannot move the output to '" + target.string() + "': " + ec.message());
  }
}


}  // namespace earshot::cli
