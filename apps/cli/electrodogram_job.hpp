#pragma once
// `earshot electrodogram`: the pulses an implant's sound processor delivers for a sound file, as
// CSV (time_s, electrode, current_ua; one row per pulse, electrodes by the device's numbers) and
// optionally as a PNG picture (electrodes bottom = apical to top = basal, time left to right,
// colour = current between T and C).
#include <filesystem>
#include <optional>
#include <string>

#include "implant/electrodogram.hpp"
#include "implant/implant_design.hpp"
#include "model/listener.hpp"
#include "report/png_image.hpp"

namespace earshot::cli {

struct ElectrodogramRequest {
  std::filesystem::path input, csv;
  std::optional<std::filesystem::path> png;
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

// The picture of `pulses` over `seconds` (the layout above, 10 pixels an electrode, at most 1200
// columns), also drawn in `earshot report` for an implanted ear.
RgbImage electrodogram_picture(const ImplantPlan& plan, const std::vector<ElectrodogramPulse>& pulses, double seconds);

}  // namespace earshot::cli
