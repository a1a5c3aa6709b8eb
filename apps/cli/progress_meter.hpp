// Progress of a long job on a terminal: "render: 42% (0:13 left)", redrawn in place on stderr at
// most a few times a second, and wiped when the job ends. Silent when stderr is not a terminal
// (a log, a pipe, a batch system) or with --quiet, so scripts see only the result line.
#pragma once

#include <chrono>
#include <string>

namespace earshot::cli {

class ProgressMeter {
 public:
  // Shown only if `wanted` (not --quiet) and stderr is a terminal.
  ProgressMeter(std::string label, bool wanted);
  ~ProgressMeter();  // wipes the line
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  bool shown() const { return shown_; }
  // fraction done, 0 to 1; the time left is extrapolated from the rate so far.
  void update(double fraction);
  void finish();

 private:
  std::string label_;
  bool shown_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// "1:05" or "1:02:05"
std::string format_duration(double seconds);

}  // namespace earshot::cli
