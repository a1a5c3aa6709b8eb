#include "audiology/loudness_growth.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {

double loudness_growth_alpha(double q, double idr_db) {
  const double base = std::pow(10.0, -idr_db / 20.0);
  const double r10 = (std::pow(10.0, -0.5) - base) / (1.0 - base);
  // drop(alpha) = 100 (1 - log(1 + alpha r10) / log(1 + alpha)) falls as alpha grows.
  auto drop = [&](double alpha) { return 100.0 * (1.0 - std::log1p(alpha * r10) / std::log1p(alpha)); };
  double lo = std::log(1e-6), hi = std::log(1e9);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (drop(std::exp(mid)) > q) lo = mid;
    else hi = mid;
  }
  return std::exp(0.5 * (lo + hi));
}

double LoudnessGrowth::log1p_alpha() const noexcept { return std::log1p(alpha); }

double LoudnessGrowth::proportion(double u) const noexcept { return proportion(u, log1p_alpha()); }

double LoudnessGrowth::envelope(double p) const noexcept { return envelope(p, log1p_alpha()); }

double LoudnessGrowth::proportion(double u, double log1p_alpha) const noexcept {
  if (u <= base) return -1.0;
  const double r = std::min((u - base) / (saturation - base), 1.0);
  return std::log1p(alpha * r) / log1p_alpha;
}

double LoudnessGrowth::envelope(double p, double log1p_alpha) const noexcept {
  const double r = std::expm1(std::clamp(p, 0.0, 1.0) * log1p_alpha) / alpha;
  return base + r * (saturation - base);
}

}  // namespace earshot
