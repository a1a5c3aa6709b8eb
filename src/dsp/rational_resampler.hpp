#pragma once
// Rational-ratio resampling by a Kaiser-windowed sinc, designed as GNU Octave's resample() designs
// it (60 dB stopband rejection, transition width a tenth of the cutoff) and applied as a polyphase
// FIR with the output aligned to the filter's centre. STOI's reference implementations (Taal's
// MATLAB code, pystoi) resample to 10 kHz this way, so metrics computed after it match theirs.
// Offline (whole signal in, whole signal out), double precision.
#include <vector>

namespace earshot {

// y has ceil(x.size() * up / down) samples. up/down are reduced by their gcd first.
std::vector<double> resample_rational(const std::vector<double>& x, long up, long down);

}  // namespace earshot
