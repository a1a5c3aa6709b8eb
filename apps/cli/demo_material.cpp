#include "apps/cli/demo_material.hpp"

#include <cstdlib>
#include <system_error>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/drum_groove.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

const char* const kDemoText =
    "The drummer counts the band in. One, two, three, four. "
    "Can you still hear the words over the drums? The high sounds go first: "
    "s, f, and t fade, and the voice turns dull and far away.";

AudioData speak_text(const fs::path& scratch, const char* text, const char* voice, int words_per_minute, int pitch) {
  if (std::system("command -v espeak-ng >/dev/null 2>&1") != 0) {
    throw CliError(kExitMissingTool, "the demo speaks with espeak-ng, which is not installed (apt-get install espeak-ng)");
  }
  const fs::path speech_path = scratch / "espeak.wav";
  // (text and voice are this program's constants, never a request's: no shell quoting needed)
  const std::string cmd = std::string("espeak-ng -v ") + voice + " -s " + std::to_string(words_per_minute) + " -p " +
                          std::to_string(pitch) + " -w '" + speech_path.string() + "' \"" + text + "\" 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw CliError(kExitMissingTool, "espeak-ng failed to synthesise the demo speech");
  AudioData spoken = read_audio(speech_path);
  std::error_code ec;
  fs::remove(speech_path, ec);
  return spoken;
}

AudioData speak_demo_text(const fs::path& scratch) { return speak_text(scratch, kDemoText, "en-us", 145, 50); }

std::vector<float> speech_over_drums(const std::vector<float>& speech, double fs, double lead_s, double tail_s, unsigned seed) {
  const std::size_t lead = static_cast<std::size_t>(lead_s * fs);
  const double seconds = (speech.size() + lead) / fs + tail_s;
  std::vector<float> mix = drum_groove(fs, seconds, seed);
  // 0.35 and 0.8: the drums about 8 dB under the voice's active level, as a band behind a talker.
  for (auto& x : mix) x *= 0.35f;
  for (std::size_t i = 0; i < speech.size() && lead + i < mix.size(); ++i) mix[lead + i] += 0.8f * speech[i];
  return mix;
}

}  // namespace earshot::cli
