#include "apps/web/sample_sounds.hpp"

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/demo_material.hpp"
#include "apps/cli/drum_groove.hpp"
#include "apps/web/request_workspace.hpp"

namespace earshot::web {
namespace fs = std::filesystem;

namespace {

std::string wav_bytes(const std::vector<float>& samples, double fs, const fs::path& scratch, const char* name) {
  const fs::path path = scratch / name;
  {
    cli::AudioWriter w(path, cli::output_format_for(path, 0), fs, 1);
    w.write(samples.data(), static_cast<std::int64_t>(samples.size()));
    w.commit();
  }
  std::string bytes = read_whole_file(path);
  std::error_code ec;
  fs::remove(path, ec);
  return bytes;
}

}  // namespace

SampleSet make_sample_sounds(const fs::path& scratch) {
  SampleSet set;
  constexpr double kDrumsRateHz = 22050.0;  // espeak-ng's rate, so the three samples share one
  constexpr double kDrumsSeconds = 9.6;     // four bars at 100 BPM
  std::vector<float> drums = cli::drum_groove(kDrumsRateHz, kDrumsSeconds, 7);
  for (auto& x : drums) x *= 0.7f;
  try {
    const cli::AudioData spoken = cli::speak_demo_text(scratch);
    const double fs = spoken.info.sample_rate_hz;
    const auto& speech = spoken.channels.front();
    set.sounds.push_back({"speech", "Speech", "A synthetic voice (espeak-ng) reading two sentences with s, f and t sounds",
                          speech.size() / fs, wav_bytes(speech, fs, scratch, "speech.wav")});
    const std::vector<float> mix = cli::speech_over_drums(speech, fs);
    set.sounds.push_back({"speech_over_drums", "Speech over drums", "The same voice with a drum groove about 8 dB under it",
                          mix.size() / fs, wav_bytes(mix, fs, scratch, "mix.wav")});
  } catch (const cli::CliError& e) {
    set.missing = e.what();
  }
  set.sounds.push_back({"drums", "Drum groove", "Kick, snare and hi-hat at 100 BPM (music: the hi-hat is the first to fade)",
                        kDrumsSeconds, wav_bytes(drums, kDrumsRateHz, scratch, "drums.wav")});
  return set;
}

}  // namespace earshot::web
