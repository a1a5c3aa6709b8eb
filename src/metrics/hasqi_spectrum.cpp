#include "metrics/hasqi_spectrum.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {
namespace {

SpectrumDifferenceStats stats(const std::vector<double>& difference, std::size_t bands) {
  SpectrumDifferenceStats s;
  if (difference.empty()) return s;
  double mean = 0.0;
  for (double d : difference) {
    s.sum_abs += std::abs(d);
    s.max_abs = std::max(s.max_abs, std::abs(d));
    mean += d;
  }
  mean /= static_cast<double>(difference.size());
  double variance = 0.0;
  for (double d : difference) variance += (d - mean) * (d - mean);
  variance /= static_cast<double>(difference.size());
  // Scaled by the band count (also for the slope, which has one difference fewer), as Kates scales
  // it: the spread is then about the size of one band's share of the loudness sum times bands.
  s.spread = static_cast<double>(bands) * std::sqrt(variance);
  return s;
}

std::vector<double> unit_sum_magnitudes(const std::vector<double>& level_db) {
  std::vector<double> m(level_db.size());
  double sum = 0.0;
  for (std::size_t k = 0; k < level_db.size(); ++k) sum += m[k] = std::pow(10.0, level_db[k] / 20.0);
  for (double& v : m) v /= sum;
  return m;
}

}  // namespace

SpectrumDifference spectrum_difference(const std::vector<double>& reference_sl_db, const std::vector<double>& processed_sl_db) {
  const std::size_t bands = reference_sl_db.size();
  const std::vector<double> x = unit_sum_magnitudes(reference_sl_db);
  const std::vector<double> y = unit_sum_magnitudes(processed_sl_db);
  std::vector<double> loudness(bands), normalised(bands), slope(bands > 0 ? bands - 1 : 0);
  for (std::size_t k = 0; k < bands; ++k) {
    loudness[k] = x[k] - y[k];
    normalised[k] = (x[k] - y[k]) / (x[k] + y[k]);
  }
  for (std::size_t k = 0; k + 1 < bands; ++k) slope[k] = (x[k + 1] - x[k]) - (y[k + 1] - y[k]);
  return {stats(loudness, bands), stats(normalised, bands), stats(slope, bands)};
}

}  // namespace earshot
