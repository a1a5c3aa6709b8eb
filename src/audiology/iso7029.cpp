#include <algorithm>
#include <array>
#include <cmath>

#include "audiology/presets.hpp"

namespace earshot {
namespace {

constexpr std::array<double, 11> kFrequencies{125, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000};

// ISO 7029:2017 median: dH_md = a (Y - 18)^b dB for age Y >= 18 (Table 1 of the 2017 edition).
struct Median {
  double a, b;
};
constexpr std::array<Median, 11> kMedianMale{{{2.50e-6, 3.841}, {1.39e-4, 2.832}, {4.59e-4, 2.537},
                                               {5.70e-4, 2.512}, {7.02e-4, 2.494}, {1.09e-3, 2.446},
                                               {1.56e-3, 2.404}, {2.54e-3, 2.350}, {3.40e-3, 2.325},
                                               {4.53e-3, 2.315}, {5.06e-3, 2.328}}};
constexpr std::array<Median, 11> kMedianFemale{{{6.16e-4, 2.451}, {3.98e-4, 2.568}, {2.61e-4, 2.708},
                                                 {2.25e-4, 2.775}, {2.21e-4, 2.805}, {2.53e-4, 2.813},
                                                 {3.12e-4, 2.792}, {4.88e-4, 2.728}, {7.37e-4, 2.660},
                                                 {1.47e-3, 2.539}, {2.53e-3, 2.439}}};

// ISO 7029:2017 spreads of the upper (worse) and lower (better) halves of the distribution:
// s = c0 + c1 u + ... + c5 u^5 dB with u = Y - 18 (Tables 2-5 of the 2017 edition).
using Poly = std::array<double, 6>;
constexpr std::array<Poly, 11> kUpperMale{{
    {4.63, .645, -8.85e-2, 3.69e-3, -5.98e-5, 3.39e-7}, {5.27, .710, -9.13e-2, 3.64e-3, -5.74e-5, 3.22e-7},
    {4.98, .751, -9.20e-2, 3.68e-3, -5.84e-5, 3.28e-7}, {4.65, .733, -8.81e-2, 3.59e-3, -5.76e-5, 3.24e-7},
    {4.42, .714, -8.54e-2, 3.57e-3, -5.82e-5, 3.29e-7}, {4.14, .679, -8.04e-2, 3.52e-3, -5.89e-5, 3.35e-7},
    {4.10, .632, -7.53e-2, 3.46e-3, -5.94e-5, 3.40e-7}, {4.29, .530, -6.28e-2, 3.09e-3, -5.37e-5, 2.95e-7},
    {4.68, .455, -5.52e-2, 2.95e-3, -5.30e-5, 2.92e-7}, {5.61, .363, -4.72e-2, 2.92e-3, -5.58e-5, 3.12e-7},
    {6.62, .291, -4.16e-2, 2.92e-3, -5.85e-5, 3.33e-7}}};
constexpr std::array<Poly, 11> kLowerMale{{
    {3.34, .131, -2.02e-2, 1.12e-3, -2.28e-5, 1.57e-7}, {3.32, .230, -2.54e-2, 1.20e-3, -2.27e-5, 1.46e-7},
    {3.43, .362, -4.11e-2, 1.87e-3, -3.44e-5, 2.21e-7}, {3.60, .384, -4.43e-2, 1.98e-3, -3.55e-5, 2.22e-7},
    {3.77, .363, -4.19e-2, 1.82e-3, -3.14e-5, 1.89e-7}, {3.93, .365, -4.22e-2, 1.79e-3, -2.96e-5, 1.70e-7},
    {4.01, .387, -4.47e-2, 1.87e-3, -3.02e-5, 1.69e-7}, {4.11, .405, -4.56e-2, 1.86e-3, -2.83e-5, 1.46e-7},
    {4.09, .439, -4.78e-2, 1.92e-3, -2.84e-5, 1.40e-7}, {4.01, .497, -4.97e-2, 1.93e-3, -2.67e-5, 1.18e-7},
    {3.90, .559, -5.62e-2, 2.40e-3, -3.92e-5, 2.29e-7}}};
constexpr std::array<Poly, 11> kUpperFemale{{
    {5.05, .400, -4.60e-2, 1.73e-3, -2.75e-5, 1.71e-7}, {5.01, .481, -4.88e-2, 1.80e-3, -2.81e-5, 1.67e-7},
    {4.68, .510, -5.16e-2, 1.95e-3, -3.07e-5, 1.77e-7}, {4.45, .511, -5.25e-2, 2.03e-3, -3.18e-5, 1.81e-7},
    {4.34, .492, -5.15e-2, 2.03e-3, -3.18e-5, 1.78e-7}, {4.23, .479, -5.12e-2, 2.07e-3, -3.26e-5, 1.80e-7},
    {4.26, .456, -4.91e-2, 2.01e-3, -3.16e-5, 1.70e-7}, {4.36, .476, -5.15e-2, 2.19e-3, -3.51e-5, 1.91e-7},
    {4.61, .477, -5.07e-2, 2.19e-3, -3.51e-5, 1.88e-7}, {5.22, .483, -4.83e-2, 2.13e-3, -3.39e-5, 1.74e-7},
    {5.84, .516, -4.89e-2, 2.18e-3, -3.49e-5, 1.77e-7}}};
constexpr std::array<Poly, 11> kLowerFemale{{
    {3.64, .047, 2.28e-3, -6.68e-5, -8.72e-7, 2.30e-8}, {3.11, .226, -7.71e-3, 9.83e-5, -7.11e-7, 9.02e-9},
    {2.98, .338, -1.74e-2, 3.53e-4, -2.78e-6, 1.01e-8}, {3.03, .378, -2.24e-2, 5.20e-4, -4.60e-6, 1.50e-8},
    {3.15, .382, -2.39e-2, 5.62e-4, -4.60e-6, 9.87e-9}, {3.32, .387, -2.64e-2, 6.71e-4, -5.76e-6, 1.07e-8},
    {3.47, .392, -2.84e-2, 7.79e-4, -7.35e-6, 1.71e-8}, {3.69, .392, -2.96e-2, 8.44e-4, -7.55e-6, 8.16e-9},
    {3.84, .402, -3.17e-2, 9.99e-4, -1.08e-5, 2.99e-8}, {4.04, .403, -3.15e-2, 1.06e-3, -1.21e-5, 3.44e-8},
    {4.15, .413, -3.01e-2, 1.00e-3, -9.97e-6, 8.74e-9}}};

double poly(const Poly& c, double u) {
  double v = 0.0;
  for (int i = 5; i >= 0; --i) v = v * u + c[i];
  return std::max(v, 0.0);
}

}  // namespace

double normal_quantile_upper(double fraction_worse) {
  // Inverse of the standard normal upper tail, by bisection on erfc (exact to 1e-10).
  const double q = std::clamp(fraction_worse, 1e-6, 1.0 - 1e-6);
  double lo = -10.0, hi = 10.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > q) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

Audiogram iso7029_audiogram(double age_years, Sex sex, double fraction_worse) {
  const double u = std::max(age_years - 18.0, 0.0);
  const double k = normal_quantile_upper(fraction_worse);
  const bool male = sex == Sex::male;
  Audiogram a;
  for (std::size_t i = 0; i < kFrequencies.size(); ++i) {
    const Median m = male ? kMedianMale[i] : kMedianFemale[i];
    double h = m.a * std::pow(u, m.b);
    if (k > 0.0) h += k * poly(male ? kUpperMale[i] : kUpperFemale[i], u);
    if (k < 0.0) h += k * poly(male ? kLowerMale[i] : kLowerFemale[i], u);
    a.points.push_back({kFrequencies[i], h});
  }
  return a;
}

}  // namespace earshot
