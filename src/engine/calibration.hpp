#pragma once
// Calibration: how a digital signal becomes a physical level (docs/DESIGN "Levels are physical").
// Two ways in, one rule for every front end:
//  - a presentation level: the input's active speech level (ITU-T P.56 (12/2011) method B, see
//    dsp/speech_level.hpp) is presented at level_db_spl dB SPL (default 65, conversational speech);
//  - a fixed calibration: a digital RMS of 1.0 reads as calibration_db_spl dB SPL (for mixes where
//    relative level matters).
// The result says which way was used and what the input's levels are in dB SPL, so every render can
// report them. Errors name the request's fields: "level_db_spl", "calibration_db_spl", and "input"
// for an input with no active speech to measure.
#include <optional>
#include <vector>

#include "dsp/speech_level.hpp"
#include "support/spec_error.hpp"

namespace earshot {

inline constexpr double kDefaultSpeechLevelDbSpl = 65.0;   // conversational speech at 1 m
inline constexpr double kMinPresentationLevelDbSpl = 0.0;
inline constexpr double kMaxPresentationLevelDbSpl = 130.0;  // the threshold of pain
// A derived calibration outside this range means the input is far from any sensible digital scale.
inline constexpr double kMinCalibrationDbSpl = 0.0;
inline constexpr double kMaxCalibrationDbSpl = 160.0;

struct CalibrationRequest {
  std::optional<double> level_db_spl;        // present the active speech level at this dB SPL
  std::optional<double> calibration_db_spl;  // or: a digital RMS of 1.0 is this dB SPL
};

enum class CalibrationMode { level, calibration };
const char* to_string(CalibrationMode mode);  // "level", "calibration"

struct Calibration {
  CalibrationMode mode = CalibrationMode::level;
  double calibration_db_spl = 0.0;       // a digital RMS of 1.0 reads as this
  double level_db_spl = 0.0;             // the presentation level asked for (level mode), else 0
  double active_db_spl = -300.0;         // the input's active speech level (-300: none measurable)
  double long_term_db_spl = -300.0;      // the input's long-term (whole-signal) level
};

// The request alone: not both ways at once, a presentation level within 0...130 dB SPL (both
// errors name "level_db_spl"), a fixed calibration within 0...160 dB SPL ("calibration_db_spl").
// NaN and infinity are outside every range.
SpecErrors validate(const CalibrationRequest& request);

// One level in dB SPL on its own (a noise's long-term level): within 0...130 dB SPL, under `field`.
SpecErrors validate_level_db_spl(double level_db_spl, const std::string& field);

// From a level already measured (a streaming render measures in its first pass). In level mode an
// input with no active speech is an error (field "input"), and so is a derived calibration outside
// 0...160 dB SPL (field "calibration_db_spl") when check_range is set.
struct CalibrationOptions {
  bool check_range = false;
};
Result<Calibration> calibrate(const CalibrationRequest& request, const SpeechLevel& measured, CalibrationOptions options = {});

// Whole buffers: one per channel (ear), measured with the P.56 meter, each channel's levels
// (measure_channel_levels) and combined across channels (the energy mean of their active levels).
std::vector<SpeechLevel> measure_channel_levels(const std::vector<const float*>& channels, std::size_t frames, double sample_rate_hz);
SpeechLevel measure_speech_level(const std::vector<const float*>& channels, std::size_t frames, double sample_rate_hz);
Result<Calibration> calibrate(const CalibrationRequest& request, const std::vector<const float*>& channels, std::size_t frames,
                              double sample_rate_hz, CalibrationOptions options = {});

}  // namespace earshot
