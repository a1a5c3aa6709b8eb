#pragma once
// HASQI v2's temporal-fine-structure term (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117):
// in every auditory band and 16 ms segment, the normalised cross-covariance of the
// reference's and the processed signal's basilar-membrane vibration (the largest over lags of
// +-1 ms), averaged over the time-frequency tiles loud enough to hear, with the high bands
// weighted down as the inner hair cells lose synchrony to the fine structure (Johnson 1980, J
// Acoust Soc Am 68:1115-1122). Noise and nonlinear distortion, which change the waveform within a
// band, lower it; a gain or a spectral tilt, which only scale a band, do not.
#include <array>
#include <cstddef>
#include <vector>

#include "metrics/hasqi_envelope.hpp"

namespace earshot {

struct SegmentCovariances {
  BandSignals cross_covariance;       // [band][segment], 0..1
  BandSignals reference_mean_square;  // [band][segment], of the mean-removed windowed segment, x2
  BandSignals processed_mean_square;
};

// The segments of metrics/hasqi_segments.hpp (`segment_ms`, 16 in HASQI v2). Each windowed,
// mean-removed segment pair's cross-correlation at lags -1 ... +1 ms is divided by the window's
// own autocorrelation at that lag (an unbiased estimate) and the largest magnitude is normalised
// by the two segments' mean squares (0 if either is below 1e-30), then limited to 0..1. The mean
// squares are doubled, so that a sine's reads as its squared envelope (the BM signals are in dB SL).
SegmentCovariances basilar_membrane_covariances(const BandSignals& reference_bm, const BandSignals& processed_bm, double segment_ms,
                                                double sample_rate_hz);
// One band's rows of that, appended to `out` (x, y: the band's `samples` reference and processed samples).
void add_band_covariances(const double* x, const double* y, std::size_t samples, double segment_ms, double sample_rate_hz,
                          SegmentCovariances& out);

// The IHC synchrony weightings: low-pass roll-offs (order, cutoff) of (1, 1.5 kHz), (3, 2 kHz),
// (5, 2.5 kHz), (5, 3 kHz), (5, 3.5 kHz), (5, 4 kHz), each sqrt(fc^2p / (fc^2p + f^2p)) at a band's
// centre frequency f. HASQI v2 uses the fifth.
inline constexpr std::array<int, 6> kIhcSyncOrders = {1, 3, 5, 5, 5, 5};
inline constexpr std::array<double, 6> kIhcSyncCutoffsHz = {1500, 2000, 2500, 3000, 3500, 4000};

struct AverageCovariance {
  double unweighted = 0.0;               // mean over the tiles above threshold
  std::array<double, 6> ihc_sync{};      // the same, weighted by each synchrony roll-off
  int segments_above_threshold = 0;
};

// Average of the covariances over the tiles that count: segments whose reference level (from the
// mean squares, as the mean over bands of 10^(dB / 20) back in dB) exceeds `threshold_db`, and
// within them the bands whose own level exceeds it (2.5 dB SL in HASQI v2). Fewer than two such
// segments, or no tile: all 0. `centre_frequencies_hz`: the bands' centres (the ear model's).
AverageCovariance average_covariance(const SegmentCovariances& covariances, const std::vector<double>& centre_frequencies_hz,
                                     double threshold_db);

}  // namespace earshot
