#pragma once
// Offline render of one file: measure (pass 1: levels, NaN/Inf check), design the engine, render
// (pass 2) in blocks with the engine's latency removed so the output is exactly as long as the input
// and aligned with it, write to a temporary file, rename into place. Memory does not grow with length.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/cli/audio_file.hpp"
#include "dsp/speech_level.hpp"
#include "hearing_loss/hearing_loss_design_cache.hpp"
#include "model/listener.hpp"
#include "audiology/reference_threshold.hpp"
#include "hearing_loss/temporal_jitter.hpp"

namespace earshot::cli {

struct RenderRequest {
  std::filesystem::path input;
  std::filesystem::path output;
  Listener listener;
  std::optional<std::filesystem::path> listener_file;  // the listener's profile .toml, if one was given: an input too
  std::optional<double> level_db_spl;        // --level: active speech level presented at this dB SPL
  std::optional<double> calibration_db_spl;  // --calibration: digital RMS 1.0 = this dB SPL
  SoundField field = SoundField::free;
  bool smearing = true;
  TemporalJitterParams jitter;               // off unless rms_ms > 0
  int bits = 0;                              // 0: container default
  unsigned seed = 1;
  // Called now and then with the fraction done (0 to 1, both passes), for a progress display.
  std::function<void(double)> progress;
  int threads = 0;                           // ears on up to this many threads (0: the cores); output as with 1
  bool audible = false;                      // --audible: not physical; each ear's level given back (engine/audible_gain.hpp)
  // Hearing-loss designs shared with other renders (a batch's rows); null: designed for this one.
  // The same samples either way (hearing_loss/hearing_loss_design_cache.hpp).
  HearingLossDesignCache* designs = nullptr;
  // The report keeps the input's samples and the output's as the file holds them (a batch row
  // scores them without reading both files again); the render then reads its input once.
  bool keep_samples = false;
};

struct RenderReport {
  std::string input, output, input_format, output_format;
  double sample_rate_hz = 0.0;
  int input_channels = 0, output_channels = 0;  // input: as the file has them
  std::string input_downmix;             // a 5.1 or 7.1 input's downmix to the ears (engine/ear_downmix.hpp); "" otherwise
  std::int64_t frames = 0;
  std::string calibration_mode;          // "level" or "calibration"
  double calibration_db_spl = 0.0;       // digital RMS 1.0 reads as this
  double input_active_db_spl = 0.0;      // ITU-T P.56 active speech level
  double input_long_term_db_spl = 0.0;   // whole-file RMS
  std::vector<SpeechLevel> input_levels; // each input channel's P.56 levels (re digital full scale), from the first pass
  std::vector<double> output_long_term_db_spl;  // per output channel (ear), of the physical render (before any --audible gain)
  std::vector<double> audible_gain_db;   // --audible: the gain given each ear; empty without it
  int latency_removed_frames = 0;
  std::int64_t clipped_samples = 0;
  std::string input_warning;             // e.g. a truncated file
  Listener listener;
  SoundField field = SoundField::free;
  bool smearing = true;
  TemporalJitterParams jitter;
  unsigned seed = 1;
  // keep_samples: the input as read_audio() gives it, and the output as read_audio() would read it
  // back (float32 WAV: the samples written; an integer or FLAC output is not kept, as the file's
  // samples are rounded: read it).
  std::optional<AudioData> input_samples, output_samples;
};

class OutputSet;

// Throws CliError on bad input or output; nothing is left at `output` on failure. With `into`, the
// output joins that set, which the caller commits (the demo's outputs are one set).
RenderReport render_file(const RenderRequest& request, OutputSet* into = nullptr);

nlohmann::json to_json(const RenderReport& report);
std::string to_text(const RenderReport& report);
nlohmann::json to_json(const EarProfile& ear);

}  // namespace earshot::cli
