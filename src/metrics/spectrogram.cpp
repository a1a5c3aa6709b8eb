#include "metrics/spectrogram.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/real_fft.hpp"

namespace earshot {

Spectrogram spectrogram(const float* x, std::size_t count, double fs, double cal, double max_hz, int rows) {
  int n = 1;
  while (n < fs * 0.023) n *= 2;
  const int hop = n / 4;
  Spectrogram s;
  s.frame_step_s = hop / fs;
  s.max_frequency_hz = std::min(max_hz, fs / 2.0);
  s.rows = rows;
  s.frames = count > static_cast<std::size_t>(n) ? static_cast<int>((count - n) / hop) + 1 : 1;
  s.level_db.assign(static_cast<std::size_t>(s.frames) * rows, -100.0f);
  std::vector<double> w(n);
  double sum_w2 = 0.0;
  for (int i = 0; i < n; ++i) {
    w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n);
    sum_w2 += w[i] * w[i];
  }
  RealFftDouble fft(n);
  double* in = fft.time();
  const RealFftDouble::Bin* out = fft.spectrum();
  const double to_spl = 2.0 / (n * sum_w2);  // one-sided bin power -> a sinusoid's mean square
  for (int f = 0; f < s.frames; ++f) {
    const std::size_t start = static_cast<std::size_t>(f) * hop;
    for (int i = 0; i < n; ++i) in[i] = start + i < count ? w[i] * x[start + i] : 0.0;
    fft.forward();
    for (int r = 0; r < rows; ++r) {
      const int k0 = static_cast<int>(std::floor(r * s.max_frequency_hz / rows * n / fs));
      const int k1 = std::max(k0, static_cast<int>(std::floor((r + 1) * s.max_frequency_hz / rows * n / fs)) - 1);
      double best = 0.0;
      for (int k = k0; k <= std::min(k1, n / 2); ++k) best = std::max(best, out[k][0] * out[k][0] + out[k][1] * out[k][1]);
      s.level_db[static_cast<std::size_t>(f) * rows + r] =
          static_cast<float>(10.0 * std::log10(std::max(best * to_spl, 1e-20)) + cal);
    }
  }
  return s;
}

}  // namespace earshot
