#pragma once
// The long-term power spectrum of a whole signal in bands, at a cost that grows linearly with its
// length whatever that length is: Welch's averaged periodogram (Welch 1967, IEEE Trans. Audio
// Electroacoust. 15(2):70-73) over segments of a power-of-two size, for ANSI S3.5-1997's band
// levels of speech and noise (its clause 3.5: the long-term band level, energy averaged over time).
//
// One FFT of the whole signal at its exact length (band_powers in band_levels.hpp, the method of
// the MSBG oracle data) costs what the length's prime factors make it, up to many times a
// power-of-two size for a prime length, and holds the whole signal twice in double. Here segments
// are weighted by a Kaiser-Bessel-derived window at 50 % overlap: the squares of two overlapping
// halves sum to exactly 1, and the signal is padded by half a segment at each end, so every
// sample counts once with weight 1 and the band powers sum to the signal's mean square, as the
// whole-signal periodogram's do. What changes is the spectral resolution: a band edge is blurred
// over the window's main lobe (a few bins of sample_rate / segment, under 10 Hz with the segment
// chosen below) where the whole signal's bins are fs / N apart. tests/long_term_spectrum_test.cpp
// measures the difference on corpus speech in every SII procedure's bands.
// An analysis tool (allocates), not a real-time block.
#include <cstddef>
#include <vector>

namespace earshot {

// The segment the long-term spectrum uses at a rate: the smallest power of two whose bin spacing
// is at most kLongTermBinSpacingHz (32768 at 44.1 and 48 kHz, 16384 at 16 kHz), so that the
// narrowest SII band (one-third octave at 160 Hz, 36 Hz wide) spans two dozen bins.
inline constexpr double kLongTermBinSpacingHz = 1.5;
int long_term_segment_frames(double sample_rate_hz);

// Mean-square power of a whole signal in bands [lower_hz[b], upper_hz[b]): one-sided bins with
// f_lo <= f_k < f_hi summed, as band_powers sums them, from the Welch-averaged spectrum.
std::vector<double> long_term_band_powers(const float* samples, std::size_t count, double sample_rate_hz,
                                          const std::vector<double>& lower_hz, const std::vector<double>& upper_hz);

}  // namespace earshot
