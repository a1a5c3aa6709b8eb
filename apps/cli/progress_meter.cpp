#include "apps/cli/progress_meter.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace earshot::cli {
namespace {
constexpr double kRedrawInterval_s = 0.25;
constexpr double kFirstEstimateAfter_s = 1.0;  // the rate over the first instants is mostly start-up
}  // namespace

ProgressMeter::ProgressMeter(std::string label, bool wanted)
    : label_(std::move(label)), shown_(wanted && ::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::update(double fraction) {
  if (!shown_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && std::chrono::duration<double>(now - last_draw_).count() < kRedrawInterval_s) return;
  last_draw_ = now;
  drawn_ = true;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r\033[K" + label_ + ": " + std::to_string(static_cast<int>(std::floor(fraction * 100.0))) + "%";
  if (elapsed_s >= kFirstEstimateAfter_s && fraction > 0.0) {
    line += " (" + format_duration(elapsed_s * (1.0 - fraction) / fraction) + " left)";
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void ProgressMeter::finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::string format_duration(double seconds) {
  const long total = std::lround(std::max(seconds, 0.0));
  char text[32];
  if (total >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

}  // namespace earshot::cli
