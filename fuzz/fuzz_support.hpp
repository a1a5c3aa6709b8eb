#pragma once
// Shared by the fuzz targets: the readers under test take a file path (as the CLI gives them), so
// each input is written to one scratch file per process first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace earshot::fuzz {

inline std::filesystem::path scratch_file(const char* extension, const std::uint8_t* data, std::size_t size) {
  const auto path = std::filesystem::temp_directory_path() / ("earshot-fuzz-" + std::to_string(::getpid()) + extension);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace earshot::fuzz
