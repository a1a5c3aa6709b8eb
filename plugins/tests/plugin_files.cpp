#include "plugin_files.hpp"

#include <sndfile.h>

#include <cstdlib>
#include <string>

#include "clap_host.hpp"
#include "plugins/earshot/plugin_parameters.hpp"
#include "test_support.hpp"

namespace earshot::test {

std::vector<float> plugin_speech(double seconds) {
  const auto corpus = corpus_dir();
  if (!corpus) return {};
  std::vector<float> x = read_mono(*corpus / "speech" / "vctk_p286_011_M_en.wav");
  if (seconds <= 0.0) return x;
  std::vector<float> out(static_cast<std::size_t>(seconds * 48000.0));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = x[i % x.size()];
  return out;
}

void write_stereo_wav(const std::filesystem::path& path, const std::vector<float>& left,
                      const std::vector<float>& right, double sample_rate_hz) {
  SF_INFO info{};
  info.samplerate = static_cast<int>(sample_rate_hz);
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  std::vector<float> interleaved(2 * left.size());
  for (std::size_t i = 0; i < left.size(); ++i) {
    interleaved[2 * i] = left[i];
    interleaved[2 * i + 1] = right[i];
  }
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(left.size()));
  sf_close(f);
}

std::array<std::vector<float>, 2> read_stereo_wav(const std::filesystem::path& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) return {};
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * info.channels);
  sf_readf_float(f, interleaved.data(), info.frames);
  sf_close(f);
  std::array<std::vector<float>, 2> out;
  for (int c = 0; c < 2; ++c) {
    out[c].resize(static_cast<std::size_t>(info.frames));
    for (sf_count_t i = 0; i < info.frames; ++i) out[c][i] = interleaved[i * info.channels + std::min(c, info.channels - 1)];
  }
  return out;
}

ClapRun run_clap(const std::vector<float>& input, double sample_rate_hz, const std::map<std::string, double>& settings,
                 int block, const std::function<void(std::size_t, const ClapSetter&)>& each_block) {
  // Parameters by symbol: CLAP gives names, the plugin's table maps one to the other.
  std::map<std::string, std::string> names;
  for (const auto& p : plugin::param_table()) names[p.symbol] = p.name;
  // The settings before activation too, as a host loading a project gives them: the plugin designs
  // its first bank for them (a design setting given only at the first block would be designed on
  // the worker while this unpaced run goes on).
  std::map<std::string, double> initial;
  for (const auto& [symbol, value] : settings) initial[names.at(symbol)] = value;
  ClapHost host(EARSHOT_PLUGIN_CLAP, sample_rate_hz, block, initial);
  ClapRun run;
  if (!host.ok()) return run;
  run.latency_frames = host.latency_frames();
  const ClapSetter set = [&](const char* symbol, double value) { return host.set(names.at(symbol), value); };
  for (const auto& [symbol, value] : settings) set(symbol.c_str(), value);
  for (auto& c : run.out) c.assign(input.size(), 0.0f);
  for (std::size_t start = 0, index = 0; start < input.size(); start += block, ++index) {
    const int n = static_cast<int>(std::min<std::size_t>(block, input.size() - start));
    if (each_block) each_block(index, set);
    const float* in[2] = {input.data() + start, input.data() + start};
    float* out[2] = {run.out[0].data() + start, run.out[1].data() + start};
    host.process(in, out, n);
  }
  return run;
}

}  // namespace earshot::test
