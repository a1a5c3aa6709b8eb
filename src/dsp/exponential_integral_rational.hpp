#pragma once
// E1(x) for x > 0 by the two short approximations of Abramowitz & Stegun (1964, 5.1.53 and
// 5.1.54, from Hastings 1955): a polynomial plus -ln x up to x = 1 (absolute error below 2e-7) and
// a ratio of quartics for x e^x E1(x) above (error below 2e-8). Against the series and continued
// fraction of dsp/exponential_integral.hpp (1e-12, but 25 to 60 terms each), this costs one
// logarithm or one exponential and a few multiply-adds: the noise reduction evaluates E1 for every
// bin of every frame (hearing_aid/log_mmse_gain.hpp), where its error (relative, below 1e-6) is
// far under what a float gain resolves. tests/hearing_aid_noise_reduction_test.cpp compares the two.
#include "dsp/exp_log_lanes.hpp"

namespace earshot {

double exponential_integral_e1_rational(double x) noexcept;

// The same on four lanes, for 0 < x <= 700 (positive normal x): the same steps, with
// dsp/exp_log_lanes.hpp's exp and log (within 4 ulp of libm's) and both branches taken and one
// selected per lane.
[[gnu::always_inline]] inline void exponential_integral_e1_rational_lanes(const DoubleLanes& x, DoubleLanes& e1) noexcept {
  constexpr double a0 = -0.57721566, a1 = 0.99999193, a2 = -0.24991055, a3 = 0.05519968, a4 = -0.00976004, a5 = 0.00107857;
  DoubleLanes log_x;
  log_lanes(x, log_x);
  const DoubleLanes small = a0 + x * (a1 + x * (a2 + x * (a3 + x * (a4 + x * a5)))) - log_x;
  constexpr double c1 = 8.5733287401, c2 = 18.0590169730, c3 = 8.6347608925, c4 = 0.2677737343;
  constexpr double b1 = 9.5733223454, b2 = 25.6329561486, b3 = 21.0996530827, b4 = 3.9584969228;
  const DoubleLanes numerator = c4 + x * (c3 + x * (c2 + x * (c1 + x)));
  const DoubleLanes denominator = b4 + x * (b3 + x * (b2 + x * (b1 + x)));
  DoubleLanes exp_minus_x;
  exp_lanes(-x, exp_minus_x);
  const DoubleLanes large = numerator / denominator * exp_minus_x / x;
  e1 = x <= 1.0 ? small : large;
}

}  // namespace earshot
