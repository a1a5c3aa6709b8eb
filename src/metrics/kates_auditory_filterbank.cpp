#include "metrics/kates_auditory_filterbank.hpp"

#include <cmath>
#include <numbers>

namespace earshot {
namespace {

constexpr double kEarQ = 9.26449;
constexpr double kMinimumBandwidthHz = 24.7;

// The low-pass prototype: numerator 1 + c1 z^-1 + c5 z^-2, denominator
// 1 - c1 z^-1 - c2 z^-2 - c3 z^-3 - c4 z^-4, four poles at the pole radius a = exp(-2 pi b / fs)
// (the impulse-invariant gammatone), normalised to `gain` at 0 Hz (times 2: the real part of the
// shifted-back signal carries half the power).
struct Prototype {
  double c1, c2, c3, c4, c5, gain;
};

Prototype prototype(const KatesGammatone& band, double sample_rate_hz) {
  const double erb_hz = kMinimumBandwidthHz + band.centre_hz / kEarQ;
  const double a = std::exp(-band.bandwidth_factor * 2.0 * std::numbers::pi / sample_rate_hz * erb_hz * 1.019);
  Prototype p{};
  p.c1 = 4.0 * a;
  p.c2 = -6.0 * a * a;
  p.c3 = 4.0 * a * a * a;
  p.c4 = -a * a * a * a;
  p.c5 = 4.0 * a * a;
  p.gain = 2.0 * (1.0 - p.c1 - p.c2 - p.c3 - p.c4) / (1.0 + p.c1 + p.c5);
  return p;
}

}  // namespace

void kates_gammatone_band(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band,
                          double* envelope, double* basilar_membrane) {
  const Prototype p = prototype(band, sample_rate_hz);
  // The carrier by rotation (cos, -sin of 2 pi fc n / fs), as the reference model computes it, so
  // that both follow the same rounding.
  const double w = 2.0 * std::numbers::pi / sample_rate_hz * band.centre_hz;
  const double cos_step = std::cos(w), sin_step = std::sin(w);
  double c = 1.0, s = 0.0;
  // Input and output histories of the real (r) and imaginary (i) branches.
  double xr1 = 0, xr2 = 0, yr1 = 0, yr2 = 0, yr3 = 0, yr4 = 0;
  double xi1 = 0, xi2 = 0, yi1 = 0, yi2 = 0, yi3 = 0, yi4 = 0;
  for (std::size_t n = 0; n < frames; ++n) {
    if (n > 0) {
      const double next_c = c * cos_step + s * sin_step;
      s = s * cos_step - c * sin_step;
      c = next_c;
    }
    const double xr = x[n] * c, xi = x[n] * s;
    const double yr = xr + p.c1 * xr1 + p.c5 * xr2 + p.c1 * yr1 + p.c2 * yr2 + p.c3 * yr3 + p.c4 * yr4;
    const double yi = xi + p.c1 * xi1 + p.c5 * xi2 + p.c1 * yi1 + p.c2 * yi2 + p.c3 * yi3 + p.c4 * yi4;
    xr2 = xr1;
    xr1 = xr;
    xi2 = xi1;
    xi1 = xi;
    yr4 = yr3;
    yr3 = yr2;
    yr2 = yr1;
    yr1 = yr;
    yi4 = yi3;
    yi3 = yi2;
    yi2 = yi1;
    yi1 = yi;
    envelope[n] = p.gain * std::sqrt(yr * yr + yi * yi);
    if (basilar_membrane) basilar_membrane[n] = p.gain * (yr * c + yi * s);
  }
}

double kates_gammatone_group_delay_samples(const KatesGammatone& band, double sample_rate_hz) {
  // At 0 Hz a rational filter B/A delays by sum(k b_k)/sum(b_k) - sum(k a_k)/sum(a_k).
  const Prototype p = prototype(band, sample_rate_hz);
  const double b_sum = 1.0 + p.c1 + p.c5, b_moment = p.c1 + 2.0 * p.c5;
  const double a_sum = 1.0 - p.c1 - p.c2 - p.c3 - p.c4;
  const double a_moment = -p.c1 - 2.0 * p.c2 - 3.0 * p.c3 - 4.0 * p.c4;
  return b_moment / b_sum - a_moment / a_sum;
}

}  // namespace earshot
