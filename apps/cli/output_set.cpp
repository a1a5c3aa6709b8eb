#include "apps/cli/output_set.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <csignal>
#include <cstring>
#include <mutex>
#include <set>
#include <system_error>

#include "apps/cli/cli_error.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

// The temporaries a signal handler removes: fixed storage (no allocation in the handler), a slot
// in use while its flag is set. unlink() and raise() are async-signal-safe.
constexpr int kSlots = 256;
constexpr std::size_t kPathBytes = 4096;
char g_paths[kSlots][kPathBytes];
volatile std::sig_atomic_t g_used[kSlots];

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i]) ::unlink(g_paths[i]);
  }
  for (int i = 0; i < kSlots; ++i) {  // scratch folders, once the files in them are gone
    if (g_used[i]) ::rmdir(g_paths[i]);
  }
  ::raise(signal_number);  // SA_RESETHAND: the default action now (terminate, or a core dump)
}

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE}) {
      struct sigaction old {};
      ::sigaction(s, nullptr, &old);
      if (old.sa_handler == SIG_IGN) continue;  // e.g. started under nohup: keep ignoring
      ::sigaction(s, &action, nullptr);
    }
  });
}

// Outputs are made from several threads at once (`earshot batch --jobs N`, apps/cli/batch_job.hpp):
// finding a free slot and reading the umask (which can only be read by setting it) are done under
// one lock. The signal handler takes no lock: it reads only slots whose flag is set, and a flag is
// set after its path is written.
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

mode_t current_umask() {
  std::lock_guard lock(registry_mutex());
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

int register_temporary(const fs::path& temp) {
  const std::string text = temp.string();
  if (text.size() >= kPathBytes) return -1;
  std::lock_guard lock(registry_mutex());
  for (int i = 0; i < kSlots; ++i) {
    if (!g_used[i]) {
      std::memcpy(g_paths[i], text.c_str(), text.size() + 1);
      g_used[i] = 1;
      return i;
    }
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0) g_used[slot] = 0;
}

fs::path folder_of(const fs::path& target) { return target.has_parent_path() ? target.parent_path() : fs::path("."); }

// The same file: the same inode where both exist, else the same absolute, normalised path.
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca == cb;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

void sync_folders(const std::set<std::string>& folders) {
  for (const auto& folder : folders) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
}

}  // namespace

OutputSet::OutputSet() { install_handlers(); }

OutputSet::~OutputSet() {
  for (auto& e : entries_) {
    if (!e.renamed) ::unlink(e.temp.c_str());
    unregister_temporary(e.slot);
  }
  for (auto& [folder, slot] : scratch_) {
    std::error_code ec;
    fs::remove_all(folder, ec);
    unregister_temporary(slot);
  }
}

fs::path OutputSet::scratch_folder(const fs::path& near) {
  std::string pattern = (folder_of(near) / ".earshot-scratch-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw CliError(kExitOutput, "cannot make a working folder beside " + quoted(near) + ": " + std::strerror(errno));
  }
  scratch_.emplace_back(pattern, register_temporary(pattern));
  return pattern;
}

void OutputSet::adopt(const fs::path& target, const fs::path& finished_file) {
  claim(target);
  Entry e;
  e.target = target;
  e.temp = finished_file;
  e.slot = register_temporary(e.temp);
  e.finished = true;
  entries_.push_back(e);
}

void OutputSet::add_input(const fs::path& input) {
  if (!input.empty()) inputs_.push_back(input);
}

void OutputSet::check(const fs::path& target) const {
  const fs::path dir = folder_of(target);
  std::error_code ec;
  const fs::file_status dir_status = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    throw CliError(kExitOutput, "cannot reach the output folder " + quoted(dir) + ": " + ec.message());
  }
  if (!fs::is_directory(dir_status)) throw CliError(kExitOutput, "output directory " + quoted(dir) + " does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw CliError(kExitOutput, "cannot write in the output folder " + quoted(dir) + ": " + std::strerror(errno));
  }
  if (!target.has_filename()) throw CliError(kExitOutput, "output " + quoted(target) + " names a folder, not a file");
  if (target.filename().string().size() > 255) {
    throw CliError(kExitOutput, "output " + quoted(target) + ": its name is longer than 255 bytes");
  }
  const fs::file_status status = fs::symlink_status(target, ec);
  if (fs::exists(status)) {
    if (fs::is_symlink(status)) {
      throw CliError(kExitOutput, "output " + quoted(target) +
                                      " is a symbolic link: earshot writes regular files only, and neither replaces nor follows a link");
    }
    if (fs::is_directory(status)) throw CliError(kExitOutput, "output " + quoted(target) + " is a directory");
    if (!fs::is_regular_file(status)) {
      throw CliError(kExitOutput, "output " + quoted(target) + " is a FIFO, device or socket: earshot writes regular files only");
    }
  }
  check_against_others(target);
}

void OutputSet::check_against_others(const fs::path& target) const {
  for (const auto& in : inputs_) {
    if (same_file(target, in)) {
      throw CliError(kExitOutput, "output " + quoted(target) + " is the input file " + quoted(in) + ": choose another name");
    }
  }
  for (const auto& other : claimed_) {
    if (same_file(target, other)) {
      throw CliError(kExitOutput, "output " + quoted(target) + " is named twice (also as " + quoted(other) + "): choose another name");
    }
  }
}

void OutputSet::claim(const fs::path& target) {
  check(target);
  claimed_.push_back(target);
}

fs::path OutputSet::reserve(const fs::path& target) {
  if (std::find(claimed_.begin(), claimed_.end(), target) == claimed_.end()) claim(target);
  // ".NAME.earshot-XXXXXX": NAME cut to 100 bytes, so the temporary's name fits in 127.
  std::string name = target.filename().string().substr(0, 100);
  std::string pattern = (folder_of(target) / ("." + name + ".earshot-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw CliError(kExitOutput, "cannot create a file beside " + quoted(target) + ": " + std::strerror(errno));
  Entry e;
  e.target = target;
  e.temp = pattern;
  e.slot = register_temporary(e.temp);
  entries_.push_back(e);  // from here the destructor removes it
  // mkstemp makes the file 0600; an output gets the mode any new file gets (0666 less the umask).
  const mode_t mask = current_umask();
  const bool mode_ok = ::fchmod(fd, 0666 & ~mask) == 0;
  const int mode_errno = errno;
  ::close(fd);
  if (!mode_ok) throw CliError(kExitOutput, "cannot write " + quoted(target) + ": " + std::strerror(mode_errno));
  return e.temp;
}

void OutputSet::finished(const fs::path& target) {
  for (auto& e : entries_) {
    if (e.target == target) e.finished = true;
  }
}

void OutputSet::write(const fs::path& target, const std::string& content) {
  const fs::path temp = reserve(target);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  auto fail = [&](const char* what) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    throw CliError(kExitOutput, std::string(what) + " " + quoted(target) + " failed: " + std::strerror(err));
  };
  if (fd < 0) fail("opening");
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t put = ::write(fd, data, left);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) fail("writing");
    data += put;
    left -= static_cast<std::size_t>(put);
  }
  if (::fsync(fd) != 0) fail("writing");
  if (::close(fd) != 0) {
    const int err = errno;
    throw CliError(kExitOutput, "closing " + quoted(target) + " failed: " + std::strerror(err));
  }
  finished(target);
}

void OutputSet::commit() {
  for (const auto& e : entries_) {
    if (!e.finished) throw CliError(kExitInternal, "output " + quoted(e.target) + " was not finished: nothing was written");
  }
  // SIGINT, SIGTERM and SIGHUP wait until the set is committed or rolled back: a signal between
  // two renames would otherwise leave some outputs new and some old.
  sigset_t held, previous;
  sigemptyset(&held);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held, s);
  ::sigprocmask(SIG_BLOCK, &held, &previous);
  struct Unblock {
    sigset_t mask;
    ~Unblock() { ::sigprocmask(SIG_SETMASK, &mask, nullptr); }
  } unblock{previous};

  // Each file an output replaces is kept aside (a hard link beside it, or a copy where the file
  // system has no links) until every rename has succeeded, so that a failed rename can put back
  // the outputs already renamed: all outputs are new, or all are as they were.
  std::vector<fs::path> backups(entries_.size());
  auto remove_backups = [&] {
    for (const auto& b : backups) {
      if (!b.empty()) ::unlink(b.c_str());
    }
  };
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(e.target, ec))) continue;  // nothing to keep (or not a file: rename fails below)
    const fs::path backup = e.temp.string() + ".old";  // unique: its temporary's name is
    if (::link(e.target.c_str(), backup.c_str()) != 0 && !fs::copy_file(e.target, backup, ec)) {
      remove_backups();
      throw CliError(kExitOutput, "cannot keep the old " + quoted(e.target) + " aside while replacing it: " +
                                      (ec ? ec.message() : std::string(std::strerror(errno))) + "; nothing was written");
    }
    backups[i] = backup;
  }
  std::set<std::string> folders;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    if (::rename(e.temp.c_str(), e.target.c_str()) != 0) {
      const int err = errno;
      // Undo the renames already made: the old file back, or no file where there was none.
      std::string lost;
      for (std::size_t j = 0; j < i; ++j) {
        Entry& done = entries_[j];
        if (backups[j].empty()) {
          ::unlink(done.target.c_str());
        } else if (::rename(backups[j].c_str(), done.target.c_str()) == 0) {
          backups[j].clear();
        } else {
          lost += "; the old " + quoted(done.target) + " is kept as " + quoted(backups[j]);
          backups[j].clear();  // (not removed: it is the only copy)
        }
        done.renamed = false;  // (its temporary is gone: the destructor's unlink finds nothing)
      }
      remove_backups();
      for (std::size_t j = 0; j < i; ++j) folders.insert(folder_of(entries_[j].target).string());
      sync_folders(folders);
      throw CliError(kExitOutput, "cannot move the finished file to " + quoted(e.target) + ": " + std::strerror(err) +
                                      "; nothing was written" + lost);
    }
    e.renamed = true;
    unregister_temporary(e.slot);
    e.slot = -1;
    folders.insert(folder_of(e.target).string());
  }
  // The files were fsynced before they were finished; the renames survive a crash only once their
  // folders are synced too. Then the old files go.
  sync_folders(folders);
  remove_backups();
}

}  // namespace earshot::cli
