#pragma once
// Shared by the fuzz targets: the readers under test take a file path (as the CLI gives them), so
// each input is written to one scratch file per process first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/engine.hpp"

namespace earshot::fuzz {

inline std::filesystem::path scratch_file(const char* extension, const std::uint8_t* data, std::size_t size) {
  const auto path = std::filesystem::temp_directory_path() / ("earshot-fuzz-" + std::to_string(::getpid()) + extension);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// What a command does next with a listener that was read: design the engine for it (16 kHz,
// fixed calibration), so the design's own checks are fuzzed with every listener a reader accepts.
inline void design_engine_for(const earshot::Listener& listener) {
  earshot::EngineSpec spec;
  spec.listener = listener;
  spec.hearing.sample_rate_hz = 16000.0;
  spec.hearing.calibration_db_spl = 100.0;
  (void)earshot::design_engine(spec);
}

}  // namespace earshot::fuzz
