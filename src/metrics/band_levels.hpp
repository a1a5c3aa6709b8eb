#pragma once
// One-third-octave band levels of a whole signal by FFT band summation (the method of the MSBG
// oracle data in shared/oracles): one real FFT of all N samples, no window; bin power |X_k|^2/N^2,
// doubled for 0 < k < N/2, so bins sum to the mean square; a band sums bins with
// f_lo <= f_k < f_hi, where the base-10 centre is 1000 * 10^(k/10) and the edges fc * 10^(-+1/20).
// An analysis tool (allocates), not a real-time block.
#include <cstddef>
#include <vector>

namespace earshot {

struct BandLevel {
  double nominal_hz;
  double centre_hz;
  double level_db;  // 10 log10(band mean square) + calibration
};

// Bands k = first_index ... last_index (k = 0 is 1 kHz; -9 is 125 Hz, 9 is 8 kHz).
std::vector<BandLevel> third_octave_levels(const float* samples, std::size_t count, double sample_rate_hz,
                                           double calibration_db = 0.0, int first_index = -9, int last_index = 9);

// Mean-square power of a whole signal in arbitrary bands [lower_hz[b], upper_hz[b]), by the same
// FFT band summation.
std::vector<double> band_powers(const float* samples, std::size_t count, double sample_rate_hz,
                                const std::vector<double>& lower_hz, const std::vector<double>& upper_hz);

// Mean-square level in dB of a whole signal, plus calibration.
double level_db(const float* samples, std::size_t count, double calibration_db = 0.0);

}  // namespace earshot
