#include "dsp/exponential_integral.hpp"

#include <cmath>
#include <limits>

namespace earshot {

double exponential_integral_e1(double x) noexcept {
  if (!(x > 0.0)) return std::numeric_limits<double>::infinity();
  if (x <= 1.0) {
    // A&S 5.1.11: E1(x) = -gamma - ln x - sum_{k>=1} (-x)^k / (k k!). At x = 1 the 25th term is
    // below 1e-27.
    constexpr double kEulerGamma = 0.57721566490153286061;
    double sum = 0.0, term = 1.0;  // term = (-x)^k / k!
    for (int k = 1; k <= 25; ++k) {
      term *= -x / k;
      sum += term / k;
    }
    return -kEulerGamma - std::log(x) - sum;
  }
  // A&S 5.1.22: E1(x) = e^-x / (x + 1 / (1 + 1 / (x + 2 / (1 + 2 / (x + ...))))), evaluated from
  // the tail inwards. Written in its even contraction, e^-x / (x + 1 - 1 / (x + 3 - 4 / (x + 5 -
  // ...))), whose k-th level is (x + 2k + 1) - (k + 1)^2 / (next level); 60 levels reach 1e-13 at
  // x = 1 and far better above.
  double tail = x + 2.0 * 60 + 1.0;
  for (int k = 59; k >= 0; --k) tail = (x + 2.0 * k + 1.0) - (k + 1.0) * (k + 1.0) / tail;
  return std::exp(-x) / tail;
}

}  // namespace earshot
