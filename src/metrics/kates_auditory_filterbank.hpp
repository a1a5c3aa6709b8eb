#pragma once
// One band of the auditory filterbank in Kates' model (Kates 2013, POMA 19, 050184, section II.B):
// a fourth-order gammatone filter, realised as Slaney (1993) and Kates do it by shifting the band
// down to 0 Hz (multiplying by a cosine and a sine at the centre frequency), low-pass filtering the
// two products with a four-pole filter with a two-zero numerator, and shifting back. The magnitude
// of the complex low-pass output is the band's envelope; the shifted-back real part its
// basilar-membrane vibration.
#include <cstddef>

namespace earshot {

// The filter for a band: bandwidth_factor times the normal ERB (24.7 Hz + centre / 9.26449),
// times 1.019 (the gammatone's ERB to its bandwidth parameter).
struct KatesGammatone {
  double centre_hz = 1000.0;
  double bandwidth_factor = 1.0;
};

// x: `frames` samples at sample_rate_hz. envelope (frames) is always written; basilar_membrane
// (frames) when not null.
void kates_gammatone_band(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band,
                          double* envelope, double* basilar_membrane);

// Group delay at 0 Hz, in samples, of the band's low-pass prototype: how late its envelope comes.
double kates_gammatone_group_delay_samples(const KatesGammatone& band, double sample_rate_hz);

}  // namespace earshot
