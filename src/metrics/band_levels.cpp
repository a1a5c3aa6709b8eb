#include "metrics/band_levels.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "dsp/real_fft.hpp"

namespace earshot {

namespace {
// Nominal (preferred) centres for base-10 one-third-octave bands, IEC 61260-1 Annex E.
double nominal(double centre) {
  static constexpr std::array<double, 10> kMantissa{1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0};
  const double decade = std::pow(10.0, std::floor(std::log10(centre) + 1e-9));
  double best = kMantissa[0] * decade;
  for (double m : kMantissa) {
    if (std::fabs(m * decade - centre) < std::fabs(best - centre)) best = m * decade;
  }
  if (std::fabs(10.0 * decade - centre) < std::fabs(best - centre)) best = 10.0 * decade;
  return best;
}
}  // namespace

std::vector<double> band_powers(const float* samples, std::size_t count, double fs, const std::vector<double>& lower_hz,
                                const std::vector<double>& upper_hz) {
  std::vector<double> out(lower_hz.size(), 0.0);
  if (count == 0) return out;
  const int n = static_cast<int>(count);
  RealFftDouble fft(n);
  double* in = fft.time();
  const RealFftDouble::Bin* spec = fft.spectrum();
  for (int i = 0; i < n; ++i) in[i] = samples[i];
  fft.forward();
  // Each band visits only its own bins (and one either side of their rounded range, for the exact
  // test), in increasing order as a sweep over all bins would add them.
  for (std::size_t b = 0; b < out.size(); ++b) {
    const int first = std::max(0, static_cast<int>(std::ceil(lower_hz[b] * n / fs)) - 1);
    const int end = std::min(n / 2 + 1, static_cast<int>(std::ceil(upper_hz[b] * n / fs)) + 1);
    for (int k = first; k < end; ++k) {
      const double f = k * fs / n;
      if (!(f >= lower_hz[b] && f < upper_hz[b])) continue;
      const double p = (spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1]) / (double(n) * n);
      out[b] += (k > 0 && 2 * k < n) ? 2.0 * p : p;
    }
  }
  return out;
}

std::vector<BandLevel> third_octave_levels(const float* samples, std::size_t count, double fs, double calibration_db,
                                           int first_index, int last_index) {
  std::vector<double> lower, upper, centre;
  for (int b = first_index; b <= last_index; ++b) {
    const double fc = 1000.0 * std::pow(10.0, b / 10.0);
    centre.push_back(fc);
    lower.push_back(fc * std::pow(10.0, -1.0 / 20.0));
    upper.push_back(fc * std::pow(10.0, 1.0 / 20.0));
  }
  const std::vector<double> power = band_powers(samples, count, fs, lower, upper);
  std::vector<BandLevel> bands;
  for (std::size_t b = 0; b < power.size(); ++b) {
    bands.push_back({nominal(centre[b]), centre[b], 10.0 * std::log10(std::max(power[b], 1e-300)) + calibration_db});
  }
  return bands;
}

double level_db(const float* samples, std::size_t count, double calibration_db) {
  double sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) sum += double(samples[i]) * samples[i];
  return 10.0 * std::log10(std::max(sum / std::max<std::size_t>(count, 1), 1e-300)) + calibration_db;
}

}  // namespace earshot
