// The plugin as hosts load it: the LV2 bundle and the CLAP binary through the project's own small
// hosts (lv2_host.hpp says why not lv2apply), against `earshot render` (the CLI) on corpus speech.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "audiology/prescription.hpp"
#include "dsp/speech_level.hpp"
#include "formats/listener_spec_parser.hpp"
#include "metrics/band_levels.hpp"
#include "lv2_host.hpp"
#include "plugins/earshot/listener_bank.hpp"
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
// `extra`: more options, e.g. "--aid nal-r".
std::array<std::vector<float>, 2> cli_render(const std::filesystem::path& dir, const char* listener,
                                             const std::string& extra = "") {
  const std::string command = std::string("'") + EARSHOT_BINARY + "' render '" + (dir / "in.wav").string() + "' '" +
                              (dir / "cli.wav").string() + "' --listener " + listener + " --calibration 100 " + extra +
                              " > /dev/null";
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

// ---- The hearing aid (left_aid ... aid_mpo_db_spl) ----

// The largest sample difference between the plugin's output after its latency and a reference.
double largest_aligned_difference(const std::array<std::vector<float>, 2>& out, int latency,
                                  const std::array<std::vector<float>, 2>& reference) {
  double worst = 0.0;
  for (int ear = 0; ear < 2; ++ear) {
    for (std::size_t i = 0; i + latency < out[ear].size() && i < reference[ear].size(); ++i) {
      worst = std::max(worst, double(std::abs(out[ear][i + latency] - reference[ear][i])));
    }
  }
  return worst;
}

TEST(PluginAid, Lv2WithAnNalRAidRendersN3AsTheCliRendersIt) {
  // left_aid on (the ears linked: both), its rule the default NAL-R: the ears are the CLI's
  // `--listener N3 --aid nal-r`, designed the same way (aided_plan) and rendered by the same
  // processor, so after the latency the samples agree to float rounding.
  const auto speech = plugin_speech();
  NEED_SPEECH(speech);
  const auto dir = scratch_dir("n3_aid");
  write_stereo_wav(dir / "in.wav", speech, speech, kRate);
  const auto run = lv2(speech, {{"left_preset", 3}, {"left_aid", 1}});
  ASSERT_TRUE(run.ok) << run.error;
  const int latency = run.latency_frames;
  EXPECT_EQ(latency, plugin::plugin_latency_frames(kRate));
  const auto reference = cli_render(dir, "N3", "--aid nal-r");
  ASSERT_EQ(reference[0].size(), speech.size());
  const double worst = largest_aligned_difference(run.out, latency, reference);
  std::printf("LV2 N3 + nal-r vs earshot render --listener N3 --aid nal-r: largest sample difference %.3g "
              "(latency %d frames)\n", worst, latency);
  EXPECT_LT(worst, 1e-5);
  for (int ear = 0; ear < 2; ++ear) {
    const double band = worst_band_difference_db(aligned(run.out[ear], latency), reference[ear], 0, speech.size() - latency);
    std::printf("ear %d: worst third-octave band difference %.3f dB\n", ear, band);
    EXPECT_LT(band, 0.05) << "ear " << ear;
  }
  std::filesystem::remove_all(dir);
}

TEST(PluginAid, ClapWithACompressingAidRendersAsTheCli) {
  // The rule, compression, noise reduction and MPO are design settings (the bank is designed for
  // them), given before activation as a host restoring a project does: fig6 with wdrc, nr and a
  // 105 dB SPL MPO on N4, against `--aid fig6,wdrc,nr,mpo=105` at the same calibration.
  const auto speech = plugin_speech();
  NEED_SPEECH(speech);
  const auto dir = scratch_dir("n4_aid");
  write_stereo_wav(dir / "in.wav", speech, speech, kRate);
  const auto run = run_clap(speech, kRate,
                            {{"left_preset", 4}, {"left_aid", 1}, {"left_aid_rule", 2}, {"aid_wdrc", 1}, {"aid_nr", 1},
                             {"aid_mpo_db_spl", 105}});
  ASSERT_EQ(run.latency_frames, plugin::plugin_latency_frames(kRate));
  const auto reference = cli_render(dir, "N4", "--aid fig6,wdrc,nr,mpo=105");
  ASSERT_EQ(reference[0].size(), speech.size());
  const double worst = largest_aligned_difference(run.out, run.latency_frames, reference);
  std::printf("CLAP N4 + fig6,wdrc,nr,mpo=105 vs the CLI: largest sample difference %.3g\n", worst);
  EXPECT_LT(worst, 1e-5);
  std::filesystem::remove_all(dir);
}

TEST(PluginAid, AnImpulseLandsAtTheReportedLatencyWithEveryAid) {
  // Normal hearing is the model's identity and NAL-R gives a normal ear no gain, so an impulse
  // comes out of an aided normal ear as the aid's (linear-phase) response: its peak must be the
  // impulse moved by exactly the reported latency, for the linear aid, the compressor, and the
  // compressor behind noise reduction (the slowest: the latency makes room for it).
  std::vector<float> x(kRate, 0.0f);
  const std::size_t at = 12000;
  x[at] = 0.5f;
  const struct { const char* what; std::map<std::string, double> settings; } aids[] = {
      {"nal-r", {{"left_aid", 1}}},
      {"nal-r,wdrc", {{"left_aid", 1}, {"aid_wdrc", 1}}},
      {"nal-r,wdrc,nr", {{"left_aid", 1}, {"aid_wdrc", 1}, {"aid_nr", 1}}},
  };
  const auto unaided = run_clap(x, kRate, {});
  for (const auto& aid : aids) {
    const auto run = run_clap(x, kRate, aid.settings);
    EXPECT_EQ(run.latency_frames, unaided.latency_frames) << aid.what;
    for (int ear = 0; ear < 2; ++ear) {
      std::size_t peak = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::abs(run.out[ear][i]) > std::abs(run.out[ear][peak])) peak = i;
      }
      std::printf("%s, ear %d: peak %.4f at frame %zu = impulse + %zd (reported latency %d)\n", aid.what, ear,
                  run.out[ear][peak], peak, std::ptrdiff_t(peak) - std::ptrdiff_t(at), run.latency_frames);
      EXPECT_EQ(peak, at + run.latency_frames) << aid.what << " ear " << ear;
      EXPECT_GT(std::abs(run.out[ear][peak]), 0.25f) << aid.what << " ear " << ear;
    }
  }
  // The LV2 reports the same latency.
  const auto lv2_run = lv2(x, {{"left_aid", 1}});
  ASSERT_TRUE(lv2_run.ok) << lv2_run.error;
  EXPECT_EQ(lv2_run.latency_frames, unaided.latency_frames);
}

TEST(PluginAid, AnNalRAidRaisesSpeechAt55DbSplAtTheEar) {
  // Soft speech (55 dB SPL, P.56 active level) through N3: with its NAL-R aid the sound at the
  // ear is louder where the aid amplifies. Asserted: the 2 and 4 kHz third-octave bands at the ear
  // rise by more than the insertion gain NAL-R prescribes there (the aid adds that gain in front of
  // the ear; the model's loudness recruitment makes the rise at the ear larger, not smaller), and
  // the overall level by more than 3 dB.
  auto speech = plugin_speech();
  NEED_SPEECH(speech);
  ActiveSpeechLevelMeter meter(kRate);
  meter.add(speech.data(), speech.size());
  const float scale = float(std::pow(10.0, (55.0 - kCalibration - meter.result().active_db) / 20.0));
  for (auto& v : speech) v *= scale;
  const auto unaided = lv2(speech, {{"left_preset", 3}});
  const auto aided = lv2(speech, {{"left_preset", 3}, {"left_aid", 1}});
  ASSERT_TRUE(unaided.ok && aided.ok);
  const auto prescription = prescribe(PrescriptionRule::nal_r, parse_listener_spec("N3").value().left.air_db_hl);
  const int latency = aided.latency_frames;
  const std::size_t n = speech.size() - latency;
  for (int ear = 0; ear < 2; ++ear) {
    const auto a = third_octave_levels(aided.out[ear].data() + latency, n, kRate, kCalibration);
    const auto u = third_octave_levels(unaided.out[ear].data() + latency, n, kRate, kCalibration);
    for (std::size_t k = 0; k < a.size(); ++k) {
      const double gain = prescription.gain_db(0, a[k].nominal_hz);
      std::printf("  ear %d %6.0f Hz: unaided %6.1f, aided %6.1f dB SPL (NAL-R insertion gain %.1f dB)\n", ear,
                  a[k].nominal_hz, u[k].level_db, a[k].level_db, gain);
      if (a[k].nominal_hz == 2000.0 || a[k].nominal_hz == 4000.0) {
        EXPECT_GT(a[k].level_db - u[k].level_db, gain) << "ear " << ear << " at " << a[k].nominal_hz << " Hz";
      }
    }
    const double la = level_db(aided.out[ear].data() + latency, n, kCalibration);
    const double lu = level_db(unaided.out[ear].data() + latency, n, kCalibration);
    std::printf("ear %d: %.1f dB SPL aided against %.1f unaided\n", ear, la, lu);
    EXPECT_GT(la, lu + 3.0) << "ear " << ear;
  }
}

TEST(PluginAid, SwitchingTheAidOnAndOffGivesNoClick) {
  // N3, left_aid switched on at 2 s, off at 4 s and on at 6 s of 8 s of speech (the ears linked):
  // each switch is taken at the block it is asked in, the incoming chain hears the input for the
  // latency, then a 20 ms linear fade. Around each fade (100 ms either side): no sample step
  // beyond the largest of a static render of either state, and no spectral-flux spike beyond 1.25
  // times either's largest (the bounds of the severity test). Away from the fades, the switched
  // ear is the other state's level: the switch was heard. (Not its samples: an ear's processor
  // restarts its smearing noise and analysis frames when it is switched to, so it renders another
  // realisation of the same ear.)
  const auto speech = plugin_speech(8.0);
  NEED_SPEECH(speech);
  const std::size_t block = 256;
  const double switches_s[] = {2.0, 4.0, 6.0};
  const auto switching = run_clap(speech, kRate, {{"left_preset", 3}}, int(block), [&](std::size_t b, const ClapSetter& set) {
    const double t = double(b * block) / kRate;
    set("left_aid", (t >= 2.0 && t < 4.0) || t >= 6.0 ? 1.0 : 0.0);
  });
  const auto off = run_clap(speech, kRate, {{"left_preset", 3}});
  const auto on = run_clap(speech, kRate, {{"left_preset", 3}, {"left_aid", 1}});
  const std::size_t latency = std::size_t(switching.latency_frames), fade = std::size_t(0.02 * kRate), margin = std::size_t(0.1 * kRate);
  for (int ear = 0; ear < 2; ++ear) {
    const double step_bound = std::max(largest_step(off.out[ear], 0, speech.size()), largest_step(on.out[ear], 0, speech.size()));
    const double flux_bound = 1.25 * std::max(largest_flux(off.out[ear], 0, speech.size()), largest_flux(on.out[ear], 0, speech.size()));
    for (double t : switches_s) {
      const std::size_t from = std::size_t(t * kRate) + latency - margin, to = std::size_t(t * kRate) + latency + fade + margin;
      const double step = largest_step(switching.out[ear], from, to);
      const double flux = largest_flux(switching.out[ear], from, to);
      std::printf("ear %d, switch at %.0f s: largest step %.4f (bound %.4f), largest flux %.2f (bound %.2f)\n", ear, t, step,
                  step_bound, flux, flux_bound);
      EXPECT_LE(step, step_bound) << "ear " << ear << " at " << t << " s";
      EXPECT_LE(flux, flux_bound) << "ear " << ear << " at " << t << " s";
    }
    const auto level = [&](const std::vector<float>& x, double from_s, double to_s) {
      return level_db(x.data() + std::size_t(from_s * kRate), std::size_t((to_s - from_s) * kRate), kCalibration);
    };
    const double aided = level(switching.out[ear], 2.5, 3.9), aided_static = level(on.out[ear], 2.5, 3.9);
    const double unaided = level(switching.out[ear], 4.5, 5.9), unaided_static = level(off.out[ear], 4.5, 5.9);
    std::printf("ear %d: 2.5-3.9 s %.2f dB SPL (aided throughout %.2f); 4.5-5.9 s %.2f (unaided throughout %.2f)\n", ear,
                aided, aided_static, unaided, unaided_static);
    EXPECT_NEAR(aided, aided_static, 0.5) << "ear " << ear;
    EXPECT_NEAR(unaided, unaided_static, 0.5) << "ear " << ear;
  }
}

}  // namespace
}  // namespace earshot::test
