#include "apps/cli/electrodogram_job.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/output_file.hpp"
#include "report/electrodogram_chart.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/text_format.hpp"
#include "implant/electrodogram.hpp"
#include "hearing_loss/hearing_loss_design.hpp"
#include "engine/calibration.hpp"
#include "engine/electrodogram_render.hpp"
#include "engine/input_check.hpp"

namespace earshot::cli {
ElectrodogramSummary write_electrodogram(const ElectrodogramRequest& req) {
  if (lowercase_extension(req.csv) != ".csv") throw CliError(kExitOutput, "electrodogram '" + req.csv.string() + "' must end in .csv");
  std::optional<ChartFormat> picture_format;
  if (req.picture) {
    picture_format = chart_format_for_extension(lowercase_extension(*req.picture));
    if (!picture_format) throw CliError(kExitOutput, "picture '" + req.picture->string() + "' must end in .png or .svg");
  }
  if (req.width_px < kMinElectrodogramWidthPx || req.width_px > kMaxElectrodogramWidthPx) {
    throw CliError(kExitUsage, "--width " + std::to_string(req.width_px) + " px is outside " + std::to_string(kMinElectrodogramWidthPx) + "..." +
                                   std::to_string(kMaxElectrodogramWidthPx));
  }
  if (req.level_db_spl && req.calibration_db_spl) throw CliError(kExitUsage, "give --level or --calibration, not both");
  check_level_flags(CalibrationRequest{req.level_db_spl, req.calibration_db_spl});  // the library's rule, before any file is read
  // Both files are committed together (apps/cli/output_set.hpp): a picture that cannot be written
  // leaves no CSV either.
  OutputSet outputs;
  outputs.add_input(req.input);
  if (req.listener_file) outputs.add_input(*req.listener_file);
  outputs.claim(req.csv);
  if (req.picture) outputs.claim(*req.picture);
  if (req.ear != "" && req.ear != "left" && req.ear != "right") throw CliError(kExitUsage, "--ear '" + req.ear + "' is not known: use left or right");
  if (!req.listener.left.implant && !req.listener.right.implant) {
    throw CliError(kExitUsage, "the listener has no cochlear implant: use ci:..., eas:..., vocoder:... or a map in a .toml profile");
  }
  const AudioData audio = read_audio(req.input);
  const double fs = audio.info.sample_rate_hz;
  for (const auto& e : check_input_format(fs, static_cast<int>(audio.channels.size()))) {
    if (e.field == "sample_rate_hz") {
      throw CliError(kExitInput, "input sample rate " + fmt("%g", fs) + " Hz is outside " + fmt("%g", kMinSampleRateHz) + "..." +
                                     fmt("%g", kMaxSampleRateHz) + " Hz");
    }
    throw CliError(kExitInput, "input has " + std::to_string(audio.channels.size()) + " channels: give mono or stereo (left, right)");
  }
  // The ear, its channel, the calibration and the implant's design: the library's rules
  // (engine/electrodogram_render.hpp), shared with the other front ends. (read_audio has checked
  // every sample.)
  auto rendered = render_electrodogram(audio.channels, fs, req.listener, req.ear, {req.level_db_spl, req.calibration_db_spl});
  if (!rendered) {
    const SpecError& e = rendered.errors().front();
    if (e.field == "ear" || e.field.starts_with("listener")) throw CliError(kExitUsage, e.message);
    if (e.field == "input") {
      throw CliError(kExitInput, "input '" + req.input.string() + "' has no active speech to measure (ITU-T P.56); use --calibration DB");
    }
    throw CliError(kExitUsage, describe(rendered.errors()));
  }
  const std::string& ear = rendered.value().ear;
  const EarProfile& profile = ear == "left" ? req.listener.left : req.listener.right;
  const auto& plan = rendered.value().plan;
  const auto& pulses = rendered.value().pulses;
  const auto& x = audio.channels.front();

  std::string csv = "time_s,electrode,current_ua\n";
  csv.reserve(pulses.size() * 24 + 32);
  char line[64];
  for (const auto& p : pulses) {
    std::snprintf(line, sizeof line, "%.6f,%d,%.1f\n", p.time_s, p.number, p.current_ua);
    csv += line;
  }
  const double seconds = static_cast<double>(x.size()) / fs;
  std::string picture;
  if (req.picture) picture = electrodogram_chart(*plan, pulses, seconds, *picture_format, {.width_px = req.width_px, .ear = ear});
  outputs.write(req.csv, csv);
  if (req.picture) outputs.write(*req.picture, picture);
  outputs.commit();

  ElectrodogramSummary s;
  s.ear = ear;
  s.device = profile.implant->device;
  s.pulses = pulses.size();
  s.seconds = seconds;
  std::set<int> fired;
  for (const auto& p : pulses) fired.insert(p.number);
  s.electrodes_fired = static_cast<int>(fired.size());
  s.electrodes_active = static_cast<int>(plan->electrodes.size());
  return s;
}

}  // namespace earshot::cli
