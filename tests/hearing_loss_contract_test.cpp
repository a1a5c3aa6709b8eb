// The hearing-loss contract (issue #2), asserted with pure tones through the whole chain in
// --calibration mode: normal threshold T0(f) = ISO 389-7 free field, impaired T(f) = T0(f) + HL(f).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "audiology/reference_threshold.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kFs = 44100.0;
constexpr double kCal = 100.0;  // digital RMS 1.0 = 100 dB SPL

struct Case {
  std::string spec;
  double frequency_hz;
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.spec << " @ " << c.frequency_hz << " Hz"; }
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* spec : {"250:20,8000:20", "250:40,8000:40", "250:60,8000:60", "250:90,8000:90", "N2", "N3",
                           "N4", "S2", "S3", "250:10,1000:30,2000:60,4000:90"}) {
    for (double f : {500.0, 1000.0, 2000.0, 4000.0}) {
      // The contract covers audiograms up to 90 dB HL (S2 reaches 95 dB HL at 4 kHz).
      if (listener(spec).left.air_loss_db_hl(f) <= 90.0) out.push_back({spec, f});
    }
  }
  return out;
}

double out_level(const Case& c, double in_db_spl) {
  HearingLossParams p;
  p.sample_rate_hz = kFs;
  p.calibration_db_spl = kCal;
  const auto y = render(tone(c.frequency_hz, in_db_spl, kFs, 1.2, kCal), listener(c.spec), p);
  return steady_level_db(y, kFs, kCal);
}

class ContractTest : public ::testing::TestWithParam<Case> {};

TEST_P(ContractTest, ToneAtImpairedThresholdIsJustAudibleToNormalListener) {
  const Case c = GetParam();
  const double t0 = reference_threshold_db_spl(c.frequency_hz, SoundField::free);
  const double hl = listener(c.spec).left.air_loss_db_hl(c.frequency_hz);
  EXPECT_NEAR(out_level(c, t0 + hl), t0, 3.0) << c.spec << " at " << c.frequency_hz << " Hz";
}

TEST_P(ContractTest, ToneTenDecibelsBelowThresholdIsInaudible) {
  const Case c = GetParam();
  const double t0 = reference_threshold_db_spl(c.frequency_hz, SoundField::free);
  const double hl = listener(c.spec).left.air_loss_db_hl(c.frequency_hz);
  EXPECT_LE(out_level(c, t0 + hl - 10.0), t0 - 5.0) << c.spec << " at " << c.frequency_hz << " Hz";
}

TEST_P(ContractTest, ToneAtCatchUpLevelKeepsItsLevel) {
  const Case c = GetParam();
  EXPECT_NEAR(out_level(c, kDefaultCatchUpDbSpl), kDefaultCatchUpDbSpl, 3.0);
}

TEST_P(ContractTest, GrowthBetweenThresholdAndCatchUpFollowsExpansionLaw) {
  const Case c = GetParam();
  const double t0 = reference_threshold_db_spl(c.frequency_hz, SoundField::free);
  const double hl = listener(c.spec).left.air_loss_db_hl(c.frequency_hz);
  const RecruitmentLaw law = recruitment_law(t0, hl);
  // Two levels inside [T, C]: a quarter and three quarters of the way up.
  const double t = t0 + hl, span = law.catch_up_db_spl - t;
  const double lo = t + 0.25 * span, hi = t + 0.75 * span;
  const double slope = (out_level(c, hi) - out_level(c, lo)) / (hi - lo);
  EXPECT_NEAR(slope, law.expansion_ratio, 0.3) << c.spec << " at " << c.frequency_hz << " Hz";
}

INSTANTIATE_TEST_SUITE_P(Audiograms, ContractTest, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string name = info.param.spec + "_" + std::to_string(static_cast<int>(info.param.frequency_hz)) + "Hz";
  for (char& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});

TEST(Contract, WorstCasesOverAllAudiograms) {
  // The same four properties over every case at once, reporting the worst of each (quoted in
  // docs/validation.md): build/tests/earshot_tests --gtest_filter=Contract.WorstCases*
  double worst_threshold = 0.0, worst_below = -1e9, worst_catch_up = 0.0, worst_slope = 0.0;
  std::string worst_threshold_case;
  for (const Case& c : cases()) {
    const double t0 = reference_threshold_db_spl(c.frequency_hz, SoundField::free);
    const double hl = listener(c.spec).left.air_loss_db_hl(c.frequency_hz);
    const RecruitmentLaw law = recruitment_law(t0, hl);
    const double t = t0 + hl, span = law.catch_up_db_spl - t;
    const double at_t = out_level(c, t) - t0;
    if (std::fabs(at_t) > std::fabs(worst_threshold)) {
      worst_threshold = at_t;
      worst_threshold_case = c.spec + " at " + std::to_string(static_cast<int>(c.frequency_hz)) + " Hz";
    }
    worst_below = std::max(worst_below, out_level(c, t - 10.0) - t0);
    const double at_c = out_level(c, kDefaultCatchUpDbSpl) - kDefaultCatchUpDbSpl;
    if (std::fabs(at_c) > std::fabs(worst_catch_up)) worst_catch_up = at_c;
    const double slope = (out_level(c, t + 0.75 * span) - out_level(c, t + 0.25 * span)) / (0.5 * span) - law.expansion_ratio;
    if (std::fabs(slope) > std::fabs(worst_slope)) worst_slope = slope;
  }
  std::printf("worst over %zu cases: tone at T -> T0 %+.2f dB (%s); at T - 10 dB: %+.1f dB re T0; at catch-up %+.2f dB; "
              "slope - k %+.3f dB/dB\n", cases().size(), worst_threshold, worst_threshold_case.c_str(), worst_below,
              worst_catch_up, worst_slope);
  EXPECT_LT(std::fabs(worst_threshold), 3.0);
  EXPECT_LE(worst_below, -5.0);
  EXPECT_LT(std::fabs(worst_catch_up), 3.0);
  EXPECT_LT(std::fabs(worst_slope), 0.3);
}

TEST(Contract, HoldsWithoutSmearingToo) {
  HearingLossParams p;
  p.sample_rate_hz = kFs;
  p.calibration_db_spl = kCal;
  p.smearing = false;
  const double t0 = reference_threshold_db_spl(2000.0, SoundField::free);
  const auto y = render(tone(2000.0, t0 + 60.0, kFs, 1.2, kCal), listener("250:60,8000:60"), p);
  EXPECT_NEAR(steady_level_db(y, kFs, kCal), t0, 1.0);
}

TEST(Contract, DiffuseFieldUsesDiffuseFieldThresholds) {
  HearingLossParams p;
  p.sample_rate_hz = kFs;
  p.calibration_db_spl = kCal;
  p.field = SoundField::diffuse;
  const double t0 = reference_threshold_db_spl(4000.0, SoundField::diffuse);
  EXPECT_NE(t0, reference_threshold_db_spl(4000.0, SoundField::free));
  const auto y = render(tone(4000.0, t0 + 50.0, kFs, 1.2, kCal), listener("250:50,8000:50"), p);
  EXPECT_NEAR(steady_level_db(y, kFs, kCal), t0, 3.0);
}

TEST(Contract, ConductivePartIsALinearAttenuation) {
  // 30 dB HL sensorineural + 30 dB air-bone gap = 60 dB HL air conduction.
  Listener l = listener("250:60,8000:60");
  l.left.air_bone_gap_db.points = {{250, 30}, {8000, 30}};
  l.right = l.left;
  HearingLossParams p;
  p.sample_rate_hz = kFs;
  p.calibration_db_spl = kCal;
  const double t0 = reference_threshold_db_spl(1000.0, SoundField::free);
  // At the air-conduction threshold: just audible.
  EXPECT_NEAR(steady_level_db(render(tone(1000.0, t0 + 60.0, kFs, 1.2, kCal), l, p), kFs, kCal), t0, 3.0);
  // Loud enough that the cochlea's share is above catch-up: only the conductive 30 dB remains.
  EXPECT_NEAR(steady_level_db(render(tone(1000.0, 140.0, kFs, 1.2, kCal), l, p), kFs, kCal), 110.0, 1.5);
}

TEST(Contract, HoldsAtEverySupportedSampleRate) {
  for (double fs : {8000.0, 16000.0, 22050.0, 32000.0, 48000.0, 96000.0, 192000.0}) {
    HearingLossParams p;
    p.sample_rate_hz = fs;
    p.calibration_db_spl = kCal;
    const double t0 = reference_threshold_db_spl(1000.0, SoundField::free);
    const double t = t0 + listener("N3").left.air_loss_db_hl(1000.0);
    EXPECT_NEAR(steady_level_db(render(tone(1000.0, t, fs, 1.2, kCal), listener("N3"), p), fs, kCal), t0, 3.0) << fs << " Hz";
    EXPECT_LE(steady_level_db(render(tone(1000.0, t - 10.0, fs, 1.2, kCal), listener("N3"), p), fs, kCal), t0 - 5.0) << fs << " Hz";
  }
}

TEST(Robustness, OverflowingSpectrumStaysInsideTheBands) {
  // Samples far beyond anything the input check lets through (±1e20, issue 11): the squared
  // spectrum overflows float to infinity and the instantaneous-frequency place becomes NaN. The
  // processor must not index with it: the render completes, keeps its length, and the audio well
  // before the burst (more than one analysis frame) is untouched by it.
  constexpr double fs = 8000.0;
  std::vector<float> x = tone(1000.0, 70.0, fs, 1.0, kCal);
  const std::size_t burst_at = x.size() / 2;
  for (std::size_t i = 0; i < 400; ++i) x[burst_at + i] = (i % 2 ? 1e20f : -1e20f);
  HearingLossParams p;
  p.sample_rate_hz = fs;
  p.calibration_db_spl = kCal;
  const auto y = render(x, listener("N3"), p);
  ASSERT_EQ(y.size(), x.size());
  const std::size_t clean = burst_at - static_cast<std::size_t>(0.1 * fs);
  for (std::size_t i = 0; i < clean; ++i) ASSERT_TRUE(std::isfinite(y[i])) << "sample " << i;
  const auto before = std::vector<float>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(burst_at));
  const auto y_clean = render(before, listener("N3"), p);
  for (std::size_t i = static_cast<std::size_t>(0.2 * fs); i < clean - static_cast<std::size_t>(0.1 * fs); ++i) {
    ASSERT_FLOAT_EQ(y[i], y_clean[i]) << "sample " << i;
  }
}

}  // namespace
}  // namespace earshot::test
