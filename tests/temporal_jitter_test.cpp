// Temporal jitter: the low band's delay wanders with the asked-for rms around a fixed delay that
// the render removes; the high band is untouched; off means bit-identical bypass; seeded.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "dsp/real_fft.hpp"
#include "hearing_loss/temporal_jitter.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

// Instantaneous phase of a real signal from its analytic signal x + i H(x), the Hilbert transform
// H(x) from the real FFT: each positive-frequency bin turned by -90 degrees, DC and Nyquist zeroed.
std::vector<double> analytic_phase(const std::vector<float>& x) {
  const int n = static_cast<int>(x.size());
  RealFftDouble fft(n);
  for (int i = 0; i < n; ++i) fft.time()[i] = x[i];
  fft.forward();
  for (int k = 0; k <= n / 2; ++k) {
    const bool inside = k > 0 && 2 * k < n;
    const double re = fft.spectrum()[k][0], im = fft.spectrum()[k][1];
    fft.spectrum()[k][0] = inside ? im : 0.0;  // -i (re + i im) = im - i re
    fft.spectrum()[k][1] = inside ? -re : 0.0;
  }
  fft.inverse();
  std::vector<double> phase(n);
  for (int i = 0; i < n; ++i) phase[i] = std::atan2(fft.time()[i] / n, double(x[i]));
  return phase;
}

// Delay (ms) of y relative to x, sample by sample, for a pure tone at f (unwrapped phase lag).
std::vector<double> delay_ms(const std::vector<float>& x, const std::vector<float>& y, double f) {
  const auto px = analytic_phase(x), py = analytic_phase(y);
  std::vector<double> d;
  for (std::size_t i = x.size() / 10; i < x.size() - x.size() / 10; ++i) {
    const double lag = std::remainder(px[i] - py[i], 2.0 * std::numbers::pi);
    d.push_back(lag / (2.0 * std::numbers::pi * f) * 1000.0);
  }
  return d;
}

double mean(const std::vector<double>& v) {
  double m = 0.0;
  for (double a : v) m += a / v.size();
  return m;
}
double rms_about_mean(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0.0;
  for (double a : v) s += (a - m) * (a - m) / v.size();
  return std::sqrt(s);
}

HearingLossParams normal_params(double fs) {
  HearingLossParams p;
  p.sample_rate_hz = fs;
  p.calibration_db_spl = 100.0;
  return p;
}

TEST(TemporalJitter, LowBandDelayWandersWithTheRequestedRms) {
  // A 400 Hz carrier, well below a 2 kHz cutoff, with the delay wandering at up to 100 Hz: the
  // phase modulation's sidebands stay at positive frequencies, so the analytic phase reads it.
  const double fs = 44100.0, f = 400.0;  // 1 s holds a whole number of cycles
  const auto x = tone(f, 70.0, fs, 1.0);
  for (double rms : {0.1, 0.25}) {
    TemporalJitterParams j;
    j.rms_ms = rms;
    j.bandwidth_hz = 100.0;
    j.cutoff_hz = 2000.0;
    const auto y = render(x, listener("normal"), normal_params(fs), j);
    const auto d = delay_ms(x, y, f);
    EXPECT_NEAR(rms_about_mean(d), rms, 0.2 * rms) << rms << " ms";
    // The fixed delay is removed by the render. What remains on average is the Linkwitz-Riley
    // crossover's all-pass phase delay at f (documented): 2 atan(sqrt2 r / (1 - r^2)) / (2 pi f).
    const double r = f / j.cutoff_hz;
    const double crossover_ms = 2.0 * std::atan(std::numbers::sqrt2 * r / (1.0 - r * r)) / (2.0 * std::numbers::pi * f) * 1000.0;
    EXPECT_NEAR(mean(d), crossover_ms, 0.02) << rms << " ms";
  }
}

TEST(TemporalJitter, HighBandIsUntouched) {
  const double fs = 44100.0, f = 6000.0;
  const auto x = tone(f, 70.0, fs, 1.0);
  TemporalJitterParams j;
  j.rms_ms = 0.5;
  const auto y = render(x, listener("normal"), normal_params(fs), j);
  EXPECT_LT(rms_about_mean(delay_ms(x, y, f)), 0.01);  // ms: under 1/50 of the low band's
  EXPECT_NEAR(steady_level_db(y, fs, 100.0), 70.0, 0.1);
}

TEST(TemporalJitter, OffIsABypassAndOnIsSeeded) {
  const double fs = 16000.0;
  const auto x = tone(300.0, 60.0, fs, 0.5);
  const auto plain = render(x, listener("N2"), normal_params(fs));
  TemporalJitterParams off;
  EXPECT_EQ(render(x, listener("N2"), normal_params(fs), off), plain);
  TemporalJitterParams on;
  on.rms_ms = 0.3;
  const auto a = render(x, listener("N2"), normal_params(fs), on);
  EXPECT_EQ(render(x, listener("N2"), normal_params(fs), on), a);
  auto other_seed = normal_params(fs);
  other_seed.seed = 5;
  EXPECT_NE(render(x, listener("N2"), other_seed, on), a);
  EXPECT_NE(a, plain);
}

TEST(TemporalJitter, InvalidParametersAreNamed) {
  TemporalJitterParams j;
  j.rms_ms = 5.0;
  j.cutoff_hz = 50.0;
  const auto errors = validate(j, 16000.0);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "jitter_ms");
  EXPECT_EQ(errors[1].field, "jitter_cutoff_hz");
}

}  // namespace
}  // namespace earshot::test
