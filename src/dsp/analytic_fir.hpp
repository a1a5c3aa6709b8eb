#pragma once
// A linear-phase FIR pair for an amplitude response A(f): the in-phase taps (the zero-phase
// response, as dsp/linear_phase_fir.hpp designs it) and the quadrature taps (their Hilbert
// transform: the same |A(f)|, shifted by -90 degrees). Filtered by both, a signal gives its
// analytic signal in the band, re + j im, whose magnitude is the band's envelope with no ripple at
// twice the frequency, so a level detector can follow a band sample by sample (a hearing aid's
// compressor, hearing_aid/). Both use the same Hann window and length, so they delay alike. The
// design is linear in A: designs for amplitudes that sum to A sum to the design for A.
// Near 0 Hz and Nyquist the quadrature filter cannot follow A (a Hilbert transformer's response
// must fall to 0 there), so the envelope is exact only from about 2 fs / taps Hz above 0 Hz to as
// far below Nyquist. Pure; allocates.
#include <functional>
#include <vector>

namespace earshot {

struct AnalyticFirTaps {
  std::vector<float> in_phase;    // symmetric, odd length
  std::vector<float> quadrature;  // antisymmetric, same length
};

// `taps` odd (an even count is rounded up). amplitude(f) >= 0 is read at 0 ... fs/2.
AnalyticFirTaps design_analytic_fir(const std::function<double(double frequency_hz)>& amplitude, int taps, double sample_rate_hz);

}  // namespace earshot
