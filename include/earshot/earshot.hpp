#pragma once
// earshot for C++ users: the one header to include (`#include <earshot/earshot.hpp>`, link
// earshot::earshot from find_package(earshot), or `pkg-config --cflags --libs earshot`).
//
// It is a thin front door to the library's layers: the types and functions below are the layers'
// own (Listener, EngineSpec, design_engine, Engine, LiveEngine, stoi, sii, the scene types), and
// a few convenience functions turn the common jobs into one call with the same rules as the CLI:
//
//   auto listener = earshot::parse_listener("N3");              // any listener the CLI accepts
//   auto out = earshot::render(channels, 44100.0, "N3", {});    // == `earshot render -l N3`
//   if (!out) std::cerr << earshot::describe(out.errors());    // one line, fields named
//
// Conventions (README, docs/library.md): levels are physical (dB SPL), a sample is one value, a
// frame one sample per audio channel, a channel an ear; nothing here throws on bad input: every
// problem comes back in a Result with the field that names it. Memory allocation failure
// (std::bad_alloc) is the one exception C++ callers may see.
//
// The layer headers keep their "layer/file.hpp" include paths; they are installed under
// <prefix>/include/earshot/, which the package puts on the include path. Include this header,
// not them: which layer a type lives in may change.
#include <optional>
#include <string_view>
#include <vector>

#include "earshot/version.h"

#include "support/spec_error.hpp"
#include "audiology/reference_threshold.hpp"
#include "dsp/speech_level.hpp"
#include "engine/calibration.hpp"
#include "engine/input_check.hpp"
#include "model/listener.hpp"
#include "hearing_loss/temporal_jitter.hpp"
#include "engine/engine.hpp"
#include "engine/live_engine.hpp"
#include "scene/scene_spec.hpp"
#include "scene/scene_design.hpp"
#include "scene/scene_renderer.hpp"
#include "scene/scene_inputs.hpp"
#include "metrics/stoi.hpp"
#include "metrics/sii.hpp"
#include "metrics/sii_inputs.hpp"
#include "formats/listener_spec_parser.hpp"
#include "formats/listener_reader.hpp"
#include "formats/file_errors.hpp"
#include "formats/scene_file.hpp"

namespace earshot {

// The library's version, "MAJOR.MINOR.PATCH" (EARSHOT_VERSION_STRING of the headers it was built with).
const char* version() noexcept;

// A listener from the text any front end accepts (the CLI's --listener): a preset (normal,
// N1..N7, S1..S3, deaf), an audiogram "250:20,500:25,...", age:/noise: specs, ci:/eas:/vocoder:
// devices, left=SPEC,right=SPEC (see formats/listener_spec_parser.hpp), or the path of a .toml
// profile (docs/profiles.md). Parsed and validated (formats/listener_reader.hpp): an ok Result is
// a listener the engine accepts. A profile's problems come back as one error for "listener" whose
// message names the file and the fields inside it, as the CLI prints them.
Result<Listener> parse_listener(std::string_view text);

// How an offline render is calibrated and modelled. Give level_db_spl or calibration_db_spl,
// not both; neither = level_db_spl 65 (kDefaultSpeechLevelDbSpl). The defaults are the CLI's;
// the rule is engine/calibration.hpp's, which every front end uses.
struct RenderOptions {
  // The input's active speech level (ITU-T P.56, all channels together) is presented at this
  // many dB SPL (0...130), like `earshot render --level`.
  std::optional<double> level_db_spl;
  // A digital RMS of 1.0 reads as this many dB SPL, like `--calibration` (for mixes whose
  // relative level matters, and for input with no speech in it).
  std::optional<double> calibration_db_spl;
  SoundField field = SoundField::free;  // ISO 389-7 free (frontal) or diffuse field
  bool smearing = true;                 // spectral smearing (Baer & Moore)
  TemporalJitterParams jitter;          // off unless rms_ms > 0
  unsigned seed = 1;                    // same input, listener, options and seed: same samples
};

struct Rendering {
  // One vector per output channel (ear), each exactly as long as the input and aligned with it
  // (the engine's latency removed). Mono input and ears alike: one channel; ears that differ or
  // stereo input: two (left, right). Same digital scale as the input.
  std::vector<std::vector<float>> channels;
  // How the input was calibrated (calibration_db_spl: a digital RMS of 1.0 read as this), and its
  // active speech and long-term levels in dB SPL, for the render's report.
  Calibration calibration;
  int latency_removed_frames = 0;
};

// Offline render of a whole signal, sample for sample what `earshot render` writes for the same
// samples, listener and options. channels: 1 (both ears hear it) or 2 (left, right), equal
// lengths, at sample_rate_hz (8000...192000), checked as the CLI checks a file
// (engine/input_check.hpp: errors name sample_rate_hz, channels, frames or samples). Allocates;
// holds the whole signal. Designs are shared by calls for the same ear and rate (the same samples:
// hearing_loss/hearing_loss_design_cache.hpp).
Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         const Listener& listener, const RenderOptions& options = {});
Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         std::string_view listener, const RenderOptions& options = {});

}  // namespace earshot
