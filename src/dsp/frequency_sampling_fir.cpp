#include "dsp/frequency_sampling_fir.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot {

std::vector<double> design_frequency_sampling_fir(int taps, const std::vector<double>& breakpoints_normalised,
                                                  const std::vector<double>& gains) {
  // fir2's grid: 512 intervals from DC to Nyquist, or the next power of two at or above the
  // length for long filters, so that the grid is always finer than the filter's resolution.
  long grid_intervals = 512;
  if (taps >= 1024) grid_intervals = 1L << static_cast<int>(std::ceil(std::log2(static_cast<double>(taps))));
  const long grid_points = grid_intervals + 1;

  // The gains spread over the grid, linearly in grid index between breakpoints. fir2 places a
  // breakpoint at f (0..1) on grid index floor(f * grid_points) - 1, not f * grid_intervals: a
  // quirk of its one-based indexing, kept so that the taps match the design HASQI specifies.
  std::vector<double> amplitude(static_cast<std::size_t>(grid_points), 0.0);
  amplitude[0] = gains.front();
  long first = 0;
  const std::size_t segments = std::min(breakpoints_normalised.size(), gains.size()) - 1;
  for (std::size_t i = 0; i < segments; ++i) {
    const double upper = i + 1 == segments ? 1.0 : breakpoints_normalised[i + 1];
    const long last = std::min(grid_intervals, static_cast<long>(std::floor(upper * static_cast<double>(grid_points))) - 1);
    for (long j = first; j <= last; ++j) {
      const double t = last == first ? 0.0 : static_cast<double>(j - first) / static_cast<double>(last - first);
      amplitude[static_cast<std::size_t>(j)] = t * gains[i + 1] + (1.0 - t) * gains[i];
    }
    first = std::max(first, last + 1);
  }

  // With the linear phase exp(-i pi k (taps - 1) / (2 grid_intervals)) and Hermitian symmetry,
  // the inverse DFT of 2 grid_intervals points is a cosine sum. The angle pi k (2n - taps + 1) /
  // (2 grid_intervals) is reduced exactly in integers before the cosine, so that long sums keep
  // double precision.
  const long period = 4 * grid_intervals;  // the angle's period in units of pi / (2 grid_intervals)
  const double unit = std::numbers::pi / (2.0 * static_cast<double>(grid_intervals));
  std::vector<double> h(static_cast<std::size_t>(taps));
  for (int n = 0; n < taps; ++n) {
    const long offset = 2L * n - (taps - 1);
    double sum = amplitude[0];
    for (long k = 1; k < grid_intervals; ++k) {
      const long m = ((k * offset) % period + period) % period;
      sum += 2.0 * amplitude[static_cast<std::size_t>(k)] * std::cos(unit * static_cast<double>(m));
    }
    const long m = ((grid_intervals * offset) % period + period) % period;
    sum += amplitude[static_cast<std::size_t>(grid_intervals)] * std::cos(unit * static_cast<double>(m));
    // Hamming window, symmetric over the taps.
    const double window = taps > 1 ? 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * n / (taps - 1)) : 1.0;
    h[static_cast<std::size_t>(n)] = window * sum / (2.0 * static_cast<double>(grid_intervals));
  }
  return h;
}

}  // namespace earshot
