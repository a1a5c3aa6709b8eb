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
namespace earshot {

double log_mmse_gain(double a_priori_snr, double a_posteriori_snr) noexcept;

}  // namespace earshot
