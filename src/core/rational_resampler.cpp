#include "core/rational_resampler.hpp"

#include <cmath>
#include <numbers>
#include <numeric>

namespace earshot {
namespace {

// Kaiser-windowed ideal low-pass, normalised to unit sum, then scaled by `up` (the zeros that
// upsampling inserts would otherwise cost a factor `up` in amplitude).
std::vector<double> design_filter(long up, long down) {
  const double rejection_db = 60.0;                       // 10^-3 stopband
  const double cutoff = 1.0 / (2.0 * std::max(up, down)); // cycles/sample at the upsampled rate
  const double transition = cutoff / 10.0;
  // Kaiser's length formula: (A - 8) / (2.285 * 2 pi * transition) = (A - 8) / (28.714 * transition).
  const long half = static_cast<long>(std::ceil((rejection_db - 8.0) / (28.714 * transition)));
  const double beta = 0.1102 * (rejection_db - 8.7);      // Kaiser's beta for A > 50 dB
  const long len = 2 * half + 1;
  std::vector<double> h(len);
  const double i0_beta = std::cyl_bessel_i(0.0, beta);
  double sum = 0.0;
  for (long n = 0; n < len; ++n) {
    const double t = static_cast<double>(n - half);
    const double arg = 2.0 * cutoff * t;
    const double sinc = arg == 0.0 ? 1.0 : std::sin(std::numbers::pi * arg) / (std::numbers::pi * arg);
    const double r = 2.0 * n / (len - 1) - 1.0;
    const double kaiser = std::cyl_bessel_i(0.0, beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0_beta;
    h[n] = kaiser * 2.0 * up * cutoff * sinc;
    sum += h[n];
  }
  for (double& v : h) v = v / sum * up;
  return h;
}

}  // namespace

std::vector<double> resample_rational(const std::vector<double>& x, long up, long down) {
  const long g = std::gcd(up, down);
  up /= g;
  down /= g;
  if (up == 1 && down == 1) return x;
  const std::vector<double> h = design_filter(up, down);
  const long half = (static_cast<long>(h.size()) - 1) / 2;
  const long n_in = static_cast<long>(x.size());
  const long n_out = (n_in * up + down - 1) / down;
  // The filter is preceded by `pre` zeros so that output sample 0 falls on the filter's centre
  // for input sample 0; `skip` outputs of the full convolution come before it.
  const long pre = down - half % down;
  const long skip = (half + pre) / down;
  const long taps = static_cast<long>(h.size()) + pre;
  std::vector<double> y(n_out, 0.0);
  for (long j = 0; j < n_out; ++j) {
    // Full convolution of the zero-stuffed input with the padded filter, at index k.
    const long k = (j + skip) * down;
    long i_hi = std::min(k / up, n_in - 1);
    long i_lo = k - (taps - 1) <= 0 ? 0 : (k - (taps - 1) + up - 1) / up;
    double acc = 0.0;
    for (long i = i_lo; i <= i_hi; ++i) {
      const long tap = k - i * up - pre;
      if (tap >= 0 && tap < static_cast<long>(h.size())) acc += h[tap] * x[i];
    }
    y[j] = acc;
  }
  return y;
}

}  // namespace earshot
