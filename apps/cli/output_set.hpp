#pragma once
// All the files one command writes, committed together (README, "Outputs"):
//  - every output is checked before any work: its folder exists and can be entered, it is not a
//    folder, symbolic link, FIFO, device or socket (earshot writes regular files only, and refuses
//    the rest rather than replace or write through them), it is not one of the command's inputs
//    (audio, noise, scene, profile, the inputs a scene names) and not another of its outputs;
//  - each is written to its own temporary file beside its target (".NAME.earshot-XXXXXX", made with
//    mkstemp, so two outputs or two runs never share one; at most 127 bytes, so any target name a
//    folder allows has a temporary that fits), then flushed, fsynced and closed, each step checked;
//  - commit() renames them all only when every one was finished, then fsyncs their folders; if any
//    failed, none is renamed, and the destructor removes every temporary; if a rename fails after
//    others succeeded, those are undone: each file an output replaces is kept aside (hard-linked
//    beside it) until all renames have succeeded, and put back on failure, so that the outputs are
//    all new or all as they were; SIGINT, SIGTERM and SIGHUP are held off during the renames;
//  - SIGINT, SIGTERM, SIGHUP (and a crash: SIGSEGV, SIGBUS, SIGABRT, SIGFPE) remove the
//    temporaries of every live set before the signal takes its usual effect.
// Errors are CliError(kExitOutput), one line naming the file.
#include <filesystem>
#include <string>
#include <vector>

namespace earshot::cli {

class OutputSet {
 public:
  OutputSet();
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // A file the command reads; no output may be it. Paths that do not exist are fine (the reader
  // reports them).
  void add_input(const std::filesystem::path& input);
  // Checks `target` against the rules above, without creating anything: for a command's early
  // checks. reserve() checks again.
  void check(const std::filesystem::path& target) const;
  // check(), and `target` is from now on one of this set's outputs (the others are checked against
  // it). A command claims all its outputs before its work, so that a clash is found before it.
  void claim(const std::filesystem::path& target);
  // Claims `target` (if not yet) and creates its temporary; returns the temporary's path.
  std::filesystem::path reserve(const std::filesystem::path& target);
  // The temporary of `target` is complete: written, synced and closed by its writer.
  void finished(const std::filesystem::path& target);
  // reserve + write `content` + fsync + close + finished.
  void write(const std::filesystem::path& target, const std::string& content);
  // A folder for files a command makes on the way (the demo's inputs to its own renders), hidden
  // beside `near`'s outputs (".earshot-scratch-XXXXXX"), removed with everything in it when the set
  // goes (and by the signal handlers: files first, then the folder).
  std::filesystem::path scratch_folder(const std::filesystem::path& near);
  // A finished file in this set's scratch folder becomes the output `target` (claimed as any).
  void adopt(const std::filesystem::path& target, const std::filesystem::path& finished_file);
  // Renames every temporary onto its target; throws (renaming nothing) unless all are finished.
  void commit();

 private:
  struct Entry {
    std::filesystem::path target, temp;
    int slot = -1;  // in the signal handler's list
    bool finished = false, renamed = false;
  };
  void check_against_others(const std::filesystem::path& target) const;
  std::vector<std::filesystem::path> inputs_, claimed_;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::filesystem::path, int>> scratch_;  // folders and their signal slots
};

}  // namespace earshot::cli
