#include <algorithm>
#include <array>
#include <cmath>

#include "audiology/presets.hpp"

namespace earshot {
namespace {

// ISO 1999:2013 Table 1 (median NIPTS coefficients) and Table 2 (spreads), 500..6000 Hz.
struct Row {
  double frequency_hz, u, v, l0_db, xu, yu, xl, yl;
};
constexpr std::array<Row, 6> kTable{{
    {500, -0.033, 0.110, 93, 0.044, 0.016, 0.033, 0.002},
    {1000, -0.020, 0.070, 89, 0.022, 0.016, 0.020, 0.000},
    {2000, -0.045, 0.066, 80, 0.031, -0.002, 0.016, 0.000},
    {3000, 0.012, 0.037, 77, 0.007, 0.016, 0.029, -0.010},
    {4000, 0.025, 0.025, 75, 0.005, 0.009, 0.016, -0.002},
    {6000, 0.019, 0.024, 77, 0.013, 0.008, 0.028, -0.007},
}};

// NIPTS (dB) at one table row, for exposure `years` >= 10 (the formula's range).
double nipts_10y_plus(const Row& r, double level_db_a, double years, double k) {
  const double excess = std::max(level_db_a - r.l0_db, 0.0);
  const double lg = std::log10(years);
  const double e2 = excess * excess;
  double n = (r.u + r.v * lg) * e2;
  if (k > 0.0) n += k * (r.xu + r.yu * lg) * e2;
  if (k < 0.0) n += k * (r.xl + r.yl * lg) * e2;
  return std::max(n, 0.0);
}

double nipts(const Row& r, double level_db_a, double years, double k) {
  if (years >= 10.0) return nipts_10y_plus(r, level_db_a, years, k);
  // Below 10 years: N(theta) = lg(theta + 1) / lg(11) * N(10 years) (ISO 1999:2013, 6.3.2).
  return std::log10(years + 1.0) / std::log10(11.0) * nipts_10y_plus(r, level_db_a, 10.0, k);
}

}  // namespace

Audiogram iso1999_audiogram(double exposure_db_a, double years, double age_years, Sex sex, double fraction_worse) {
  const double k = normal_quantile_upper(fraction_worse);
  Audiogram age = iso7029_audiogram(age_years, sex, fraction_worse);
  for (auto& p : age.points) {
    double n = 0.0;
    if (p.frequency_hz >= 500.0) {
      const auto it = std::find_if(kTable.begin(), kTable.end(), [&](const Row& r) { return r.frequency_hz == p.frequency_hz; });
      if (it != kTable.end()) {
        n = nipts(*it, exposure_db_a, years, k);
      } else if (p.frequency_hz > 6000.0) {
        n = nipts(kTable.back(), exposure_db_a, years, k);
      } else {
        // 750, 1500 Hz: between table rows, linear on log frequency.
        const auto hi = std::find_if(kTable.begin(), kTable.end(), [&](const Row& r) { return r.frequency_hz > p.frequency_hz; });
        const auto lo = hi - 1;
        const double t = std::log(p.frequency_hz / lo->frequency_hz) / std::log(hi->frequency_hz / lo->frequency_hz);
        n = (1.0 - t) * nipts(*lo, exposure_db_a, years, k) + t * nipts(*hi, exposure_db_a, years, k);
      }
    }
    const double h = p.level_db_hl;
    // ISO 1999:2013, 6.1: H' = H + N - H N / 120.
    p.level_db_hl = h + n - h * n / 120.0;
  }
  return age;
}

}  // namespace earshot
