#include "engine/calibration.hpp"

namespace earshot {

const char* to_string(CalibrationMode mode) { return mode == CalibrationMode::level ? "level" : "calibration"; }

SpecErrors validate(const CalibrationRequest& r) {
  SpecErrors errors;
  if (r.level_db_spl && r.calibration_db_spl) {
    errors.push_back({"level_db_spl", "give level_db_spl or calibration_db_spl, not both"});
  }
  if (r.level_db_spl) {
    for (auto& e : validate_level_db_spl(*r.level_db_spl, "level_db_spl")) errors.push_back(std::move(e));
  }
  if (r.calibration_db_spl && !(*r.calibration_db_spl >= kMinCalibrationDbSpl && *r.calibration_db_spl <= kMaxCalibrationDbSpl)) {
    errors.push_back({"calibration_db_spl", format_number(*r.calibration_db_spl) + " dB SPL is outside " +
                                                format_number(kMinCalibrationDbSpl) + "..." + format_number(kMaxCalibrationDbSpl) + " dB SPL"});
  }
  return errors;
}

SpecErrors validate_level_db_spl(double level_db_spl, const std::string& field) {
  if (level_db_spl >= kMinPresentationLevelDbSpl && level_db_spl <= kMaxPresentationLevelDbSpl) return {};
  return {{field, format_number(level_db_spl) + " dB SPL is outside " + format_number(kMinPresentationLevelDbSpl) + "..." +
                      format_number(kMaxPresentationLevelDbSpl) + " dB SPL"}};
}

Result<Calibration> calibrate(const CalibrationRequest& request, const SpeechLevel& level, CalibrationOptions options) {
  SpecErrors errors = validate(request);
  if (!errors.empty()) return errors;
  Calibration c;
  if (request.calibration_db_spl) {
    c.mode = CalibrationMode::calibration;
    c.calibration_db_spl = *request.calibration_db_spl;
  } else {
    if (level.silent) return SpecErrors{{"input", "has no active speech to measure (ITU-T P.56)"}};
    c.mode = CalibrationMode::level;
    c.level_db_spl = request.level_db_spl.value_or(kDefaultSpeechLevelDbSpl);
    c.calibration_db_spl = c.level_db_spl - level.active_db;
    if (options.check_range && !(c.calibration_db_spl >= kMinCalibrationDbSpl && c.calibration_db_spl <= kMaxCalibrationDbSpl)) {
      return SpecErrors{{"calibration_db_spl", "presenting this input at " + format_number(c.level_db_spl) + " dB SPL needs a calibration of " +
                                                   format_number(c.calibration_db_spl) + " dB SPL, outside " +
                                                   format_number(kMinCalibrationDbSpl) + "..." + format_number(kMaxCalibrationDbSpl)}};
    }
  }
  c.active_db_spl = level.silent ? -300.0 : level.active_db + c.calibration_db_spl;
  c.long_term_db_spl = level.long_term_db + c.calibration_db_spl;
  return c;
}

std::vector<SpeechLevel> measure_channel_levels(const std::vector<const float*>& channels, std::size_t frames, double sample_rate_hz) {
  std::vector<SpeechLevel> levels;
  for (const float* x : channels) {
    ActiveSpeechLevelMeter meter(sample_rate_hz);
    meter.add(x, frames);
    levels.push_back(meter.result());
  }
  return levels;
}

SpeechLevel measure_speech_level(const std::vector<const float*>& channels, std::size_t frames, double sample_rate_hz) {
  return combine_channels(measure_channel_levels(channels, frames, sample_rate_hz));
}

Result<Calibration> calibrate(const CalibrationRequest& request, const std::vector<const float*>& channels, std::size_t frames,
                              double sample_rate_hz, CalibrationOptions options) {
  return calibrate(request, measure_speech_level(channels, frames, sample_rate_hz), options);
}

}  // namespace earshot
