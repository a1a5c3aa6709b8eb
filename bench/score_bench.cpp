// Scores on real speech (shared/corpus via EARSHOT_CORPUS): STOI + ESTOI (one call computes both)
// of a 60 s clean/noisy pair, at 16 kHz and at STOI's own 10 kHz; the whole report for 60 s; and
// HASPI v2 of the oracle's 6 s pair (shared/oracles/haspi, beside the corpus), which pyclarity
// scores in 3.78 s (oracle README, "Speed anchor").
// Time per call (process CPU time, one thread). bench/run.sh runs these.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <filesystem>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/report_job.hpp"
#include "formats/listener_spec_parser.hpp"
#include "dsp/rational_resampler.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "metrics/stoi.hpp"
#include "support/random_source.hpp"

namespace {
namespace fs = std::filesystem;

struct Pair {
  std::vector<float> clean, noisy;
};

// 60 s of LibriSpeech (16 kHz) looped, plus the kitchen noise looped, at 0 dB SNR.
Pair pair_at(double fs) {
  const char* corpus = std::getenv("EARSHOT_CORPUS");
  if (!corpus) return {};
  const auto speech = earshot::cli::read_audio(fs::path(corpus) / "speech" / "librispeech_198-209-0000_F_en.flac").channels.front();
  const auto noise = earshot::cli::read_audio(fs::path(corpus) / "noise" / "speechcommands_doing_the_dishes_0-20s.wav").channels.front();
  std::vector<double> c(60 * 16000), n(60 * 16000);
  for (std::size_t i = 0; i < c.size(); ++i) {
    c[i] = speech[i % speech.size()];
    n[i] = noise[i % noise.size()];
  }
  if (fs != 16000.0) {
    c = earshot::resample_rational(c, static_cast<long>(fs), 16000);
    n = earshot::resample_rational(n, static_cast<long>(fs), 16000);
  }
  double pc = 0, pn = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    pc += c[i] * c[i];
    pn += n[i] * n[i];
  }
  Pair p;
  const double g = std::sqrt(pc / pn);
  for (std::size_t i = 0; i < c.size(); ++i) {
    p.clean.push_back(static_cast<float>(c[i]));
    p.noisy.push_back(static_cast<float>(c[i] + g * n[i]));
  }
  return p;
}

void stoi_60s(benchmark::State& state, double fs) {
  static std::map<double, Pair> pairs;
  if (!pairs.count(fs)) pairs[fs] = pair_at(fs);
  const Pair& p = pairs[fs];
  if (p.clean.empty()) {
    state.SkipWithError("EARSHOT_CORPUS not set: the benchmark runs on real speech");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(earshot::stoi(p.clean, p.noisy, fs));
}
void BM_stoi_and_estoi_60s_16k(benchmark::State& s) { stoi_60s(s, 16000.0); }
void BM_stoi_and_estoi_60s_10k(benchmark::State& s) { stoi_60s(s, 10000.0); }
BENCHMARK(BM_stoi_and_estoi_60s_16k)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_stoi_and_estoi_60s_10k)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_report_60s_speech_in_noise(benchmark::State& state) {
  const char* corpus = std::getenv("EARSHOT_CORPUS");
  if (!corpus) {
    state.SkipWithError("EARSHOT_CORPUS not set: the benchmark runs on real speech");
    return;
  }
  // 60 s of speech written once, then the report of it (read, score, render, draw, write).
  const fs::path dir = fs::temp_directory_path() / "earshot_report_bench";
  fs::create_directories(dir);
  const fs::path speech = dir / "speech60.wav";
  if (!fs::exists(speech)) {
    const Pair p = pair_at(16000.0);
    earshot::cli::AudioWriter w(speech, earshot::cli::output_format_for(speech, 0), 16000.0, 1);
    w.write(p.clean.data(), static_cast<std::int64_t>(p.clean.size()));
    w.commit();
  }
  earshot::cli::ReportRequest req;
  req.scores.speech = speech;
  req.scores.noise = fs::path(corpus) / "noise" / "speechcommands_doing_the_dishes_0-20s.wav";
  req.scores.noise_level_db_spl = 60.0;
  req.scores.listener = earshot::parse_listener_spec("left=N3,right=S2").value();
  req.output = dir / "report.html";
  for (auto _ : state) benchmark::DoNotOptimize(earshot::cli::write_report(req));
  fs::remove_all(dir);
}
BENCHMARK(BM_report_60s_speech_in_noise)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->Iterations(2);

// The oracle README's speed anchor: clean/vctk_p286_011_M_en.wav against its cafe-noise copy at
// 0 dB SNR (144000 samples at 24 kHz), normal hearing, level1 65 dB SPL.
void BM_haspi_v2_6s_pair(benchmark::State& state) {
  const char* oracles = std::getenv("EARSHOT_ORACLES");
  const char* corpus = std::getenv("EARSHOT_CORPUS");
  if (!oracles && !corpus) {
    state.SkipWithError("EARSHOT_CORPUS (or EARSHOT_ORACLES) not set: the benchmark runs on the oracle's pair");
    return;
  }
  const fs::path dir = (oracles ? fs::path(oracles) : fs::path(corpus).parent_path() / "oracles") / "haspi";
  const auto ref = earshot::cli::read_audio(dir / "clean" / "vctk_p286_011_M_en.wav");
  const auto test = earshot::cli::read_audio(dir / "degraded" / "vctk_p286_011_M_en__cafe__snr0dB.wav");
  const std::vector<double> x(ref.channels.front().begin(), ref.channels.front().end());
  const std::vector<double> y(test.channels.front().begin(), test.channels.front().end());
  for (auto _ : state) {
    earshot::RandomSource random(0);
    benchmark::DoNotOptimize(earshot::haspi_v2(x, ref.info.sample_rate_hz, y, test.info.sample_rate_hz, {0, 0, 0, 0, 0, 0}, 65.0, random));
  }
}
BENCHMARK(BM_haspi_v2_6s_pair)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
// HASQI v2 of the oracle README's 6.0 s speed-anchor pair (../shared/oracles/haspi: vctk_p286_011
// clean against its café noise at 0 dB SNR, 24 kHz, normal hearing, level1 65 dB SPL), ear model
// included: pyclarity's hasqi_v2 takes 5.97 s on it (warm, one thread, the README's figure).
void BM_hasqi_v2_6s_pair(benchmark::State& state) {
  fs::path oracles;
  if (const char* o = std::getenv("EARSHOT_ORACLES")) oracles = o;
  else if (const char* corpus = std::getenv("EARSHOT_CORPUS")) oracles = fs::path(corpus).parent_path() / "oracles";
  const fs::path dir = oracles / "haspi";
  if (oracles.empty() || !fs::exists(dir / "values.csv")) {
    state.SkipWithError("EARSHOT_CORPUS (or EARSHOT_ORACLES) not set: the benchmark runs on the oracle's pair");
    return;
  }
  auto read = [](const fs::path& p) {
    const auto c = earshot::cli::read_audio(p).channels.front();
    return std::vector<double>(c.begin(), c.end());
  };
  const std::vector<double> clean = read(dir / "clean" / "vctk_p286_011_M_en.wav");
  const std::vector<double> noisy = read(dir / "degraded" / "vctk_p286_011_M_en__cafe__snr0dB.wav");
  for (auto _ : state) {
    earshot::RandomSource random(0);
    benchmark::DoNotOptimize(earshot::hasqi_v2(clean, 24000.0, noisy, 24000.0, {0, 0, 0, 0, 0, 0}, 65.0, random));
  }
  state.counters["x_pyclarity"] = benchmark::Counter(5.97 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_hasqi_v2_6s_pair)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
