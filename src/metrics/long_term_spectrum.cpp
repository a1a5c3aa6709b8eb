#include "metrics/long_term_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>

#include "dsp/real_fft.hpp"

namespace earshot {

namespace {
// Kaiser-Bessel-derived window (Fielder et al. 1996, the AC-3 and AAC transform window): the
// square root of a Kaiser window's running sum, so that w[t]^2 + w[t + n/2]^2 = 1 for every t
// (Princen and Bradley's condition). alpha = 4 keeps leakage into bands a few dozen bins away
// some 40 dB lower than a sine window's, whose squares sum to 1 as well.
// I0, the modified Bessel function of the first kind and order 0, by its power series
// sum_k ((x/2)^k / k!)^2, whose terms for x <= 4 pi fall below 1e-17 of the sum within 40 terms
// (std::cyl_bessel_i gives the same to 1e-15 at about thirty times the cost).
double bessel_i0(double x) {
  const double q = 0.25 * x * x;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 60 && term > 1e-17 * sum; ++k) {
    term *= q / (double(k) * k);
    sum += term;
  }
  return sum;
}

std::vector<double> kbd_window(int n) {
  constexpr double kAlpha = 4.0;
  const int half = n / 2;
  std::vector<double> kaiser(half + 1);
  for (int j = 0; j <= half; ++j) {
    const double r = 2.0 * j / half - 1.0;
    kaiser[j] = bessel_i0(std::numbers::pi * kAlpha * std::sqrt(std::max(0.0, 1.0 - r * r)));
  }
  double total = 0.0;
  for (double v : kaiser) total += v;
  std::vector<double> w(n);
  double running = 0.0;
  for (int t = 0; t < half; ++t) {
    running += kaiser[t];
    w[t] = w[n - 1 - t] = std::sqrt(running / total);
  }
  return w;
}

// The window of a segment size, computed once a process (its Bessel series cost some 3 M
// instructions at 32768 frames, for each signal scored): a batch scores every row at one or two rates.
std::shared_ptr<const std::vector<double>> shared_kbd_window(int n) {
  static std::mutex mutex;
  static std::map<int, std::shared_ptr<const std::vector<double>>> windows;
  std::lock_guard lock(mutex);
  auto& w = windows[n];
  if (!w) w = std::make_shared<const std::vector<double>>(kbd_window(n));
  return w;
}

// This thread's FFT of a segment size. Planning a 32768-point FFT (and its inverse, which the
// RealFft seam plans too) cost more instructions than the transforms of a 5 s signal (a batch
// scores every row at one or two rates); a plan is reused as it is, so the spectrum is the same.
// One per thread: an FFT's buffers are its own, and rows score on several threads.
RealFftDouble& thread_fft(int n) {
  thread_local std::map<int, std::unique_ptr<RealFftDouble>> ffts;
  auto& fft = ffts[n];
  if (!fft) fft = std::make_unique<RealFftDouble>(n);
  return *fft;
}
}  // namespace

int long_term_segment_frames(double fs) {
  int n = 256;
  while (fs / n > kLongTermBinSpacingHz && n < (1 << 22)) n *= 2;
  return n;
}

std::vector<double> long_term_band_powers(const float* samples, std::size_t count, double fs,
                                          const std::vector<double>& lower_hz, const std::vector<double>& upper_hz) {
  std::vector<double> out(lower_hz.size(), 0.0);
  if (count == 0) return out;
  const int n = long_term_segment_frames(fs);
  const int hop = n / 2;
  const auto shared_window = shared_kbd_window(n);
  const std::vector<double>& window = *shared_window;

  // Sum of |X_k|^2 over segments. Segments start at -n/2, -n/2 + hop, ... while they still hold a
  // sample, so every sample lies in exactly two segments (the padding outside the signal is zero).
  std::vector<double> sum(n / 2 + 1, 0.0);
  RealFftDouble& fft = thread_fft(n);
  double* in = fft.time();
  const RealFftDouble::Bin* spec = fft.spectrum();
  const long long total = static_cast<long long>(count);
  for (long long start = -hop; start < total; start += hop) {
    // Zeros outside the signal, window times signal inside (t from `from` to `to`), no test a sample.
    const int from = static_cast<int>(std::clamp<long long>(-start, 0, n));
    const int to = static_cast<int>(std::clamp<long long>(total - start, from, n));
    std::fill(in, in + from, 0.0);
    for (int t = from; t < to; ++t) in[t] = window[t] * samples[start + t];
    std::fill(in + to, in + n, 0.0);
    fft.forward();
    for (int k = 0; k <= n / 2; ++k) sum[k] += spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1];
  }

  // Parseval per segment: sum_t (w x)^2 = (1/n) sum over all n bins of |X_k|^2, so with the
  // one-sided bins doubled the bins sum to the signal's total energy; divide by its length.
  const double scale = 1.0 / (double(n) * double(count));
  for (std::size_t b = 0; b < out.size(); ++b) {
    // Bins k with lower <= k fs / n < upper, the edges of band_powers (a bin either side of the
    // rounded range is tried, and the exact test decides).
    const int first = std::max(0, static_cast<int>(std::ceil(lower_hz[b] * n / fs)) - 1);
    const int end = std::min(n / 2 + 1, static_cast<int>(std::ceil(upper_hz[b] * n / fs)) + 1);
    double p = 0.0;
    for (int k = first; k < end; ++k) {
      const double f = k * fs / n;
      if (f < lower_hz[b] || f >= upper_hz[b]) continue;
      p += (k > 0 && 2 * k < n) ? 2.0 * sum[k] : sum[k];
    }
    out[b] = p * scale;
  }
  return out;
}

}  // namespace earshot
