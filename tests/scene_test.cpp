// Scenes (issue #4): a held state renders as the static render of its listener; a move renders
// the intermediate audiogram; transitions do not click; tinnitus and maskers come out at their
// levels; bad scenes are refused with field and time; same seed, same samples.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <complex>
#include <numbers>
#include <random>

#include "dsp/real_fft.hpp"
#include "metrics/band_levels.hpp"
#include "audiology/reference_threshold.hpp"
#include "scene/implant_character.hpp"
#include "scene/scene_renderer.hpp"
#include "dsp/speech_level.hpp"
#include "formats/scene_file.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kFs = 44100.0;
const char* kFlat60 = "250:60,500:60,1000:60,2000:60,4000:60,8000:60";
const char* kFlat30 = "250:30,500:30,1000:30,2000:30,4000:30,8000:30";

// Corpus speech (44.1 kHz), repeated to `seconds`.
std::vector<float> speech(double seconds) {
  const auto dir = corpus_dir();
  if (!dir) return {};
  const std::vector<float> once = read_mono(*dir / "speech/slr83_som_04766_05_M_en.wav");
  std::vector<float> out(static_cast<std::size_t>(seconds * kFs));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = once[i % once.size()];
  return out;
}

// The calibration that presents x's active speech level at 65 dB SPL.
double calibration_for(const std::vector<float>& x) {
  ActiveSpeechLevelMeter meter(kFs);
  meter.add(x.data(), x.size());
  return 65.0 - meter.result().active_db;
}

SceneSpec scene(double seconds, double calibration_db_spl) {
  SceneSpec s;
  s.sample_rate_hz = kFs;
  s.duration_s = seconds;
  s.calibration_db_spl = calibration_db_spl;
  return s;
}

SceneRender run(const SceneSpec& spec, const std::vector<float>& mono, bool stems = false) {
  auto plan = design_scene(spec);
  EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : describe(plan.errors()));
  if (!plan.ok()) return {};
  return render_scene(std::make_shared<const ScenePlan>(std::move(plan).value()), {mono, mono}, stems);
}

std::vector<float> slice(const std::vector<float>& x, double from_s, double to_s) {
  return {x.begin() + static_cast<std::ptrdiff_t>(from_s * kFs), x.begin() + static_cast<std::ptrdiff_t>(to_s * kFs)};
}

std::vector<float> static_render(const std::vector<float>& input, const std::string& who, double calibration_db_spl) {
  HearingLossParams params;
  params.sample_rate_hz = kFs;
  params.calibration_db_spl = calibration_db_spl;
  return render(input, listener(who), params);
}

// Largest difference in third-octave band level (250 Hz - 6.3 kHz, bands the static render
// carries above 10 dB SPL) between two renders over [from, to).
double worst_band_difference_db(const std::vector<float>& a, const std::vector<float>& b, double from_s, double to_s, double cal) {
  const auto sa = slice(a, from_s, to_s), sb = slice(b, from_s, to_s);
  const auto la = third_octave_levels(sa.data(), sa.size(), kFs, cal, -6, 8);
  const auto lb = third_octave_levels(sb.data(), sb.size(), kFs, cal, -6, 8);
  double worst = 0.0;
  for (std::size_t i = 0; i < la.size(); ++i) {
    if (lb[i].level_db < 10.0) continue;
    worst = std::max(worst, std::abs(la[i].level_db - lb[i].level_db));
  }
  return worst;
}

// Level (dB SPL) of the component at exactly `hz` over [from, to) (one DFT bin of the span).
double level_at_frequency(const std::vector<float>& x, double hz, double from_s, double to_s, double cal) {
  const auto s = slice(x, from_s, to_s);
  std::complex<double> sum = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) sum += double(s[i]) * std::polar(1.0, -2.0 * std::numbers::pi * hz * i / kFs);
  const double amplitude = 2.0 * std::abs(sum) / s.size();
  return 20.0 * std::log10(amplitude / std::numbers::sqrt2) + cal;
}

#define NEED_SPEECH(x) \
  if ((x).empty()) GTEST_SKIP() << "EARSHOT_CORPUS not set: real-speech scene test skipped"

TEST(Scene, HeldStateAfterAMoveRendersAsTheStaticListener) {
  // The held span is 16 s: smearing's random phases alone move a third-octave band of a 6 s span
  // by up to 0.6 dB between two static renders that differ only in their seed (S2, seeds 1-5).
  const auto input = speech(20.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  for (const char* target : {"N4", "S2"}) {
    SceneSpec s = scene(20.0, cal);
    s.keyframes = {keyframe(0, "normal"), keyframe(1.0, target, 2.0)};
    const auto out = run(s, input);
    const double worst = worst_band_difference_db(out.mix[0], static_render(input, target, cal), 4.0, 20.0, cal);
    std::printf("held %s after a 2 s move: worst third-octave band difference from a static render %.3f dB\n", target, worst);
    EXPECT_LT(worst, 0.5) << target;
  }
}

TEST(Scene, FinalStateHoldsPastTheTimelinesEnd) {
  // `earshot live --scene` renders on after the timeline's last moment: the final state (here N5
  // with a tinnitus) holds, as it sounded before the end, and as a static N5 render of the tone.
  SceneSpec s = scene(1.0, 100.0);
  s.keyframes = {keyframe(0, "normal"), keyframe(0.2, "N5", 0.3)};
  TinnitusLayer ringing;
  ringing.params.frequency_hz = 4000.0;
  ringing.params.level_db_spl = 40.0;
  ringing.params.span.start_s = 0.5;
  ringing.params.span.ramp_s = 0.1;
  s.tinnitus.push_back(ringing);
  EXPECT_DOUBLE_EQ(last_moment_s(s), 0.6);  // the tinnitus's ramp in ends after the move (0.5 s)
  auto plan = design_scene(s);
  ASSERT_TRUE(plan.ok()) << describe(plan.errors());
  SceneRenderer renderer;
  renderer.prepare(std::make_shared<const ScenePlan>(std::move(plan).value()));
  const std::vector<float> input = tone(1000.0, 90.0, kFs, 3.0);  // well above N5's threshold there
  std::vector<float> out(input.size()), right(input.size());
  for (std::size_t at = 0; at < input.size(); at += 512) {
    const int n = static_cast<int>(std::min<std::size_t>(512, input.size() - at));
    SceneOutputs o;
    o.mix = {out.data() + at, right.data() + at};
    renderer.process({input.data() + at, input.data() + at}, o, n);
  }
  const std::size_t latency = static_cast<std::size_t>(renderer.latency_frames());
  const std::vector<float> heard(out.begin() + static_cast<std::ptrdiff_t>(latency), out.end());  // timeline frames
  const double before_end = level_at_frequency(heard, 1000.0, 0.7, 1.0, 100.0);
  const double long_after = level_at_frequency(heard, 1000.0, 2.0, 2.9, 100.0);
  const double statically = level_at_frequency(static_render(input, "N5", 100.0), 1000.0, 2.0, 2.9, 100.0);
  const double ringing_after = level_at_frequency(heard, 4000.0, 2.0, 2.9, 100.0);
  std::printf("1 kHz through N5: %.2f dB SPL before the end, %.2f dB SPL 1-2 s after it, %.2f static; tinnitus %.2f dB SPL\n",
              before_end, long_after, statically, ringing_after);
  EXPECT_NEAR(long_after, before_end, 0.5);
  EXPECT_NEAR(long_after, statically, 0.5);
  EXPECT_NEAR(ringing_after, 40.0, 0.5);
}

TEST(Scene, HeldImplantAfterACutRendersAsTheStaticImplant) {
  // The implant's noise carriers are a different stretch of the same random process when its
  // processor starts mid-scene, so the held span is long (27 s) for the band levels to settle.
  const auto input = speech(30.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  SceneSpec s = scene(30.0, cal);
  s.keyframes = {keyframe(0, "N3"), keyframe(1.5, "ci:nucleus-ace", 0.0, TransitionCurve::cut)};
  const auto out = run(s, input);
  const double worst = worst_band_difference_db(out.mix[0], static_render(input, "ci:nucleus-ace", cal), 3.0, 30.0, cal);
  std::printf("held ci:nucleus-ace after a cut: worst third-octave band difference from a static render %.3f dB\n", worst);
  EXPECT_LT(worst, 0.5);
}

TEST(Scene, HalfwayThroughAMoveTheThresholdIsHalfwayInDb) {
  // A 1 kHz tone while the listener moves from normal to a flat 60 dB HL loss over 20 s: at the
  // middle it comes out as a flat 30 dB HL listener renders it (thresholds and recruitment
  // interpolated per place in dB).
  SceneSpec s = scene(22.0, 100.0);
  s.keyframes = {keyframe(0, "normal"), keyframe(1.0, kFlat60, 20.0)};
  for (double level : {50.0, 70.0}) {
    const auto tone_in = tone(1000.0, level, kFs, 22.0);
    const auto out = run(s, tone_in);
    const double moving = level_at_frequency(out.mix[0], 1000.0, 10.75, 11.25, 100.0);
    const auto still = static_render(tone_in, kFlat30, 100.0);
    const double expected = level_at_frequency(still, 1000.0, 10.75, 11.25, 100.0);
    std::printf("1 kHz at %.0f dB SPL halfway from normal to flat 60 dB HL: %.2f dB SPL; flat 30 dB HL static: %.2f dB SPL\n", level,
                moving, expected);
    EXPECT_NEAR(moving, expected, 1.0);
  }
}

TEST(Scene, TransitionsDoNotClick) {
  // Every kind of change: a move between acoustic states, a cut into an implant, a cut to no
  // hearing, a perspective cut to the room. Across each, no sample step beyond the largest in a
  // static render of either side, and no spectral-flux spike beyond 1.25 times either side's largest.
  const auto input = speech(9.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  SceneSpec s = scene(9.0, cal);
  s.keyframes = {keyframe(0, "normal"), keyframe(1.5, "N4", 1.0), keyframe(3.5, "ci:nucleus-ace", 0.0, TransitionCurve::cut),
                 keyframe(5.5, "deaf", 0.0, TransitionCurve::cut), keyframe(7.0, "deaf", 0.0, TransitionCurve::cut, 1.0)};
  const auto out = run(s, input);
  std::vector<std::vector<float>> sides;
  for (const char* who : {"normal", "N4", "ci:nucleus-ace", "deaf"}) sides.push_back(static_render(input, who, cal));
  sides.push_back(input);  // the room's perspective
  for (std::size_t k = 1; k < s.keyframes.size(); ++k) {
    const auto& from = sides[k - 1];
    const auto& to = sides[k];
    const auto a = static_cast<std::size_t>((s.keyframes[k].time_s - 0.1) * kFs);
    const auto b = static_cast<std::size_t>((s.keyframes[k].time_s + s.keyframes[k].move_s() + 0.1) * kFs);
    const double step = largest_step(out.mix[0], a, b);
    const double step_bound = std::max(largest_step(from, 0, from.size()), largest_step(to, 0, to.size()));
    const double flux = largest_flux(out.mix[0], a, b);
    const double flux_bound = 1.25 * std::max(largest_flux(from, 0, from.size()), largest_flux(to, 0, to.size()));
    std::printf("transition %zu at %.1f s: largest step %.4f (bound %.4f), largest flux %.2f (bound %.2f)\n", k,
                s.keyframes[k].time_s, step, step_bound, flux, flux_bound);
    EXPECT_LE(step, step_bound) << "transition " << k;
    EXPECT_LE(flux, flux_bound) << "transition " << k;
  }
}

TEST(Scene, TinnitusComesOutAtItsLevel) {
  const auto input = speech(10.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  for (double level : {30.0, 50.0}) {
    SceneSpec s = scene(10.0, cal);
    s.keyframes = {keyframe(0, "N3")};
    TinnitusLayer t;
    t.params.frequency_hz = 4000.0;
    t.params.level_db_spl = level;
    t.params.span = {1.0, 9.0, 0.5};
    s.tinnitus.push_back(t);
    const auto out = run(s, input);
    const double measured = level_at_frequency(out.mix[0], 4000.0, 2.0, 8.0, cal);
    std::printf("tinnitus tone at 4 kHz, %.0f dB SPL: measures %.2f dB SPL in the render\n", level, measured);
    EXPECT_NEAR(measured, level, 1.0);
  }
  // A narrow band: its whole level in its third octave.
  SceneSpec s = scene(10.0, cal);
  s.keyframes = {keyframe(0, "normal")};
  TinnitusLayer t;
  t.params.kind = TinnitusParams::Kind::narrowband;
  t.params.frequency_hz = 3000.0;
  t.params.bandwidth_octaves = 0.2;
  t.params.level_db_spl = 45.0;
  t.params.span = {1.0, 9.0, 0.5};
  s.tinnitus.push_back(t);
  const auto out = run(s, input, true);
  const auto stem = slice(out.layers[0][0], 2.0, 8.0);
  const double band = 10.0 * std::log10(band_powers(stem.data(), stem.size(), kFs, {2000.0}, {4500.0}).front()) + cal;
  std::printf("narrow-band tinnitus at 3 kHz, 45 dB SPL: %.2f dB SPL in 2-4.5 kHz\n", band);
  EXPECT_NEAR(band, 45.0, 1.0);
}

TEST(Scene, TinnitusAtASensationLevelSoundsLikeAToneThatFarAboveThreshold) {
  // 10 dB above an N3 ear's threshold at 2 kHz: as loud in the render as an external 2 kHz tone
  // 10 dB above that threshold is after the N3 model (recruitment makes it more than 10 dB above T0).
  const Listener n3 = listener("N3");
  const double t0 = reference_threshold_db_spl(2000.0, SoundField::free);
  const double threshold = t0 + n3.left.air_loss_db_hl(2000.0);
  // Band levels (an octave around 2 kHz): the model smears the external tone's power around it.
  auto octave_level = [](const std::vector<float>& x) {
    const auto s = slice(x, 1.0, 3.0);
    return 10.0 * std::log10(band_powers(s.data(), s.size(), kFs, {1414.0}, {2828.0}).front()) + 100.0;
  };
  const double expected = octave_level(static_render(tone(2000.0, threshold + 10.0, kFs, 4.0), "N3", 100.0));

  SceneSpec s = scene(4.0, 100.0);
  s.keyframes = {keyframe(0, "N3")};
  TinnitusLayer t;
  t.params.frequency_hz = 2000.0;
  t.params.level_db_sl = 10.0;
  t.params.span = {0.0, 4.0, 0.2};
  s.tinnitus.push_back(t);
  const auto out = run(s, std::vector<float>(static_cast<std::size_t>(4.0 * kFs), 0.0f));
  const double measured = octave_level(out.mix[0]);
  std::printf("tinnitus 10 dB SL at 2 kHz for N3 (T = %.1f dB SPL): %.2f dB SPL; an external tone at T + 10 renders at %.2f dB SPL\n",
              threshold, measured, expected);
  EXPECT_NEAR(measured, expected, 1.0);
  EXPECT_GT(measured, t0 + 10.0 + 5.0) << "recruitment: louder than 10 dB above the normal threshold";
}

TEST(Scene, MaskersHaveTheirLevelAndColour) {
  for (auto colour : {NoiseColour::white, NoiseColour::pink, NoiseColour::brown}) {
    SceneSpec s = scene(12.0, 100.0);
    s.keyframes = {keyframe(0, "normal")};
    MaskerLayer m;
    m.params.colour = colour;
    m.params.level_db_spl = 60.0;
    m.params.span = {0.0, 12.0, 0.0};
    s.maskers.push_back(m);
    const auto out = run(s, std::vector<float>(static_cast<std::size_t>(12.0 * kFs), 0.0f));
    const auto& x = out.mix[1];
    const double level = level_db(x.data(), x.size(), 100.0);
    // Octave bands 250 Hz ... 8 kHz: the slope per octave.
    std::vector<double> lo, hi;
    for (double f = 250.0; f <= 8000.0; f *= 2.0) {
      lo.push_back(f / std::numbers::sqrt2);
      hi.push_back(f * std::numbers::sqrt2);
    }
    const auto p = band_powers(x.data(), x.size(), kFs, lo, hi);
    const double slope = 10.0 * std::log10(p.back() / p.front()) / (p.size() - 1);
    const double expected_slope = colour == NoiseColour::white ? 3.0 : colour == NoiseColour::pink ? 0.0 : -3.0;
    std::printf("%s masker at 60 dB SPL: %.2f dB SPL, octave bands change by %+.2f dB per octave\n", to_string(colour), level, slope);
    EXPECT_NEAR(level, 60.0, 0.5);
    EXPECT_NEAR(slope, expected_slope, 0.5);
  }
}

TEST(Scene, StemsSumToTheMixAndTheSameSeedGivesTheSameSamples) {
  const auto input = speech(6.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  SceneSpec s = scene(6.0, cal);
  s.seed = 11;
  s.keyframes = {keyframe(0, "normal"), keyframe(1.0, "left=N4,right=S2", 1.0), keyframe(3.0, "ci:medel-cis", 0.0, TransitionCurve::cut, 0.3)};
  TinnitusLayer t;
  t.params.kind = TinnitusParams::Kind::narrowband;
  t.params.level_db_spl = 40.0;
  t.params.wander_db = 4.0;
  t.params.span = {0.5, 5.5, 0.5};
  s.tinnitus.push_back(t);
  MaskerLayer m;
  m.ears = EarSelection::left;
  m.params.colour = NoiseColour::pink;
  m.params.level_db_spl = 45.0;
  s.maskers.push_back(m);
  ImplantCharacterLayer c;
  c.params.start_s = 3.0;
  s.characters.push_back(c);
  const auto a = run(s, input, true), b = run(s, input, true);
  EXPECT_EQ(a.mix[0], b.mix[0]);
  EXPECT_EQ(a.mix[1], b.mix[1]);
  double worst = 0.0;
  for (int e = 0; e < 2; ++e) {
    for (std::size_t i = 0; i < a.mix[e].size(); ++i) {
      double sum = a.room[e][i] + a.listener[e][i];
      for (const auto& layer : a.layers) sum += layer[e][i];
      worst = std::max(worst, std::abs(sum - a.mix[e][i]));
    }
  }
  EXPECT_LT(worst, 1e-6) << "room + listener + layers = mix";
  double right_masker = 0.0;
  for (float v : a.layers[1][1]) right_masker = std::max(right_masker, double(std::abs(v)));
  EXPECT_EQ(right_masker, 0.0) << "a left-ear masker is silent on the right";
  s.seed = 12;
  const auto other = run(s, input);
  EXPECT_NE(other.mix[0], a.mix[0]) << "another seed, other random phases and noise";
}

TEST(Scene, ImplantCharacterKeepsTheLevelAndSettles) {
  const auto input = speech(40.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  SceneSpec plain = scene(40.0, cal);
  plain.keyframes = {keyframe(0, "ci:nucleus-ace")};
  SceneSpec shaped = plain;
  ImplantCharacterLayer c;
  c.params.start_s = 1.0;
  c.params.acclimatisation_s = 6.0;
  shaped.characters.push_back(c);
  const auto a = run(plain, input), b = run(shaped, input);
  auto centroid = [&](const std::vector<float>& x, double from, double to) {
    const auto s = slice(x, from, to);
    std::vector<double> lo, hi;
    for (double f = 125.0; f < 8000.0; f *= std::pow(2.0, 1.0 / 3.0)) {
      lo.push_back(f);
      hi.push_back(f * std::pow(2.0, 1.0 / 3.0));
    }
    const auto p = band_powers(s.data(), s.size(), kFs, lo, hi);
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      num += p[i] * std::log2(lo[i]);
      den += p[i];
    }
    return num / den;  // log2 Hz
  };
  auto level = [&](const std::vector<float>& x, double from, double to) {
    const auto s = slice(x, from, to);
    return level_db(s.data(), s.size(), cal);
  };
  const double early = centroid(b.mix[0], 1.5, 6.5) - centroid(a.mix[0], 1.5, 6.5);
  const double late = centroid(b.mix[0], 34.0, 40.0) - centroid(a.mix[0], 34.0, 40.0);
  const double early_level = level(b.mix[0], 1.5, 6.5) - level(a.mix[0], 1.5, 6.5);
  std::printf("implant character: spectral centroid %+.2f octave at switch-on, %+.3f octave after 5 time constants; level %+.2f dB\n",
              early, late, early_level);
  EXPECT_GT(early, 0.1) << "brighter and higher at switch-on";
  EXPECT_LT(std::abs(late), 0.05) << "settled";
  EXPECT_LT(std::abs(early_level), 1.5) << "timbre, not loudness";
}

// The flattened voice's F0: with full pitch flattening (and the other operations off), noise
// comes out periodic at the monotone, within 1.5 % of its setting (the hop is a period rounded to
// a window FFTW transforms without allocating: dsp/fft_size.hpp).
TEST(Scene, ImplantCharacterMonotoneSoundsAtItsSetting) {
  for (double fs : {44100.0, 48000.0, 96000.0}) {
    for (double monotone_hz : {90.0, 110.0, 150.0, 190.0}) {
      ImplantCharacterParams p;
      p.acclimatisation_s = 1e6;
      p.formant_shift_semitones = 0.0;
      p.pitch_flattening = 1.0;
      p.harshness = 0.0;
      p.metallic = 0.0;
      p.monotone_hz = monotone_hz;
      ASSERT_TRUE(validate(p, fs, "character").empty());
      ImplantCharacter character;
      character.prepare(p, fs);
      std::mt19937 random(7);
      std::normal_distribution<float> gauss(0.0f, 0.1f);
      std::vector<float> x(static_cast<std::size_t>(1.5 * fs));
      for (float& v : x) v = gauss(random);
      character.process(x.data(), x.data(), static_cast<int>(x.size()), 0);
      // Autocorrelation over the last 0.5 s, searched from 55 to 420 Hz.
      const auto from = static_cast<std::size_t>(1.0 * fs), to = x.size();
      const int min_lag = static_cast<int>(fs / 420.0), max_lag = static_cast<int>(fs / 55.0);
      double energy = 0.0;
      for (std::size_t i = from; i < to; ++i) energy += double(x[i]) * x[i];
      int best_lag = 0;
      double best = -1.0;
      for (int lag = min_lag; lag <= max_lag; ++lag) {
        double r = 0.0;
        for (std::size_t i = from; i < to; ++i) r += double(x[i]) * x[i - lag];
        if (r > best) {
          best = r;
          best_lag = lag;
        }
      }
      const double f0 = fs / best_lag;
      EXPECT_LT(std::abs(f0 / monotone_hz - 1.0), 0.015) << fs << " Hz, monotone " << monotone_hz << " Hz: " << f0 << " Hz";
      EXPECT_GT(best / energy, 0.5) << fs << " Hz, monotone " << monotone_hz << " Hz: periodic";
      EXPECT_EQ(best_lag * 4, character.latency_frames()) << "one period per hop";
    }
  }
}

TEST(Scene, BadScenesAreRefusedWithFieldAndTime) {
  SceneSpec s = scene(30.0, 100.0);
  s.keyframes = {keyframe(0, "normal"), keyframe(10.0, "N3", 5.0), keyframe(12.0, "N4", 2.0), keyframe(11.0, "N5"), keyframe(40.0, "N2")};
  TinnitusLayer t;
  t.params.level_db_spl = 150.0;
  s.tinnitus.push_back(t);
  SceneKeyframe bad_perspective = keyframe(20.0, "N2", 1.0);
  bad_perspective.perspective = 2.0;
  s.keyframes.insert(s.keyframes.begin() + 4, bad_perspective);
  const std::string all = describe(validate(s));
  std::printf("%s\n", all.c_str());
  EXPECT_NE(all.find("keyframe[2].time_s: at 12 s: starts before keyframe[1]'s transition ends (15 s)"), std::string::npos);
  EXPECT_NE(all.find("keyframe[3].time_s: at 11 s: goes back in time"), std::string::npos);
  EXPECT_NE(all.find("keyframe[4].perspective: at 20 s"), std::string::npos);
  EXPECT_NE(all.find("keyframe[5].time_s: at 40 s: after the scene ends (30 s)"), std::string::npos);
  EXPECT_NE(all.find("tinnitus[0].level_db_spl: 150 dB SPL is outside"), std::string::npos);
  EXPECT_EQ(all.find('\n'), std::string::npos) << "one line";

  // A sensation level needs acoustic hearing while the tinnitus sounds.
  SceneSpec implanted = scene(10.0, 100.0);
  implanted.keyframes = {keyframe(0, "N3"), keyframe(5.0, "ci:nucleus-ace", 0.0, TransitionCurve::cut)};
  TinnitusLayer sl;
  sl.params.level_db_sl = 10.0;
  sl.params.span = {2.0, 8.0, 1.0};
  implanted.tinnitus.push_back(sl);
  const auto designed = design_scene(implanted);
  ASSERT_FALSE(designed.ok());
  EXPECT_NE(describe(designed.errors()).find("tinnitus[0].level_db_sl: at 5 s: the left ear hears through an implant only"), std::string::npos)
      << describe(designed.errors());
}

// Issue 16: a keyframe's `aid` switches a hearing aid on ("nal-r,wdrc") and off ("none") from that
// keyframe on, read from a scene file; the aided stretch is louder in the bands NAL-R amplifies for
// N3 (2 and 4 kHz) and not in the one it leaves nearly alone (250 Hz); it sounds as the static aided
// render does; and the switch, an equal-power crossfade over the keyframe's transition, does not click.
TEST(Scene, AidKeyframesSwitchTheAidOnAndOffWithoutAClick) {
  const auto input = speech(12.0);
  NEED_SPEECH(input);
  const double cal = calibration_for(input);
  const auto file = std::filesystem::temp_directory_path() / ("earshot_scene_aid_" + std::to_string(::getpid()) + ".toml");
  // (The file names its input, as every scene must; the test renders that input itself.)
  write_text(file, "calibration_db_spl = " + std::to_string(cal) + "\nduration_s = 12\n[[input]]\nfile = \"" +
                   (*corpus_dir() / "speech/slr83_som_04766_05_M_en.wav").string() + "\"\n"
                   "[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n"
                   "[[keyframe]]\ntime_s = 3\nlistener = \"N3\"\naid = \"nal-r,wdrc\"\ntransition_s = 0.5\n"
                   "[[keyframe]]\ntime_s = 6\nlistener = \"N3\"\ntransition_s = 0.5\n"  // keeps the aid
                   "[[keyframe]]\ntime_s = 9\nlistener = \"N3\"\naid = \"none\"\ntransition_s = 0.5\n");
  auto read = read_scene_file(file);
  std::filesystem::remove(file);
  ASSERT_TRUE(read.ok()) << describe(read.errors());
  SceneSpec s = read.value().spec;
  // Rate, length and calibration as scene_inputs sets them from the inputs (this test gives the input itself).
  s.sample_rate_hz = kFs;
  s.duration_s = 12.0;
  s.calibration_db_spl = cal;
  ASSERT_EQ(s.keyframes.size(), 4u);
  EXPECT_FALSE(s.keyframes[0].listener.left.aid.has_value());
  ASSERT_TRUE(s.keyframes[1].listener.left.aid.has_value());
  EXPECT_TRUE(s.keyframes[1].listener.right.aid->compression);
  EXPECT_EQ(s.keyframes[2].listener.left.aid, s.keyframes[1].listener.left.aid);  // a keyframe without `aid` keeps it
  EXPECT_FALSE(s.keyframes[3].listener.left.aid.has_value());
  const auto out = run(s, input);
  ASSERT_FALSE(out.mix[0].empty());

  // Over the held stretches (after each move has ended), against the static renders of the same
  // stretch: aided as the aided listener, louder than unaided where NAL-R amplifies; unaided again
  // once the aid is off.
  HearingLossParams params;
  params.sample_rate_hz = kFs;
  params.calibration_db_spl = cal;
  const auto aided = render(input, s.keyframes[1].listener, params);
  const auto unaided = render(input, listener("N3"), params);
  const double bands_hz[3] = {250.0, 2000.0, 4000.0};
  double gain_db[3];
  for (int b = 0; b < 3; ++b) {
    const int index = static_cast<int>(std::lround(10.0 * std::log10(bands_hz[b] / 1000.0)));
    const auto band = [&](const std::vector<float>& y, double from_s, double to_s) {
      const auto x = slice(y, from_s, to_s);
      return third_octave_levels(x.data(), x.size(), kFs, cal, index, index).front().level_db;
    };
    gain_db[b] = band(out.mix[0], 4.0, 8.5) - band(unaided, 4.0, 8.5);
    std::printf("aid on: %g Hz third-octave band %+.1f dB above unaided\n", bands_hz[b], gain_db[b]);
  }
  EXPECT_GT(gain_db[1], 10.0);
  EXPECT_GT(gain_db[2], 10.0);
  EXPECT_LT(gain_db[0], gain_db[1] - 5.0);  // NAL-R's bass cut: little gain at 250 Hz
  // Off again: unaided. 1.5 dB over this 2 s span: smearing's random phases alone move a band of a
  // 6 s span by up to 0.6 dB between two static renders (HeldStateAfterAMove...), more in a shorter one.
  EXPECT_LT(worst_band_difference_db(out.mix[0], unaided, 10.0, 12.0, cal), 1.5);
  EXPECT_LT(worst_band_difference_db(out.mix[0], aided, 4.0, 8.5, cal), 1.0);
  const double step_bound = std::max(largest_step(aided, 0, aided.size()), largest_step(unaided, 0, unaided.size()));
  const double flux_bound = 1.25 * std::max(largest_flux(aided, 0, aided.size()), largest_flux(unaided, 0, unaided.size()));
  for (double at_s : {3.0, 9.0}) {
    const auto a = static_cast<std::size_t>((at_s - 0.1) * kFs), b = static_cast<std::size_t>((at_s + 0.6) * kFs);
    const double step = largest_step(out.mix[0], a, b), flux = largest_flux(out.mix[0], a, b);
    std::printf("aid switch at %.0f s: largest step %.4f (bound %.4f), largest flux %.2f (bound %.2f)\n", at_s, step, step_bound, flux, flux_bound);
    EXPECT_LE(step, step_bound) << at_s;
    EXPECT_LE(flux, flux_bound) << at_s;
  }
}

TEST(Scene, ABadAidInAKeyframeIsRefusedWithItsFieldAndTime) {
  const auto file = std::filesystem::temp_directory_path() / ("earshot_scene_bad_aid_" + std::to_string(::getpid()) + ".toml");
  write_text(file, "calibration_db_spl = 100\nduration_s = 4\n[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n"
                   "[[keyframe]]\ntime_s = 2\nlistener = \"ci:nucleus-ace\"\naid = \"nal-r\"\n"
                   "[[keyframe]]\ntime_s = 3\nlistener = \"N3\"\naid = \"nal-x\"\n");
  auto read = read_scene_file(file);
  std::filesystem::remove(file);
  ASSERT_FALSE(read.ok());
  const std::string message = describe(read.errors());
  EXPECT_NE(message.find("keyframe[1].aid"), std::string::npos) << message;  // an implanted ear cannot wear an aid
  EXPECT_NE(message.find("keyframe[2].aid"), std::string::npos) << message;
  EXPECT_NE(message.find("at 3 s"), std::string::npos) << message;
}

}  // namespace
}  // namespace earshot::test
