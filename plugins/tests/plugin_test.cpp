// The plugin as hosts load it: the LV2 bundle and the CLAP binary through the project's own small
// hosts (lv2_host.hpp says why not lv2apply), against `earshot render` (the CLI) on corpus speech.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "metrics/band_levels.hpp"
#include "lv2_host.hpp"
#include "plugin_files.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kRate = 48000.0;
constexpr double kCalibration = 100.0;  // the plugin's default calibration_db_spl

#define NEED_SPEECH(x) \
  if ((x).empty()) GTEST_SKIP() << "EARSHOT_CORPUS not set: plugin tests on corpus speech skipped"

Lv2Run lv2(const std::vector<float>& speech, const std::map<std::string, double>& controls) {
  return run_lv2(EARSHOT_PLUGIN_BIN_DIR "/earshot_listener.lv2", kPluginUri, speech, kRate, controls);
}

std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("earshot_plugin_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// x shifted earlier by `latency` frames (the plugin's output aligned with its input).
std::vector<float> aligned(const std::vector<float>& x, int latency) {
  return std::vector<float>(x.begin() + latency, x.end());
}

// The worst third-octave band difference (125 Hz ... 8 kHz) between a and b over [from, to) frames.
double worst_band_difference_db(const std::vector<float>& a, const std::vector<float>& b, std::size_t from, std::size_t to) {
  const auto la = third_octave_levels(a.data() + from, to - from, kRate, kCalibration);
  const auto lb = third_octave_levels(b.data() + from, to - from, kRate, kCalibration);
  double worst = 0.0;
  for (std::size_t k = 0; k < la.size(); ++k) {
    std::printf("  %6.0f Hz: %6.2f vs %6.2f dB SPL\n", la[k].nominal_hz, la[k].level_db, lb[k].level_db);
    worst = std::max(worst, std::abs(la[k].level_db - lb[k].level_db));
  }
  return worst;
}

// `earshot render --listener LISTENER --calibration 100` of the speech (the CLI, as users run it),
// from the stereo file the plugin gets (both ears, each with its own seed as the plugin's).
std::array<std::vector<float>, 2> cli_render(const std::filesystem::path& dir, const char* listener) {
  const std::string command = std::string("'") + EARSHOT_BINARY + "' render '" + (dir / "in.wav").string() + "' '" +
                              (dir / "cli.wav").string() + "' --listener " + listener + " --calibration 100 > /dev/null";
  if (std::system(command.c_str()) != 0) return {};
  return read_stereo_wav(dir / "cli.wav");
}

TEST(Plugin, Lv2AppliesN3AsTheCliRendersIt) {
  const auto speech = plugin_speech();
  NEED_SPEECH(speech);
  const auto dir = scratch_dir("n3");
  write_stereo_wav(dir / "in.wav", speech, speech, kRate);
  const auto run = lv2(speech, {{"left_preset", 3}});
  ASSERT_TRUE(run.ok) << run.error;
  const auto& out = run.out;
  const int latency = run.latency_frames;
  ASSERT_GT(latency, 0);
  const auto reference = cli_render(dir, "N3");
  ASSERT_EQ(reference[0].size(), speech.size());
  const std::size_t to = speech.size() - latency;
  for (int ear = 0; ear < 2; ++ear) {
    std::printf("ear %d, LV2 N3 vs earshot render --listener N3:\n", ear);
    const double worst = worst_band_difference_db(aligned(out[ear], latency), reference[ear], 0, to);
    std::printf("ear %d: worst third-octave band difference %.3f dB (latency %d frames)\n", ear, worst, latency);
    EXPECT_LT(worst, 0.5) << "ear " << ear;
  }
  std::filesystem::remove_all(dir);
}

TEST(Plugin, SeverityZeroGivesBackTheInput) {
  const auto speech = plugin_speech();
  NEED_SPEECH(speech);
  const auto run = lv2(speech, {{"left_preset", 3}, {"severity", 0}});
  ASSERT_TRUE(run.ok) << run.error;
  const int latency = run.latency_frames;
  ASSERT_GT(latency, 0);
  double worst = 0.0;
  for (int ear = 0; ear < 2; ++ear) {
    for (std::size_t i = 0; i + latency < speech.size(); ++i) {
      worst = std::max(worst, double(std::abs(run.out[ear][i + latency] - speech[i])));
    }
  }
  std::printf("severity 0: largest difference from the input after %d frames: %.3g\n", latency, worst);
  EXPECT_LT(worst, 1e-5);
}

TEST(Plugin, ClapHostGetsTheLv2Output) {
  const auto speech = plugin_speech();
  NEED_SPEECH(speech);
  const auto run = lv2(speech, {{"left_preset", 3}});
  ASSERT_TRUE(run.ok) << run.error;
  const auto clap = run_clap(speech, kRate, {{"left_preset", 3}});
  EXPECT_EQ(clap.latency_frames, run.latency_frames);
  double worst = 0.0;
  for (int ear = 0; ear < 2; ++ear) {
    for (std::size_t i = 0; i < speech.size(); ++i) worst = std::max(worst, double(std::abs(clap.out[ear][i] - run.out[ear][i])));
  }
  std::printf("CLAP (blocks of 256) vs LV2 (blocks of 512), N3: largest sample difference %.3g\n", worst);
  EXPECT_LT(worst, 1e-5);
}

TEST(Plugin, AutomatedSeverityMovesWithoutClicks) {
  // severity 0 -> 100 % over 10 s, a new value every block (256 frames), for an acoustic preset
  // (a per-place move) and an implant (an equal-power crossfade): no sample step beyond the
  // largest of a static render of either end, and no spectral-flux spike beyond 1.25 times either
  // end's largest (the scene tests' bounds, tests/scene_test.cpp).
  const auto speech = plugin_speech(10.0);
  NEED_SPEECH(speech);
  const double blocks = std::ceil(speech.size() / 256.0);
  for (double preset : {3.0, 11.0}) {  // N3, ci:nucleus-ace
    const auto moving = run_clap(speech, kRate, {{"left_preset", preset}, {"severity", 0}}, 256,
                                 [&](std::size_t b, const ClapSetter& set) { set("severity", 100.0 * b / (blocks - 1)); });
    // Severity 0 is the input itself after the latency (SeverityZeroGivesBackTheInput).
    std::array<std::vector<float>, 2> from;
    from[0].assign(speech.size(), 0.0f);
    std::copy(speech.begin(), speech.end() - moving.latency_frames, from[0].begin() + moving.latency_frames);
    from[1] = from[0];
    const auto to = run_clap(speech, kRate, {{"left_preset", preset}, {"severity", 100}});
    for (int ear = 0; ear < 2; ++ear) {
      const double step = largest_step(moving.out[ear], 0, speech.size());
      const double step_bound = std::max(largest_step(from[ear], 0, speech.size()), largest_step(to.out[ear], 0, speech.size()));
      const double flux = largest_flux(moving.out[ear], 0, speech.size());
      const double flux_bound =
          1.25 * std::max(largest_flux(from[ear], 0, speech.size()), largest_flux(to.out[ear], 0, speech.size()));
      std::printf("preset %.0f ear %d: largest step %.4f (bound %.4f), largest flux %.2f (bound %.2f)\n", preset, ear, step,
                  step_bound, flux, flux_bound);
      EXPECT_LE(step, step_bound) << "preset " << preset;
      EXPECT_LE(flux, flux_bound) << "preset " << preset;
    }
  }
}

}  // namespace
}  // namespace earshot::test
