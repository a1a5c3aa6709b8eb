#pragma once
// A linear-phase FIR by the frequency-sampling method of MATLAB's fir2 (the design Kates uses for
// the NAL-R stage of HASPI/HASQI, eb_NALR.m, and that pyclarity's NAL-R reproduces): the gains,
// given at breakpoints on a normalised frequency axis (0 = DC, 1 = Nyquist), are spread over a
// grid of 513 points (more for filters of 1024 taps or longer), a linear phase of (taps - 1) / 2
// samples is put on them, the inverse DFT of the Hermitian spectrum gives an impulse response of
// which the first `taps` samples are kept and tapered by a Hamming window.
//
// Unlike dsp/linear_phase_fir.hpp (a Hann-windowed design from a gain function), this one follows
// fir2 grid point for grid point, so that a metric defined with it (HASQI v2's reference
// equalisation) gets the same taps as its reference implementation. Pure; allocates.
#include <vector>

namespace earshot {

// breakpoints_normalised: increasing, first 0 and last 1 (fir2 forces both ends); gains: linear
// amplitude at each breakpoint. taps >= 2. Repeated breakpoints (fir2's jumps) are not supported.
std::vector<double> design_frequency_sampling_fir(int taps, const std::vector<double>& breakpoints_normalised,
                                                  const std::vector<double>& gains);

}  // namespace earshot
