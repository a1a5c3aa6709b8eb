#pragma once
// HASQI v2's envelope term (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117): the
// ear model's dB envelopes are smoothed into 16 ms segments with 50 % overlap, each segment's
// spectrum across the auditory bands is fitted with half-cosine basis functions (a mel cepstrum,
// since the bands are on the ERB scale), and the time sequences of the reference's and the
// processed signal's coefficients 2 to 6 are correlated. The cepstral correlation falls as noise,
// distortion or processing changes the short-time spectral shape; a constant spectral tilt or a
// level change, which shift a coefficient by a constant, leave it unchanged (the sequences are
// mean-removed).
#include <cstddef>
#include <vector>

namespace earshot {

// [band][sample] signals or envelopes, one row per auditory band (the ear model's layout).
using BandSignals = std::vector<std::vector<double>>;

// Averages of each band's envelope over Hann-windowed segments of `segment_ms` (rounded to an even
// number of samples) with 50 % overlap; the first and last segments are half windows (the rising
// half cut off at the start, the falling half at the end), each normalised by its window's sum.
// Output rate 2000 / segment_ms Hz (125 Hz for 16 ms). Every row must be at least one segment long.
BandSignals smooth_envelopes(const BandSignals& envelopes_db, double segment_ms, double sample_rate_hz);
// One band's row of that (`samples` envelope samples, dB).
std::vector<double> smooth_envelope(const double* envelope_db, std::size_t samples, double segment_ms, double sample_rate_hz);

struct CepstralCorrelation {
  double average = 0.0;                    // mean of |r| over coefficients 2..6 (the HASQI term)
  std::vector<double> coefficients;        // |r| of each of the 6 coefficients (the first: level)
  int segments_above_threshold = 0;
};

// Correlation of mel-cepstrum sequences over the segments whose reference loudness (the mean over
// bands of 10^(dB / 20), back in dB) exceeds `silence_threshold_db` (2.5 dB in HASQI v2). Fewer
// than two such segments: every correlation is 0. A coefficient whose sequence is constant in
// either signal correlates 0. Kates's optional low-level noise (add_noise) is 0 in HASQI v2 and
// is not offered.
CepstralCorrelation mel_cepstrum_correlation(const BandSignals& reference_smoothed_db, const BandSignals& processed_smoothed_db,
                                             double silence_threshold_db);

}  // namespace earshot
