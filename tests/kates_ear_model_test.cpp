// Kates' auditory model (metrics/kates_ear_model): its filter placement and loss parameters as
// Kates (2013) defines them, and what its outputs must do for physical reasons: the same signal
// through two normal ears gives the same envelopes; a loss lowers the sensation levels where it
// is; a delayed copy is aligned; a 48 kHz signal comes out at 24 kHz with its level.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>

#include "metrics/kates_ear_model.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"
#include "support/random_source.hpp"

namespace earshot::test {
namespace {

std::vector<double> speech_like(double fs, double seconds, std::uint64_t seed = 7) {
  // Harmonics of 120 Hz with a 4 Hz syllable envelope, plus a little noise: energy across the bands.
  RandomSource r(seed);
  const auto n = static_cast<std::size_t>(fs * seconds);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / fs;
    double s = 0.0;
    for (int h = 1; h <= 40; ++h) s += std::sin(2.0 * std::numbers::pi * 120.0 * h * t + h) / h;
    const double envelope = 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * 4.0 * t));
    x[i] = envelope * s + 0.01 * r.gaussian();
  }
  const double rms = std::sqrt(std::inner_product(x.begin(), x.end(), x.begin(), 0.0) / static_cast<double>(n));
  for (double& v : x) v /= rms;  // RMS 1: level1 dB SPL
  return x;
}

TEST(KatesEarModel, CentreFrequenciesSpan80HzTo8kHzOnTheErbScale) {
  const auto f = kates_centre_frequencies_hz(32);
  ASSERT_EQ(f.size(), 32u);
  EXPECT_NEAR(f.front(), 80.0, 1e-9);
  EXPECT_NEAR(f.back(), 8000.0, 1e-9);
  // Equal steps in log(f + 228.8 Hz) (Slaney's ERB-rate spacing).
  const double q = 9.26449 * 24.7;
  for (std::size_t k = 2; k < f.size(); ++k) {
    EXPECT_NEAR(std::log(f[k] + q) - std::log(f[k - 1] + q), std::log(f[1] + q) - std::log(f[0] + q), 1e-12);
  }
  // A basal shift moves every control filter up.
  const auto shifted = kates_centre_frequencies_hz(32, 0.02);
  for (std::size_t k = 0; k < f.size(); ++k) EXPECT_GT(shifted[k], f[k]);
}

TEST(KatesEarModel, LossIsSharedBetweenOuterAndInnerHairCells) {
  const auto f = kates_centre_frequencies_hz(32);
  const auto normal = kates_loss_parameters({0, 0, 0, 0, 0, 0}, f);
  EXPECT_NEAR(normal.compression_ratio.front(), 1.25, 1e-12);
  EXPECT_NEAR(normal.compression_ratio.back(), 3.5, 1e-12);
  for (std::size_t n = 0; n < f.size(); ++n) {
    EXPECT_EQ(normal.ohc_attenuation_db[n], 0.0);
    EXPECT_EQ(normal.ihc_attenuation_db[n], 0.0);
    EXPECT_EQ(normal.bandwidth_factor[n], 1.0);
    EXPECT_EQ(normal.low_knee_db_spl[n], 30.0);
  }
  // 40 dB flat: 80 % (32 dB) to the outer hair cells where that fits in the compressor's range.
  const auto flat40 = kates_loss_parameters({40, 40, 40, 40, 40, 40}, f);
  EXPECT_NEAR(flat40.ohc_attenuation_db.back(), 32.0, 1e-12);
  EXPECT_NEAR(flat40.ihc_attenuation_db.back(), 8.0, 1e-12);
  EXPECT_NEAR(flat40.compression_ratio.back(), (100.0 - 62.0) / (30.0 + 20.0 + 32.0 - 62.0), 1e-12);
  // At 80 Hz the normal ratio is 1.25 (range 14 dB, limit 17.5 dB): the rest goes to the IHCs.
  EXPECT_NEAR(flat40.ohc_attenuation_db.front(), 0.8 * 17.5, 1e-12);
  EXPECT_NEAR(flat40.ihc_attenuation_db.front(), 0.2 * 17.5 + (40.0 - 17.5), 1e-12);
  EXPECT_GT(flat40.bandwidth_factor.back(), 1.6);
  // Interpolated in Hz between 2 and 4 kHz; negative thresholds count as none.
  const auto slope = kates_loss_parameters({-10, 0, 0, 0, 60, 60}, {80.0, 3000.0, 8000.0});
  EXPECT_EQ(slope.ohc_attenuation_db[0] + slope.ihc_attenuation_db[0], 0.0);
  EXPECT_NEAR(slope.ohc_attenuation_db[1] + slope.ihc_attenuation_db[1], 30.0, 1e-12);
}

// Not bit-identical: the bulk alignment leaves the processed copy 2 ms late (as the reference
// model does) and each band is then realigned (in the lowest bands this periodic test signal's
// envelope correlates almost as well one pitch period off), so the two differ by hundredths of a dB.
TEST(KatesEarModel, SameSignalThroughTwoNormalEarsGivesTheSameEnvelopes) {
  const auto x = speech_like(24000.0, 1.0);
  RandomSource random(1);
  const auto out = kates_ear_model(x, 24000.0, x, 24000.0, {0, 0, 0, 0, 0, 0}, KatesReferenceEar::normal_hearing, 65.0, random);
  ASSERT_TRUE(out.ok()) << describe(out.errors());
  const auto& o = out.value();
  EXPECT_EQ(o.sample_rate_hz, 24000.0);
  ASSERT_EQ(o.reference_db.size(), 32u);
  ASSERT_EQ(o.reference_basilar_membrane.size(), 32u);
  for (std::size_t n = 0; n < 32; ++n) {
    const auto& r = o.reference_db[n];
    const auto& p = o.processed_db[n];
    ASSERT_EQ(r.size(), p.size());
    double total = 0.0;
    for (std::size_t i = 4800; i + 4800 < r.size(); ++i) total += std::abs(r[i] - p[i]);
    EXPECT_LT(total / static_cast<double>(r.size() - 9600), 0.05) << "band " << n;  // dB, past the adaptation's start
    EXPECT_NEAR(o.reference_sl[n], o.processed_sl[n], 0.05);
    // The threshold noise is drawn independently for the two BM signals.
    EXPECT_NE(o.reference_basilar_membrane[n], o.processed_basilar_membrane[n]);
  }
  // Speech at 65 dB SPL is well above a normal threshold in the speech bands.
  EXPECT_GT(o.reference_sl[10], 20.0);
}

TEST(KatesEarModel, LossLowersSensationLevelWhereItIs) {
  const auto x = speech_like(24000.0, 1.0);
  RandomSource random(1);
  const auto out = kates_ear_model(x, 24000.0, x, 24000.0, {0, 0, 0, 0, 60, 60}, KatesReferenceEar::normal_hearing, 65.0, random);
  ASSERT_TRUE(out.ok());
  const auto& o = out.value();
  const auto f = kates_centre_frequencies_hz(32);
  for (std::size_t n = 0; n < 32; ++n) {
    if (f[n] < 900.0) {
      EXPECT_NEAR(o.processed_sl[n], o.reference_sl[n], 0.05) << f[n];  // no loss below 1 kHz
    }
    if (f[n] > 3500.0) {
      EXPECT_LE(o.processed_sl[n], std::max(0.0, o.reference_sl[n] - 20.0)) << f[n];  // 20 dB lower, or inaudible
    }
  }
  // The quality setting (the reference with the loss too) hears both alike again.
  RandomSource random2(1);
  const auto both = kates_ear_model(x, 24000.0, x, 24000.0, {0, 0, 0, 0, 60, 60}, KatesReferenceEar::with_loss, 65.0, random2);
  ASSERT_TRUE(both.ok());
  for (std::size_t n = 0; n < 32; ++n) EXPECT_NEAR(both.value().reference_sl[n], both.value().processed_sl[n], 0.05);
}

TEST(KatesEarModel, DelayedCopyIsAlignedAndSeedsRepeat) {
  const auto x = speech_like(24000.0, 1.0);
  std::vector<double> late(x.size(), 0.0);
  std::copy(x.begin(), x.end() - 300, late.begin() + 300);  // 12.5 ms later
  RandomSource a(5), b(5);
  const auto o1 = kates_ear_model(x, 24000.0, late, 24000.0, {0, 0, 0, 0, 0, 0}, KatesReferenceEar::normal_hearing, 65.0, a);
  const auto o2 = kates_ear_model(x, 24000.0, late, 24000.0, {0, 0, 0, 0, 0, 0}, KatesReferenceEar::normal_hearing, 65.0, b);
  ASSERT_TRUE(o1.ok() && o2.ok());
  EXPECT_EQ(o1.value().processed_basilar_membrane, o2.value().processed_basilar_membrane);
  // After the bulk (2 ms kept) and the per-band alignment, the mid-band envelopes line up.
  const auto& r = o1.value().reference_db[16];
  const auto& p = o1.value().processed_db[16];
  double num = 0.0, rr = 0.0, pp = 0.0;
  for (std::size_t i = 2400; i + 2400 < r.size(); ++i) {
    num += r[i] * p[i];
    rr += r[i] * r[i];
    pp += p[i] * p[i];
  }
  EXPECT_GT(num / std::sqrt(rr * pp), 0.999);
}

TEST(KatesEarModel, InputAlignKeepsTwoMillisecondsOfDelay) {
  const auto x = speech_like(24000.0, 0.5);
  std::vector<double> late(x.size(), 0.0);
  std::copy(x.begin(), x.end() - 200, late.begin() + 200);
  std::vector<double> ref = x, proc = late;
  kates_input_align(ref, proc);
  ASSERT_EQ(ref.size(), proc.size());
  // proc is now ref 48 samples (2 ms at 24 kHz) late.
  double err = 0.0;
  for (std::size_t i = 48; i + 300 < ref.size(); ++i) err = std::max(err, std::abs(proc[i] - ref[i - 48]));
  EXPECT_LT(err, 1e-12);
}

TEST(KatesEarModel, ResamplesTo24kHzAtTheSameLevel) {
  const auto x48 = speech_like(48000.0, 0.5);
  const auto y = kates_resample_24khz(x48, 48000.0);
  EXPECT_NEAR(static_cast<double>(y.size()), 12000.0, 1.0);
  const double ry = std::sqrt(std::inner_product(y.begin(), y.end(), y.begin(), 0.0) / static_cast<double>(y.size()));
  EXPECT_NEAR(20.0 * std::log10(ry), 0.0, 0.2);  // the speech-like test signal has little above 10.5 kHz
  const auto x16 = speech_like(16000.0, 0.5);
  const auto z = kates_resample_24khz(x16, 16000.0);
  EXPECT_NEAR(static_cast<double>(z.size()), 12000.0, 1.0);
  const double rz = std::sqrt(std::inner_product(z.begin(), z.end(), z.begin(), 0.0) / static_cast<double>(z.size()));
  EXPECT_NEAR(rz, 1.0, 1e-9);
}

TEST(KatesEarModel, RefusesBadInput) {
  RandomSource random(1);
  const std::vector<double> x(1000, 0.1);
  const auto e = kates_ear_model({}, 24000.0, x, 0.0, {0, 0, 0, 0, 0, 500}, KatesReferenceEar::normal_hearing, 65.0, random);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.errors().size(), 3u);
  const auto silent = kates_ear_model(std::vector<double>(1000, 0.0), 24000.0, x, 24000.0, {0, 0, 0, 0, 0, 0},
                                      KatesReferenceEar::normal_hearing, 65.0, random);
  EXPECT_FALSE(silent.ok());
}

}  // namespace
}  // namespace earshot::test
