#pragma once
// The demo's own material, made on this machine (no recordings shipped): espeak-ng speech of the
// demo's text, and that speech over the synthesised drum groove. `earshot demo` writes them to
// files; `earshot serve` offers them as the page's built-in samples.
#include <filesystem>
#include <vector>

#include "apps/cli/audio_file.hpp"

namespace earshot::cli {

// What the demo says (about 12 s at espeak-ng's 145 words a minute).
extern const char* const kDemoText;

// espeak-ng speaking kDemoText (its own rate, 22050 Hz, mono). Its temporary WAV goes in
// `scratch` and is removed. Throws CliError(kExitMissingTool) when espeak-ng is not installed.
AudioData speak_demo_text(const std::filesystem::path& scratch);

// espeak-ng speaking `text` with `voice` (e.g. "en-gb+f3"), at a rate in words a minute and a
// pitch 0-99 (espeak-ng's default 50), as speak_demo_text. `text` and `voice` go to a shell:
// constants of this program only.
AudioData speak_text(const std::filesystem::path& scratch, const char* text, const char* voice, int words_per_minute, int pitch);

// `speech` starting after `lead_s` of drums, the drums about 8 dB under the voice, ending
// `tail_s` after it: the demo's input.wav.
std::vector<float> speech_over_drums(const std::vector<float>& speech, double sample_rate_hz, double lead_s = 2.4,
                                     double tail_s = 1.2, unsigned seed = 7);

}  // namespace earshot::cli
