#include "apps/cli/electrodogram_job.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/output_file.hpp"
#include "report/png_image.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/text_format.hpp"
#include "implant/electrodogram.hpp"
#include "hearing_loss/hearing_loss_design.hpp"
#include "engine/calibration.hpp"
#include "engine/electrodogram_render.hpp"
#include "engine/input_check.hpp"

namespace earshot::cli {
namespace {

constexpr int kRowPixels = 10;
constexpr int kMaxColumns = 1200;

}  // namespace

RgbImage electrodogram_picture(const ImplantPlan& plan, const std::vector<ElectrodogramPulse>& pulses, double seconds) {
  const int rows = static_cast<int>(plan.electrodes.size());
  RgbImage img;
  img.width = std::clamp(static_cast<int>(std::ceil(seconds * 200.0)), 1, kMaxColumns);
  img.height = rows * kRowPixels;
  // Each cell shows the strongest pulse in it, as a proportion of the electrode's T..C range.
  std::vector<double> cell(static_cast<std::size_t>(img.width) * rows, -1.0);
  for (const auto& p : pulses) {
    const int x = std::min(img.width - 1, static_cast<int>(p.time_s / seconds * img.width));
    double& c = cell[static_cast<std::size_t>(p.electrode) * img.width + x];
    c = std::max(c, plan.electrodes[p.electrode].proportion(p.current_ua));
  }
  img.rgb.assign(static_cast<std::size_t>(img.width) * img.height * 3, 0);
  for (int e = 0; e < rows; ++e) {
    for (int x = 0; x < img.width; ++x) {
      const double c = cell[static_cast<std::size_t>(e) * img.width + x];
      std::uint8_t rgb[3] = {12, 12, 16};
      if (c >= 0.0) ramp_colour(0.2 + 0.8 * c, rgb);
      for (int dy = 0; dy < kRowPixels; ++dy) {
        const int y = (rows - 1 - e) * kRowPixels + dy;  // basal electrodes at the top
        const bool gap = dy == kRowPixels - 1;            // a dark line between electrodes
        std::uint8_t* px = &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3];
        for (int k = 0; k < 3; ++k) px[k] = gap ? 0 : rgb[k];
      }
    }
  }
  return img;
}

ElectrodogramSummary write_electrodogram(const ElectrodogramRequest& req) {
  if (lowercase_extension(req.csv) != ".csv") throw CliError(kExitOutput, "electrodogram '" + req.csv.string() + "' must end in .csv");
  if (req.png && lowercase_extension(*req.png) != ".png") throw CliError(kExitOutput, "picture '" + req.png->string() + "' must end in .png");
  if (req.level_db_spl && req.calibration_db_spl) throw CliError(kExitUsage, "give --level or --calibration, not both");
  check_level_flags(CalibrationRequest{req.level_db_spl, req.calibration_db_spl});  // the library's rule, before any file is read
  // Both files are committed together (apps/cli/output_set.hpp): a PNG that cannot be written
  // leaves no CSV either.
  OutputSet outputs;
  outputs.add_input(req.input);
  if (req.listener_file) outputs.add_input(*req.listener_file);
  outputs.claim(req.csv);
  if (req.png) outputs.claim(*req.png);
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
  std::string png;
  if (req.png) {
    const auto bytes = encode_png(electrodogram_picture(*plan, pulses, seconds));
    png.assign(bytes.begin(), bytes.end());
  }
  outputs.write(req.csv, csv);
  if (req.png) outputs.write(*req.png, png);
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
