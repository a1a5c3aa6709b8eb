#pragma once
// A gain (dB) that follows its target through one of two one-pole lowpass filters: the attack's
// when the target is below it (the input got louder: the gain must come down), the release's when
// above. Smoothing the gain in dB after the static curve (rather than the level before it) makes
// the gain's path between two steady states exponential whatever the curve's knees, which is what
// lets the time constants be set from ANSI S3.22's attack and release times
// (hearing_aid/ansi_s322_timing.hpp); Giannoulis, Massberg & Reiss (2012, J Audio Eng Soc
// 60:399-408) compare this "smooth the gain" form with the others.
#include <cmath>

namespace earshot {

// The per-sample coefficient of a one-pole filter with time constant tau_s (1 - e^{-1 / (tau fs)}).
inline double one_pole_coefficient(double tau_s, double sample_rate_hz) { return 1.0 - std::exp(-1.0 / (tau_s * sample_rate_hz)); }

struct AttackReleaseSmoother {
  float attack = 1.0f;   // one_pole_coefficient(attack tau)
  float release = 1.0f;  // one_pole_coefficient(release tau)
  float gain_db = 0.0f;

  float step(float target_db) noexcept {
    gain_db += (target_db < gain_db ? attack : release) * (target_db - gain_db);
    return gain_db;
  }
};

}  // namespace earshot
