#include "dsp/analytic_fir.hpp"

#include <cmath>
#include <numbers>

#include "dsp/real_fft.hpp"

namespace earshot {

AnalyticFirTaps design_analytic_fir(const std::function<double(double)>& amplitude, int taps, double sample_rate_hz) {
  if (taps % 2 == 0) ++taps;
  // As in design_linear_phase_fir: a grid 8 times finer than the filter, so the sampling adds no
  // error beside the window's smoothing.
  int grid = 1;
  while (grid < 8 * taps) grid *= 2;
  RealFftDouble in_phase(grid), quadrature(grid);
  for (int k = 0; k <= grid / 2; ++k) {
    const double a = amplitude(k * sample_rate_hz / grid);
    in_phase.spectrum()[k][0] = a;
    in_phase.spectrum()[k][1] = 0.0;
    // -j A(f) at positive frequencies: the Hilbert transform (real and odd in time). DC and
    // Nyquist have no quadrature part.
    const bool edge = k == 0 || k == grid / 2;
    quadrature.spectrum()[k][0] = 0.0;
    quadrature.spectrum()[k][1] = edge ? 0.0 : -a;
  }
  in_phase.inverse();
  quadrature.inverse();
  const int centre = (taps - 1) / 2;
  AnalyticFirTaps out;
  out.in_phase.resize(static_cast<std::size_t>(taps));
  out.quadrature.resize(static_cast<std::size_t>(taps));
  for (int n = 0; n < taps; ++n) {
    const int lag = n - centre;
    const double window = 0.5 + 0.5 * std::cos(std::numbers::pi * lag / (centre + 1));
    const std::size_t i = static_cast<std::size_t>((lag + grid) % grid);
    out.in_phase[static_cast<std::size_t>(n)] = static_cast<float>(in_phase.time()[i] / grid * window);
    out.quadrature[static_cast<std::size_t>(n)] = static_cast<float>(quadrature.time()[i] / grid * window);
  }
  return out;
}

}  // namespace earshot
