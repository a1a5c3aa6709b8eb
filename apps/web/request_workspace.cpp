#include "apps/web/request_workspace.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace earshot::web {
namespace fs = std::filesystem;

ServerTempRoot::ServerTempRoot() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/earshot-serve-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a private temporary folder in " + fs::path(pattern).parent_path().string());
  path_ = pattern;
}

ServerTempRoot::~ServerTempRoot() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

RequestWorkspace::RequestWorkspace(ServerTempRoot& root) : dir_(root.next_folder_name()) {
  if (::mkdir(dir_.c_str(), 0700) != 0) throw std::runtime_error("cannot make a request folder in the server's temporary folder");
}

RequestWorkspace::~RequestWorkspace() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

fs::path RequestWorkspace::write(const char* name, const std::string& bytes) const {
  const fs::path path = file(name);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write the upload to the server's temporary folder (disk full?)");
  return path;
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read back a result from the server's temporary folder");
  return s.str();
}

}  // namespace earshot::web
