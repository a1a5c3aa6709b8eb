#include "hearing_aid/log_mmse_gain.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/exponential_integral_rational.hpp"

namespace earshot {

double log_mmse_gain(double a_priori_snr, double a_posteriori_snr) noexcept {
  const double xi = std::max(a_priori_snr, 0.0);
  const double wiener = xi / (1.0 + xi);
  // v -> 0 makes E1 grow like -ln v and the product tend to a finite limit; below 1e-30 the
  // product is far under any gain floor, and E1 stays finite.
  const double v = std::max(wiener * std::max(a_posteriori_snr, 0.0), 1e-30);
  // Above v = 40, E1(v) < 1e-19: the exponential is 1 to double precision.
  // E1 by its rational approximation (dsp/exponential_integral_rational.hpp): every bin of every
  // frame needs one, and the series and continued fraction took as long as the rest of the noise
  // reduction together.
  const double e1 = v > 40.0 ? 0.0 : exponential_integral_e1_rational(v);
  return wiener * std::exp(0.5 * e1);
}

}  // namespace earshot
