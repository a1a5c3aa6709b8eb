#pragma once
// Where one request's upload and results live on the server's disk while it is being answered:
// a fresh folder (mode 0700) inside the server's own private temporary folder, named by a counter,
// never by anything the request says. The files in it have fixed names. The folder and everything
// in it are removed when the workspace goes out of scope, i.e. before the response is sent (the
// routes read a result into memory first), whether the request succeeded or not.
#include <atomic>
#include <filesystem>
#include <string>

namespace earshot::web {

class ServerTempRoot {
 public:
  ServerTempRoot();  // mkdtemp under $TMPDIR (or /tmp); throws std::runtime_error if it cannot
  ~ServerTempRoot();  // removes it and anything left in it
  ServerTempRoot(const ServerTempRoot&) = delete;
  ServerTempRoot& operator=(const ServerTempRoot&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path next_folder_name() { return path_ / ("request-" + std::to_string(++counter_)); }

 private:
  std::filesystem::path path_;
  std::atomic<unsigned long long> counter_{0};
};

class RequestWorkspace {
 public:
  explicit RequestWorkspace(ServerTempRoot& root);
  ~RequestWorkspace();
  RequestWorkspace(const RequestWorkspace&) = delete;
  RequestWorkspace& operator=(const RequestWorkspace&) = delete;
  // A file of this workspace; `name` is one of the routes' fixed names, never request text.
  std::filesystem::path file(const char* name) const { return dir_ / name; }
  const std::filesystem::path& dir() const { return dir_; }
  // Writes bytes (an upload) to file(name).
  std::filesystem::path write(const char* name, const std::string& bytes) const;

 private:
  std::filesystem::path dir_;
};

// The whole of a file, for a response body.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace earshot::web
