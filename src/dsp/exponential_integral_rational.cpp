#include "dsp/exponential_integral_rational.hpp"

#include <cmath>
#include <limits>

namespace earshot {

double exponential_integral_e1_rational(double x) noexcept {
  if (!(x > 0.0)) return std::numeric_limits<double>::infinity();
  if (x <= 1.0) {
    // A&S 5.1.53: E1(x) + ln x = a0 + a1 x + ... + a5 x^5, |error| < 2e-7.
    constexpr double a0 = -0.57721566, a1 = 0.99999193, a2 = -0.24991055, a3 = 0.05519968, a4 = -0.00976004, a5 = 0.00107857;
    return a0 + x * (a1 + x * (a2 + x * (a3 + x * (a4 + x * a5)))) - std::log(x);
  }
  // A&S 5.1.54: x e^x E1(x) = (x^4 + a1 x^3 + a2 x^2 + a3 x + a4) / (x^4 + b1 x^3 + b2 x^2 + b3 x + b4),
  // |error| < 2e-8.
  constexpr double a1 = 8.5733287401, a2 = 18.0590169730, a3 = 8.6347608925, a4 = 0.2677737343;
  constexpr double b1 = 9.5733223454, b2 = 25.6329561486, b3 = 21.0996530827, b4 = 3.9584969228;
  const double numerator = a4 + x * (a3 + x * (a2 + x * (a1 + x)));
  const double denominator = b4 + x * (b3 + x * (b2 + x * (b1 + x)));
  return numerator / denominator * std::exp(-x) / x;
}

}  // namespace earshot
