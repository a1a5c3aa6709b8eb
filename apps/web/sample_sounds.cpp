#include "apps/web/sample_sounds.hpp"

#include <cmath>
#include <random>

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


double rms(const std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) sum += double(v) * v;
  return x.empty() ? 0.0 : std::sqrt(sum / x.size());
}

// A voice in a café, made here (no recording): the demo's voice over the babble of four other
// espeak-ng voices (other accents, pitches and rates, each its own sentences, repeated to fill)
// and a little clatter of cups and cutlery. Levels, as RMS over the whole signal:
//   - the babble 12 dB under the voice (each talker about 18 dB under it): a busy café where the
//     voice is still followed with normal hearing, as in SNR +5...+15 dB of such places;
//   - the clatter's clicks peak about 6 dB under the voice's peak, and are sparse (one every
//     0.4-2.0 s), so they add little energy but the bright transients a loss takes away first.
std::vector<float> voice_in_cafe(const std::vector<float>& speech, double fs, const fs::path& scratch) {
  struct Talker {
    const char* voice;
    int words_per_minute, pitch;
    const char* text;
  };
  static constexpr Talker kTalkers[] = {
      {"en-gb+f3", 160, 70, "Did you see what they did to the old station? It is all flats now, and the bakery has gone."},
      {"en-gb-scotland", 150, 35, "I told him twice, but he never listens. Next week we are going up north to see my mother."},
      {"en-us+f2", 170, 60, "Could I get a flat white and a croissant, please? No, to stay. Thanks, that is lovely."},
      {"en-gb-x-rp+m3", 140, 45, "The meeting ran on for hours, and in the end nobody agreed on anything at all."},
  };
  const std::size_t lead = static_cast<std::size_t>(1.5 * fs), tail = static_cast<std::size_t>(1.0 * fs);
  const std::size_t n = lead + speech.size() + tail;
  const double voice_rms = rms(speech);
  std::vector<float> babble(n, 0.0f);
  std::size_t offset = 0;
  for (const Talker& t : kTalkers) {
    const cli::AudioData spoken = cli::speak_text(scratch, t.text, t.voice, t.words_per_minute, t.pitch);
    if (spoken.info.sample_rate_hz != fs) throw cli::CliError(cli::kExitMissingTool, "espeak-ng's voices gave different sample rates");
    const auto& x = spoken.channels.front();
    const double talker_rms = rms(x);
    if (x.empty() || talker_rms <= 0.0) continue;
    // -18 dB a talker: four uncorrelated talkers sum to about -12 dB.
    const float gain = static_cast<float>(voice_rms * std::pow(10.0, -18.0 / 20.0) / talker_rms);
    offset += static_cast<std::size_t>(0.7 * fs);  // each starts at another moment: a room, not a choir
    for (std::size_t i = 0; i < n; ++i) babble[i] += gain * x[(i + offset) % x.size()];
  }
  std::vector<float> mix(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) mix[i] = babble[i];
  for (std::size_t i = 0; i < speech.size(); ++i) mix[lead + i] += speech[i];
  // Clatter: short bursts of noise, differenced (brighter: china and metal, not thuds), decaying
  // in 8-25 ms, at random times and strengths from a fixed seed (the same sample every start).
  float voice_peak = 0.0f;
  for (float v : speech) voice_peak = std::max(voice_peak, std::fabs(v));
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> gap_s(0.4, 2.0), decay_s(0.008, 0.025), strength(0.25, 1.0);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (double at = gap_s(rng); at < n / fs; at += gap_s(rng)) {
    const double decay = decay_s(rng);
    const double peak = 0.5 * voice_peak * strength(rng);  // at most -6 dB re the voice's peak
    double previous = 0.0;
    for (std::size_t i = 0, start = static_cast<std::size_t>(at * fs); i < static_cast<std::size_t>(5 * decay * fs) && start + i < n; ++i) {
      const double white = noise(rng);
      mix[start + i] += static_cast<float>(0.5 * peak * (white - previous) * std::exp(-double(i) / (decay * fs)));
      previous = white;
    }
  }
  for (auto& x : mix) x *= 0.8f;  // as speech_over_drums: the voice's peaks (espeak-ng's full scale) with room for the rest
  return mix;
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
    const std::vector<float> cafe = voice_in_cafe(speech, fs, scratch);
    set.sounds.push_back({"voice_in_cafe", "A voice in a café", "The same voice over the babble of four other voices about 12 dB under it, and clattering cups",
                          cafe.size() / fs, wav_bytes(cafe, fs, scratch, "cafe.wav")});
  } catch (const cli::CliError& e) {
    set.missing = e.what();
  }
  set.sounds.push_back({"drums", "Drum groove", "Kick, snare and hi-hat at 100 BPM (music: the hi-hat is the first to fade)",
                        kDrumsSeconds, wav_bytes(drums, kDrumsRateHz, scratch, "drums.wav")});
  return set;
}

}  // namespace earshot::web
