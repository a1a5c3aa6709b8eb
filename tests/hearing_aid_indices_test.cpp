// report/hearing_aid_indices: each ear's HASPI v2 and HASQI v2 by the Clarity definitions (the
// clean speech at its level against what reaches the ear: the mix, or the aid's output for it),
// each ear with its own audiogram, an implanted ear not scored, and a long input scored over an
// excerpt that is exactly the aid's output for the whole.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "formats/aid_spec_parser.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "report/hearing_aid_indices.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kFs = 16000.0;
constexpr double kCalibrationDbSpl = 100.0;  // a digital RMS of 1 is 100 dB SPL

// Scaled so that its RMS is `level_db_spl` at kCalibrationDbSpl.
std::vector<float> at_level(const std::vector<double>& x, double level_db_spl) {
  double power = 0.0;
  for (double v : x) power += v * v;
  const double gain = std::pow(10.0, (level_db_spl - kCalibrationDbSpl) / 20.0) / std::sqrt(power / static_cast<double>(x.size()));
  std::vector<float> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = static_cast<float>(gain * x[i]);
  return y;
}

// A voiced, syllabic sound: harmonics of 130 Hz to 4 kHz falling 6 dB an octave, rising and
// falling four times a second as syllables do.
std::vector<float> voiced(double seconds, double level_db_spl) {
  std::vector<double> x(static_cast<std::size_t>(seconds * kFs));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / kFs;
    double v = 0.0;
    for (int h = 1; 130.0 * h < 4000.0; ++h) v += std::sin(2.0 * std::numbers::pi * 130.0 * h * t + 0.7 * h * h) / h;
    x[i] = v * std::max(0.0, std::sin(2.0 * std::numbers::pi * 4.0 * t));
  }
  return at_level(x, level_db_spl);
}

std::vector<float> white_noise(double seconds, double level_db_spl) {
  std::mt19937 engine(7);
  std::normal_distribution<double> normal;
  std::vector<double> x(static_cast<std::size_t>(seconds * kFs));
  for (double& v : x) v = normal(engine);
  return at_level(x, level_db_spl);
}

Listener aided(const std::string& who, const std::string& aid) {
  auto l = with_aids(listener(who), parse_aid_spec(aid).value());
  if (!l) throw std::runtime_error(describe(l.errors()));
  return l.value();
}

std::vector<std::vector<float>> first(const std::vector<float>& x, double seconds) {
  return {std::vector<float>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(seconds * kFs))};
}

TEST(HearingAidIndices, UnaidedTheyScoreTheMixAgainstTheCleanSpeechAtTheCalibration) {
  // Unaided, the sound at the ear is the speech plus the noise, as it is: the same as HASPI and
  // HASQI given that pair directly, with the ear's audiogram, the calibration as level1 and the
  // documented random streams. (Not earshot's impaired render: the indices model the loss.)
  const std::vector<std::vector<float>> speech = {voiced(2.0, 60.0)}, noise = {white_noise(2.0, 50.0)};
  const Listener n3 = listener("N3");
  const auto scored = hearing_aid_indices(n3, {.speech = &speech, .noise = &noise, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl, .seed = 3});
  std::vector<double> clean(speech[0].begin(), speech[0].end()), mix(clean);
  for (std::size_t i = 0; i < mix.size(); ++i) mix[i] += noise[0][i];
  const auto audiogram = haspi_audiogram_db_hl(n3.left.air_db_hl);
  RandomSource dither(derive_seed(3, {kSeedHaspiDither, 0}));
  const double haspi = haspi_v2(clean, kFs, mix, kFs, audiogram, kCalibrationDbSpl, dither).value().intelligibility;
  RandomSource noise_draws(derive_seed(3, {kSeedHasqiNoise, 0}));
  const double hasqi = hasqi_v2(clean, kFs, mix, kFs, audiogram, kCalibrationDbSpl, noise_draws).value().combined;
  for (int ear = 0; ear < 2; ++ear) {  // a symmetric listener and a mono input: one ear stands for both
    ASSERT_TRUE(scored[ear].haspi_v2.value && scored[ear].hasqi_v2.value);
    EXPECT_EQ(*scored[ear].haspi_v2.value, haspi);
    EXPECT_EQ(*scored[ear].hasqi_v2.value, hasqi);
  }
  // The calibration is the level: the same samples read 30 dB softer are heard less by N3.
  const auto softer = hearing_aid_indices(n3, {.speech = &speech, .noise = &noise, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl - 30.0, .seed = 3});
  EXPECT_LT(*softer[0].haspi_v2.value, haspi - 0.1);
}

TEST(HearingAidIndices, EachEarWithItsOwnAudiogramAndAnImplantedEarNotScored) {
  const std::vector<std::vector<float>> speech = {voiced(2.0, 55.0)};
  // A normal left ear understands this speech at 55 dB SPL; a right ear with N4 (moderate to
  // severe) hears little of it.
  const auto two = hearing_aid_indices(listener("left=normal,right=N4"), {.speech = &speech, .noise = nullptr, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl});
  ASSERT_TRUE(two[0].haspi_v2.value && two[1].haspi_v2.value && two[0].hasqi_v2.value && two[1].hasqi_v2.value);
  EXPECT_GT(*two[0].haspi_v2.value, *two[1].haspi_v2.value + 0.3);
  EXPECT_GT(*two[0].hasqi_v2.value, *two[1].hasqi_v2.value);
  // An implanted ear: no value, and the reason.
  const auto bimodal = hearing_aid_indices(listener("left=N3,right=ci:nucleus-ace"), {.speech = &speech, .noise = nullptr, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl});
  EXPECT_TRUE(bimodal[0].haspi_v2.value && bimodal[0].hasqi_v2.value);
  EXPECT_FALSE(bimodal[1].haspi_v2.value || bimodal[1].hasqi_v2.value);
  EXPECT_NE(bimodal[1].haspi_v2.not_scored.find("the right ear hears through a cochlear implant"), std::string::npos) << bimodal[1].haspi_v2.not_scored;
  EXPECT_EQ(bimodal[1].hasqi_v2.not_scored, bimodal[1].haspi_v2.not_scored);
}

TEST(HearingAidIndices, AidedTheyScoreTheAidsOutputAndTheAidHelpsN3AtASoftLevel) {
  // This voiced sound at 30 dB SPL is mostly below N3's thresholds (35 to 65 dB HL); NAL-R with
  // compression lifts it above them.
  const std::vector<std::vector<float>> speech = {voiced(2.0, 30.0)}, noise = {white_noise(2.0, 15.0)};
  const HearingAidIndicesInput in{.speech = &speech, .noise = &noise, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl};
  const auto unaided = hearing_aid_indices(listener("N3"), in);
  const auto with_aid = hearing_aid_indices(aided("N3", "nal-r,wdrc"), in);
  EXPECT_LT(*unaided[0].haspi_v2.value, 0.5);
  EXPECT_GT(*with_aid[0].haspi_v2.value, *unaided[0].haspi_v2.value + 0.3);
  // Only the ear that wears the aid changes (the random draws are the input channel's, not the aid's).
  const auto one_aid = hearing_aid_indices(aided("N3", "left=nal-r,wdrc"), in);
  EXPECT_EQ(*one_aid[0].haspi_v2.value, *with_aid[0].haspi_v2.value);
  EXPECT_EQ(*one_aid[1].haspi_v2.value, *unaided[1].haspi_v2.value);
  EXPECT_EQ(*one_aid[1].hasqi_v2.value, *unaided[1].hasqi_v2.value);
}

TEST(HearingAidIndices, ALongInputIsScoredOverItsStartAsTheAidHeardTheWhole) {
  // An excerpt of 1.5 s: the scores of a 4 s input are those of its first 1.8 s (the aid, with
  // noise reduction and compression, ran on the same samples up to the excerpt's end and beyond
  // it by more than its latency) and so of its first 1.5 s through an aid that heard the rest.
  const auto s = voiced(4.0, 55.0), n = white_noise(4.0, 45.0);
  const Listener l = aided("N3", "nal-r,wdrc,nr");
  const std::vector<std::vector<float>> speech = {s}, noise = {n};
  const std::vector<std::vector<float>> speech_short = first(s, 1.8), noise_short = first(n, 1.8);
  const auto whole = hearing_aid_indices(l, {.speech = &speech, .noise = &noise, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl, .max_seconds = 1.5});
  const auto start = hearing_aid_indices(l, {.speech = &speech_short, .noise = &noise_short, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl, .max_seconds = 1.5});
  ASSERT_TRUE(whole[0].haspi_v2.value && start[0].haspi_v2.value);
  EXPECT_EQ(*whole[0].haspi_v2.value, *start[0].haspi_v2.value);
  EXPECT_EQ(*whole[0].hasqi_v2.value, *start[0].hasqi_v2.value);
  // And the excerpt is a real cut: scored whole (no limit), the 4 s input scores otherwise.
  const auto all = hearing_aid_indices(l, {.speech = &speech, .noise = &noise, .sample_rate_hz = kFs, .calibration_db_spl = kCalibrationDbSpl, .max_seconds = 10.0});
  EXPECT_NE(*all[0].hasqi_v2.value, *whole[0].hasqi_v2.value);
  EXPECT_EQ(hearing_aid_indices_frames(64000, kFs, 1.5), 24000u);
  EXPECT_EQ(hearing_aid_indices_frames(16000, kFs, 1.5), 16000u);
}

}  // namespace
}  // namespace earshot::test
