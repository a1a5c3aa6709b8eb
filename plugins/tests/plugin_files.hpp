#pragma once
// What the plugin tests share: where the built plugin is, the corpus speech they run through it,
// stereo float WAV files for lv2apply, and a run of the CLAP binary through the test host.
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace earshot::test {

inline constexpr const char* kPluginUri = "https://earshot.invalid/plugins/earshot";

// Corpus speech at 48 kHz (VCTK p286_011), looped to `seconds` if given; empty without the corpus.
std::vector<float> plugin_speech(double seconds = 0.0);

void write_stereo_wav(const std::filesystem::path& path, const std::vector<float>& left,
                      const std::vector<float>& right, double sample_rate_hz);
std::array<std::vector<float>, 2> read_stereo_wav(const std::filesystem::path& path);

struct ClapRun {
  std::array<std::vector<float>, 2> out;
  int latency_frames = -1;
};
// The CLAP binary on `input` (both ears) in blocks of `block` frames, with settings by parameter
// symbol before activation (and again at the first block) and `each_block(block index, set)` before
// every block.
using ClapSetter = std::function<bool(const char* symbol, double value)>;
ClapRun run_clap(const std::vector<float>& input, double sample_rate_hz, const std::map<std::string, double>& settings,
                 int block = 256, const std::function<void(std::size_t, const ClapSetter&)>& each_block = {});

}  // namespace earshot::test
