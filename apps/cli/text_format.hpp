#pragma once
// Small text helpers for the front end's messages and summaries.
#include <cstdio>
#include <filesystem>
#include <string>

namespace earshot::cli {

// One number through a printf format: fmt("%.1f", 64.98) -> "65.0".
inline std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// ".WAV" -> ".wav": file types are chosen by extension, whatever its case.
std::string lowercase_extension(const std::filesystem::path& path);

}  // namespace earshot::cli
