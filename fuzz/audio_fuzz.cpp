// Audio bytes (any container libsndfile reads) through the CLI's reader (apps/cli/audio_file.hpp),
// the library's input check, calibration and, for what passes, the engine (N3 at 65 dB SPL, the
// first 4096 frames).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "engine/calibration.hpp"
#include "engine/engine.hpp"
#include "engine/input_check.hpp"
#include "formats/listener_spec_parser.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  earshot::cli::AudioData audio;
  try {
    audio = earshot::cli::read_audio(earshot::fuzz::scratch_file(".audio", data, size));
  } catch (const earshot::cli::CliError&) {
    return 0;  // refused with a one-line error: what the CLI does
  }
  for (auto& channel : audio.channels) channel.resize(std::min<std::size_t>(channel.size(), 4096));
  const double fs = audio.info.sample_rate_hz;
  if (!earshot::check_input(audio.channels, fs).empty()) return 0;
  std::vector<const float*> pointers;
  for (const auto& channel : audio.channels) pointers.push_back(channel.data());
  auto calibration = earshot::calibrate({}, pointers, audio.channels.front().size(), fs, {.check_range = true});
  if (!calibration) return 0;
  earshot::EngineSpec spec;
  spec.listener = earshot::parse_listener_spec("N3", "listener").value();
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = calibration.value().calibration_db_spl;
  spec.input_channels = static_cast<int>(audio.channels.size());
  auto plan = earshot::design_engine(spec);
  if (!plan) return 0;
  (void)earshot::render_offline(std::make_shared<const earshot::EnginePlan>(std::move(plan).value()), audio.channels);
  return 0;
}
