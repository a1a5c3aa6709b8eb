#pragma once
// `earshot score`: how much of the speech survives.
//  - STOI / ESTOI of a processed signal against its clean reference (any rate; per channel), and
//    with --haspi HASPI v2 (Kates & Arehart 2021) and --hasqi HASQI v2 (Kates & Arehart 2014) for
//    the listener's ear that heard each channel (metrics/hearing_aid_index.hpp);
//  - SII (ANSI S3.5-1997) for a listener, per ear: from a speech file (presented at --level, as a
//    render would) or a standard vocal effort, in quiet or in a noise file.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/cli/audio_file.hpp"
#include "dsp/speech_level.hpp"
#include "model/listener.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hearing_aid_index.hpp"
#include "metrics/sii.hpp"
#include "metrics/stoi.hpp"

namespace earshot::cli {

struct StoiRequest {
  std::filesystem::path reference, test;
  // The hearing-aid indices, scored against the same reference for the listener's ears (a stereo
  // --test: left channel, left ear; a mono one: both ears alike, or refused).
  bool haspi = false;
  bool hasqi = false;
  Listener listener;                             // default: normal hearing
  std::optional<double> level_db_spl;            // the reference's active speech level (default 65 dB SPL), or:
  std::optional<double> calibration_db_spl;      // a digital RMS of 1.0 is this (HASPI's level1)
};
// One index for one channel: its value, or why it does not apply to the ear (an implant).
struct EarIndexScore {
  std::string ear;               // "left" or "right"
  bool applies = true;
  double value = 0.0;
  std::string not_applicable;    // when !applies: the reason, in words
};
struct StoiReport {
  std::string reference, test;
  double sample_rate_hz = 0.0;
  std::vector<StoiScores> channels;
  std::optional<double> calibration_db_spl;            // the level1 the indices used
  std::vector<EarIndexScore> haspi_v2;                 // per channel, when asked for
  std::vector<EarIndexScore> hasqi_v2;                 // per channel, when asked for
};
// The seed of the indices' random streams in `earshot score` (each ear's stream derived from it,
// metrics/hearing_aid_index.hpp): fixed, so a score repeats exactly; Python's default is the same.
inline constexpr std::uint64_t kScoreIndexSeed = 1;
StoiReport score_stoi(const StoiRequest& request);  // throws CliError

struct SiiRequest {
  std::optional<std::filesystem::path> speech;  // or:
  std::optional<VocalEffort> effort;            // the standard speech spectrum of a vocal effort
  std::optional<std::filesystem::path> noise;
  Listener listener;
  std::optional<double> level_db_spl;           // speech's active level (default 65 dB SPL)
  std::optional<double> calibration_db_spl;     // digital RMS 1.0 = this, for speech and noise
  std::optional<double> noise_level_db_spl;     // the noise's long-term level (its own calibration)
  SiiProcedure procedure = SiiProcedure::third_octave;
  // An implanted ear: refused (`earshot score`), or left unscored (SiiEarReport::applies false)
  // while the acoustic ears are scored (the report). metrics/sii_inputs.hpp: sii_applies().
  bool acoustic_ears_only = false;
};
struct SiiEarReport {
  bool applies = true;  // false: an implanted ear, which the SII cannot score
  double sii = 0.0;
  std::vector<double> band_audibility;
  std::vector<double> speech_spectrum_db;  // E' at this ear, after its conductive part
};
struct SiiReport {
  SiiProcedure procedure = SiiProcedure::third_octave;
  std::string speech_source, noise_source;  // file names, or "standard speech, raised effort" / "quiet"
  double speech_level_db_spl = 0.0;         // active speech level (or the effort's overall level)
  std::optional<double> noise_level_db_spl; // long-term
  std::optional<double> speech_calibration_db_spl;  // digital RMS 1.0 of the speech file
  std::optional<double> noise_calibration_db_spl;   // of the noise file
  Listener listener;
  std::vector<double> band_centre_hz;
  SiiEarReport left, right;
};
// The files a request names, read once after its options are checked (the report reuses them).
struct SiiAudio {
  std::optional<AudioData> speech, noise;
  std::vector<SpeechLevel> speech_levels;  // each speech channel's P.56 levels, if measured already (empty: measured once here)
};
SiiAudio read_sii_audio(const SiiRequest& request);  // throws CliError

SiiReport score_sii(const SiiRequest& request, const SiiAudio& audio);  // throws CliError
SiiReport score_sii(const SiiRequest& request);  // reads, then scores

// The noise file as it reaches the ears beside `speech_frames` of speech with `speech_channels`
// channels: at the speech's rate (resampled as STOI resamples, dsp/rational_resampler.hpp), looped
// to the speech's length, and moved from its own calibration to the speech's digital scale.
std::vector<std::vector<float>> noise_on_speech_scale(const AudioData& noise, double speech_rate_hz, std::size_t speech_frames,
                                                      std::size_t speech_channels, double noise_calibration_db_spl,
                                                      double speech_calibration_db_spl);

// The SII of each ear of `listener` from the speech and noise as they reach its ears (one channel,
// both ears, or two; one digital scale, a digital RMS of 1.0 being `calibration_db_spl`; noise
// empty: quiet), through the aid of each ear that wears one (engine/aided_speech_and_noise.hpp:
// taken apart by phase inversion, Hagerman & Olofsson 2004). An implanted ear: applies false.
// Throws CliError.
std::array<SiiEarReport, 2> score_sii_at_ears(const Listener& listener, const std::vector<std::vector<float>>& speech,
                                              const std::vector<std::vector<float>>& noise, double sample_rate_hz,
                                              double calibration_db_spl, SiiProcedure procedure);

// What an SII means for following speech, in plain words (after the usual reading of SII: above
// about 0.75 good, 0.45 to 0.75 fair, below 0.45 poor communication).
std::string sii_reading(double sii);

nlohmann::json to_json(const StoiReport& report);
nlohmann::json to_json(const SiiReport& report);
std::string to_text(const StoiReport& report);
std::string to_text(const SiiReport& report);

}  // namespace earshot::cli
