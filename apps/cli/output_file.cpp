#include "apps/cli/output_file.hpp"

#include "apps/cli/output_set.hpp"

namespace earshot::cli {

void write_atomically(const std::filesystem::path& target, const std::string& content) {
  OutputSet set;
  set.write(target, content);
  set.commit();
}

}  // namespace earshot::cli
