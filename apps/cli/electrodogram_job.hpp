#pragma once
// `earshot electrodogram`: the pulses an implant's sound processor delivers for a sound file, as
// CSV (time_s, electrode, current_ua; one row per pulse, electrodes by the device's numbers) and
// optionally as a picture, PNG or SVG by the file's extension (report/electrodogram_chart.hpp:
// time in s left to right, electrodes apical at the bottom to basal at the top with their bands,
// each pulse's current in µA as colour with a colour bar, the device in the title).
#include <filesystem>
#include <optional>
#include <string>

#include "implant/electrodogram.hpp"
#include "implant/implant_design.hpp"
#include "model/listener.hpp"
#include "report/png_image.hpp"

namespace earshot::cli {

inline constexpr int kMinElectrodogramWidthPx = 300, kMaxElectrodogramWidthPx = 20000;

struct ElectrodogramRequest {
  std::filesystem::path input, csv;
  std::optional<std::filesystem::path> picture;  // .png or .svg
  int width_px = 1000;                            // the picture's width
  Listener listener;
  std::optional<std::filesystem::path> listener_file;  // the listener's profile .toml, if one was given: an input too
  std::string ear;                         // "left", "right" or "" (the first implanted ear)
  std::optional<double> level_db_spl;      // as for render
  std::optional<double> calibration_db_spl;
};

struct ElectrodogramSummary {
  std::string ear, device;
  std::size_t pulses = 0;
  double seconds = 0.0;
  int electrodes_fired = 0, electrodes_active = 0;
};

// Throws CliError; nothing is written on bad input.
ElectrodogramSummary write_electrodogram(const ElectrodogramRequest& request);

}  // namespace earshot::cli
