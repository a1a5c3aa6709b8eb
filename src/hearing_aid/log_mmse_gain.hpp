#pragma once
// The gain of the minimum mean-square error log-spectral amplitude estimator (Ephraim & Malah
// 1985, IEEE TASSP 33:443-445): the clean amplitude that minimises the mean-square error
// of log amplitudes, given a Gaussian model of speech and noise spectra, is
//   G(xi, gamma) = xi / (1 + xi) * exp(0.5 * E1(v)),   v = xi * gamma / (1 + xi),
// times the noisy amplitude, where xi is the a-priori SNR (speech power over noise power) and
// gamma the a-posteriori SNR (the bin's power over noise power). It is never below the Wiener
// gain xi / (1 + xi) (exp(E1 / 2) > 1), most above it at low a-priori SNR, and for a given xi it
// falls as gamma rises: a loud bin the prior did not expect is taken for a noise peak. The log
// criterion is closer to how loudness is heard (Ephraim & Malah 1985).
// Where gamma is far below 1 the gain exceeds 1; the caller decides what to do with that.
#include "dsp/exp_log_lanes.hpp"
#include "dsp/exponential_integral_rational.hpp"

namespace earshot {

double log_mmse_gain(double a_priori_snr, double a_posteriori_snr) noexcept;

// The same on four lanes (the noise reduction's bins, four at a time): the same steps as
// log_mmse_gain() (log_mmse_gain.cpp says why each), with dsp/exp_log_lanes.hpp's exp and log in
// place of libm's (within 4 ulp of them).
[[gnu::always_inline]] inline void log_mmse_gain_lanes(const DoubleLanes& a_priori_snr, const DoubleLanes& a_posteriori_snr,
                                                       DoubleLanes& gain) noexcept {
  const DoubleLanes xi = a_priori_snr < 0.0 ? DoubleLanes{} : a_priori_snr;
  const DoubleLanes wiener = xi / (1.0 + xi);
  const DoubleLanes gamma = a_posteriori_snr < 0.0 ? DoubleLanes{} : a_posteriori_snr;
  const DoubleLanes product = wiener * gamma;
  const DoubleLanes v = product < 1e-30 ? DoubleLanes{} + 1e-30 : product;
  // Lanes above 40 take E1 = 0; their E1 is evaluated at 40 (inside the lanes' range) and dropped.
  const DoubleLanes v_held = v > 40.0 ? DoubleLanes{} + 40.0 : v;
  DoubleLanes e1;
  exponential_integral_e1_rational_lanes(v_held, e1);
  e1 = v > 40.0 ? DoubleLanes{} : e1;
  DoubleLanes e;
  exp_lanes(0.5 * e1, e);
  gain = wiener * e;
}

}  // namespace earshot
