// Real-time factor of a scene (issue #4's target: at least 50x real time on one core): 5 minutes
// of 44.1 kHz corpus speech (EARSHOT_CORPUS) through six transitions — two slides, a sudden
// loss, a perspective cut, a cut into cochlear implants with their character, processors off —
// with a tinnitus and a masker layer, both ears, through SceneRenderer in 512-frame blocks.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "apps/cli/audio_file.hpp"
#include "formats/listener_spec_parser.hpp"
#include "scene/scene_renderer.hpp"

namespace {
namespace fs = std::filesystem;

constexpr double kFs = 44100.0, kSeconds = 300.0;

std::vector<float> five_minutes_of_speech() {
  const char* corpus = std::getenv("EARSHOT_CORPUS");
  if (!corpus) return {};
  std::vector<float> speech;
  for (const char* name : {"clarity_T010_G0N_02468_F_en.wav", "slr83_som_04766_05_M_en.wav"}) {
    const fs::path p = fs::path(corpus) / "speech" / name;
    if (!fs::exists(p)) continue;
    const auto audio = earshot::cli::read_audio(p);
    speech.insert(speech.end(), audio.channels.front().begin(), audio.channels.front().end());
  }
  if (speech.empty()) return {};
  std::vector<float> out(static_cast<std::size_t>(kSeconds * kFs));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = speech[i % speech.size()];
  return out;
}

earshot::SceneSpec five_minute_arc() {
  using namespace earshot;
  SceneSpec s;
  s.sample_rate_hz = kFs;
  s.duration_s = kSeconds;
  s.calibration_db_spl = 90.0;
  auto key = [](double t, const char* who, double transition, TransitionCurve curve, double perspective) {
    SceneKeyframe k;
    k.time_s = t;
    k.listener = parse_listener_spec(who).value();
    k.transition_s = transition;
    k.curve = curve;
    k.perspective = perspective;
    return k;
  };
  const char* profound = "250:90,500:100,1000:105,2000:110,4000:115,8000:120";
  s.keyframes = {key(0, "normal", 0, TransitionCurve::linear, 0),
                 key(30, "N3", 30, TransitionCurve::linear, 0),
                 key(80, "N6", 20, TransitionCurve::smooth, 0),
                 key(120, profound, 5, TransitionCurve::exponential, 0),
                 key(150, profound, 0, TransitionCurve::cut, 1),
                 key(160, "ci:nucleus-ace", 0, TransitionCurve::cut, 0),
                 key(260, "deaf", 0, TransitionCurve::cut, 0)};
  TinnitusLayer t;
  t.params.frequency_hz = 5200.0;
  t.params.level_db_spl = 42.0;
  t.params.wander_db = 3.0;
  t.params.span = {115.0, 165.0, 3.0};
  s.tinnitus.push_back(t);
  MaskerLayer m;
  m.params.colour = NoiseColour::pink;
  m.params.level_db_spl = 50.0;
  m.params.span = {30.0, 90.0, 2.0};
  s.maskers.push_back(m);
  ImplantCharacterLayer c;
  c.params.start_s = 160.0;
  c.params.acclimatisation_s = 20.0;
  s.characters.push_back(c);
  return s;
}

void BM_scene_5min_6_transitions_44k(benchmark::State& state) {
  static const std::vector<float> input = five_minutes_of_speech();
  if (input.empty()) {
    state.SkipWithError("EARSHOT_CORPUS not set: the benchmark runs on real speech");
    return;
  }
  auto plan = std::make_shared<const earshot::ScenePlan>(earshot::design_scene(five_minute_arc()).value());
  earshot::SceneRenderer renderer;
  renderer.prepare(plan);
  constexpr int kBlock = 512;
  std::vector<float> left(kBlock), right(kBlock);
  earshot::SceneOutputs out;
  out.mix = {left.data(), right.data()};
  for (auto _ : state) {
    renderer.reset();
    for (std::size_t i = 0; i < input.size(); i += kBlock) {
      const int n = static_cast<int>(std::min<std::size_t>(kBlock, input.size() - i));
      renderer.process({input.data() + i, input.data() + i}, out, n);
      benchmark::DoNotOptimize(left.data());
    }
  }
  state.counters["x_realtime"] = benchmark::Counter(kSeconds * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_scene_5min_6_transitions_44k)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
