#pragma once
// Butterworth filters as cascades of second-order sections (bilinear transform with prewarping).
// Used by the implant's band-pass filterbank and envelope detectors, the EAS crossover and the
// temporal-jitter crossover.
#include <vector>

namespace earshot {

// One second-order section, transposed direct form II (state in z1, z2).
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  double z1 = 0, z2 = 0;
  double step(double x) noexcept {
    const double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }
  void reset() noexcept { z1 = z2 = 0.0; }
};

// Second-order Butterworth low- or high-pass (Q = 1/sqrt(2)), -3 dB at cutoff_hz.
Biquad butterworth_lowpass2(double cutoff_hz, double sample_rate_hz);
Biquad butterworth_highpass2(double cutoff_hz, double sample_rate_hz);

// Band-pass of order 2 * prototype_order from a Butterworth low-pass prototype (low-pass to
// band-pass transform), -3 dB at both edges, unity gain at the geometric centre. One section per
// prototype pole.
std::vector<Biquad> butterworth_bandpass(int prototype_order, double low_hz, double high_hz, double sample_rate_hz);

// |H| of a cascade at a frequency (for tests and normalisation).
double magnitude_response(const std::vector<Biquad>& sections, double frequency_hz, double sample_rate_hz);

// Group delay of a cascade at a frequency, in frames (from the slope of its phase).
double group_delay_frames(const std::vector<Biquad>& sections, double frequency_hz, double sample_rate_hz);

// Energy (sum of squares) of a cascade's impulse response over its first `frames` frames, from
// rest: the output variance for unit-variance white noise in, once the response has died away.
double impulse_response_energy(std::vector<Biquad> sections, int frames);

}  // namespace earshot
