#pragma once
// One band of the auditory filterbank in Kates' model (Kates 2013, POMA 19, 050184, section II.B):
// a fourth-order gammatone filter, realised as Slaney (1993) and Kates do it by shifting the band
// down to 0 Hz (multiplying by a cosine and a sine at the centre frequency), low-pass filtering the
// two products with a four-pole filter with a two-zero numerator, and shifting back. The magnitude
// of the complex low-pass output is the band's envelope; the shifted-back real part its
// basilar-membrane vibration.
#include <array>
#include <cstddef>
#include <vector>

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

// Two signals through one band's filters at once (the same centre, each its own width): the same
// samples as two kates_gammatone_band calls (up to FMA's rounding on the AVX2 path), computed side by
// side (four independent recursions, which a CPU overlaps, and the carrier's rotation beside them).
// envelope_* always written; basilar_membrane_* when not null.
void kates_gammatone_band_pair(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz, double centre_hz,
                               double bandwidth_factor_a, double bandwidth_factor_b, double* envelope_a, double* envelope_b,
                               double* basilar_membrane_a, double* basilar_membrane_b);

// Two bands (each its own centre) of kates_gammatone_band_pair at once, envelopes only:
// envelopes = {band 0's a, band 0's b, band 1's a, band 1's b}. On the AVX-512 path the four
// filters run side by side in one register (the same values as two kates_gammatone_band_pair
// calls on the AVX2 path); elsewhere it is those two calls.
struct KatesGammatonePairBands {
  std::array<double, 2> centre_hz{};
  std::array<double, 2> bandwidth_factor_a{}, bandwidth_factor_b{};
};
void kates_gammatone_two_band_pairs(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz,
                                    const KatesGammatonePairBands& bands, double* const envelopes[4]);

// The mean square of one signal's envelopes through two bands' filters (each its own centre and
// width; the carriers by the rotation kates_gammatone_band uses), side by side: what sets a band's
// level-dependent width, found without keeping the envelopes. {band a, band b}.
std::array<double, 2> kates_gammatone_mean_square_pair(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band_a,
                                                       const KatesGammatone& band_b);

// The same for four bands ({a, b, c, d}): on the AVX-512 path all four in one eight-lane register,
// lane by lane the pair's arithmetic (the same values as two pairs); elsewhere as two pairs.
std::array<double, 4> kates_gammatone_mean_square_two_pairs(const double* x, std::size_t frames, double sample_rate_hz,
                                                            const std::array<KatesGammatone, 4>& bands);

// Group delay at 0 Hz, in samples, of the band's low-pass prototype: how late its envelope comes.
double kates_gammatone_group_delay_samples(const KatesGammatone& band, double sample_rate_hz);

}  // namespace earshot
