#include "dsp/linear_phase_fir.hpp"

#include <cmath>
#include <complex>
#include <numbers>

#include "dsp/real_fft.hpp"

namespace earshot {

std::vector<float> design_linear_phase_fir(const std::function<double(double)>& gain_db, int taps, double sample_rate_hz) {
  if (taps % 2 == 0) ++taps;
  // The grid is 8 times finer than the filter is long, so sampling the response adds no error
  // that the window's smoothing does not already dominate.
  int grid = 1;
  while (grid < 8 * taps) grid *= 2;
  RealFftDouble fft(grid);
  for (int k = 0; k <= grid / 2; ++k) {
    fft.spectrum()[k][0] = std::pow(10.0, gain_db(k * sample_rate_hz / grid) / 20.0);
    fft.spectrum()[k][1] = 0.0;
  }
  fft.inverse();  // zero phase: the response is symmetric about sample 0 (circularly)
  const int centre = (taps - 1) / 2;
  std::vector<float> h(static_cast<std::size_t>(taps));
  for (int n = 0; n < taps; ++n) {
    const int lag = n - centre;
    const double window = 0.5 + 0.5 * std::cos(std::numbers::pi * lag / (centre + 1));
    h[static_cast<std::size_t>(n)] = static_cast<float>(fft.time()[(lag + grid) % grid] / grid * window);
  }
  return h;
}

double fir_gain_db(const std::vector<float>& taps, double frequency_hz, double sample_rate_hz) {
  std::complex<double> sum = 0.0;
  const double w = 2.0 * std::numbers::pi * frequency_hz / sample_rate_hz;
  for (std::size_t n = 0; n < taps.size(); ++n) sum += static_cast<double>(taps[n]) * std::polar(1.0, -w * static_cast<double>(n));
  return 20.0 * std::log10(std::abs(sum));
}

}  // namespace earshot
