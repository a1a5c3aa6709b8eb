#pragma once
// Short-Time Objective Intelligibility (Taal, Hendriks, Heusdens & Jensen 2011, IEEE TASLP
// 19(7):2125-2136) and its extended form ESTOI (Jensen & Taal 2016, IEEE/ACM TASLP 24(11):2009-2022).
// Both signals are resampled to 10 kHz, frames whose clean-speech energy is more than 40 dB below
// the loudest frame are removed (from both), a 256-point Hann STFT (512-point FFT, hop 128) is
// grouped into 15 one-third-octave bands from 150 Hz, and short-time envelopes of 30 frames
// (384 ms) are correlated. Offline, double precision.
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

struct StoiScores {
  double stoi = 0.0;
  double estoi = 0.0;
  int segments = 0;  // 384 ms envelope segments that entered the average
};

// clean and processed must have the same length and rate. Errors: mismatched lengths, a rate
// below 1 kHz, a silent clean signal, or too little speech left for one 384 ms segment.
Result<StoiScores> stoi(const std::vector<float>& clean, const std::vector<float>& processed, double sample_rate_hz);

}  // namespace earshot
