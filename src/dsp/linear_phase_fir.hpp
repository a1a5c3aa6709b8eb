#pragma once
// A linear-phase FIR filter for a magnitude response given as a function of frequency (dB), by
// the window method: the zero-phase impulse response of the response sampled on a fine grid,
// centred, cut to `taps` samples and tapered by a Hann window. Its delay is (taps - 1) / 2 frames
// at every frequency, so a signal through it stays aligned once that delay is removed. How closely
// it follows the response is set by the length: features narrower than about 2 fs / taps Hz are
// smoothed (the Hann window's main lobe). Pure; allocates.
#include <functional>
#include <vector>

namespace earshot {

// `taps` odd (an even count is rounded up). gain_db(f) is read at 0 ... fs/2.
std::vector<float> design_linear_phase_fir(const std::function<double(double frequency_hz)>& gain_db, int taps, double sample_rate_hz);

// |H(f)| of taps h at frequency f, dB (the DTFT, for tests and reports).
double fir_gain_db(const std::vector<float>& taps, double frequency_hz, double sample_rate_hz);

}  // namespace earshot
