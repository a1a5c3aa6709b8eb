#pragma once
// E1(x) for x > 0 by the two short approximations of Abramowitz & Stegun (1964, 5.1.53 and
// 5.1.54, from Hastings 1955): a polynomial plus -ln x up to x = 1 (absolute error below 2e-7) and
// a ratio of quartics for x e^x E1(x) above (error below 2e-8). Against the series and continued
// fraction of dsp/exponential_integral.hpp (1e-12, but 25 to 60 terms each), this costs one
// logarithm or one exponential and a few multiply-adds: the noise reduction evaluates E1 for every
// bin of every frame (hearing_aid/log_mmse_gain.hpp), where its error (relative, below 1e-6) is
// far under what a float gain resolves. tests/hearing_aid_noise_reduction_test.cpp compares the two.
namespace earshot {

double exponential_integral_e1_rational(double x) noexcept;

}  // namespace earshot
