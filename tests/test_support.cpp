#include "test_support.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <cstdlib>
#include <memory>
#include <numbers>

#include "apps/cli/audio_file.hpp"
#include "dsp/real_fft.hpp"
#include "metrics/band_levels.hpp"
#include "formats/listener_spec_parser.hpp"

namespace earshot::test {
namespace fs = std::filesystem;

std::optional<fs::path> corpus_dir() {
  const char* env = std::getenv("EARSHOT_CORPUS");
  if (!env || !*env || !fs::is_directory(env)) return std::nullopt;
  return fs::path(env);
}

std::optional<fs::path> oracles_dir() {
  if (const char* env = std::getenv("EARSHOT_ORACLES"); env && *env && fs::is_directory(env)) return fs::path(env);
  if (auto c = corpus_dir()) {
    const fs::path o = c->parent_path() / "oracles";
    if (fs::is_directory(o)) return o;
    const fs::path o2 = fs::weakly_canonical(*c / ".." / "oracles");
    if (fs::is_directory(o2)) return o2;
  }
  return std::nullopt;
}

std::vector<float> read_mono(const fs::path& path, double* sample_rate_hz) {
  cli::AudioData data = cli::read_audio(path);
  if (sample_rate_hz) *sample_rate_hz = data.info.sample_rate_hz;
  return std::move(data.channels.front());
}

std::vector<float> tone(double f, double level_db_spl, double fs, double seconds, double cal) {
  std::vector<float> x(static_cast<std::size_t>(fs * seconds));
  const double a = std::sqrt(2.0) * std::pow(10.0, (level_db_spl - cal) / 20.0);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(a * std::sin(2.0 * std::numbers::pi * f * i / fs));
  return x;
}

std::vector<float> render(const std::vector<float>& input, const Listener& l, const HearingLossParams& params,
                          const TemporalJitterParams& jitter) {
  EngineSpec spec;
  spec.listener = l;
  spec.hearing = params;
  spec.jitter = jitter;
  spec.input_channels = 1;
  auto plan = design_engine(spec);
  if (!plan) throw std::runtime_error(describe(plan.errors()));
  return render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), {input}).front();
}

double steady_level_db(const std::vector<float>& x, double fs, double cal, double skip_s) {
  const auto skip = static_cast<std::size_t>(skip_s * fs);
  return level_db(x.data() + skip, x.size() - 2 * skip, cal);
}

Listener listener(const std::string& spec) {
  auto l = parse_listener_spec(spec);
  if (!l) throw std::runtime_error(describe(l.errors()));
  return l.value();
}

SceneKeyframe keyframe(double time_s, const std::string& who, double transition_s, TransitionCurve curve, double perspective) {
  SceneKeyframe k;
  k.time_s = time_s;
  k.listener = listener(who);
  k.transition_s = transition_s;
  k.curve = curve;
  k.perspective = perspective;
  return k;
}

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::ifstream f(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

double largest_flux(const std::vector<float>& x, std::size_t from, std::size_t to) {
  constexpr int n = 1024, hop = 256, bins = n / 2 + 1;
  RealFftDouble fft(n);
  double* frame = fft.time();
  const RealFftDouble::Bin* spectrum = fft.spectrum();
  std::vector<double> previous(bins, 0.0), current(bins);
  double worst = 0.0;
  bool first = true;
  for (std::size_t start = from; start + n <= std::min(to, x.size()); start += hop) {
    for (int i = 0; i < n; ++i) frame[i] = (0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n)) * x[start + i];
    fft.forward();
    for (int k = 0; k < bins; ++k) current[k] = std::hypot(spectrum[k][0], spectrum[k][1]);
    if (!first) {
      double flux = 0.0;
      for (int k = 0; k < bins; ++k) flux += std::max(0.0, current[k] - previous[k]);
      worst = std::max(worst, flux);
    }
    first = false;
    previous = current;
  }
  return worst;
}

double largest_step(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double worst = 0.0;
  for (std::size_t i = std::max<std::size_t>(from, 1); i < std::min(to, x.size()); ++i) {
    worst = std::max(worst, double(std::abs(x[i] - x[i - 1])));
  }
  return worst;
}

std::string slurp(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace earshot::test
