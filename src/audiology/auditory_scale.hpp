#pragma once
// The auditory frequency scale of Glasberg & Moore (1990), "Derivation of auditory filter shapes
// from notched-noise data", Hearing Research 47:103-138, and the roex(p) filter shape of
// Patterson et al. (1982) used with it.

namespace earshot {

// Equivalent rectangular bandwidth of the normal auditory filter: ERB_N = 24.7 (4.37 f/1000 + 1) Hz.
double erb_hz(double frequency_hz);

// ERB-number (Cam): 21.4 log10(4.37 f/1000 + 1); the place along the cochlea in ERB units.
double erb_number(double frequency_hz);
// Its two constants, for callers that evaluate it in their own (float, vectorised) arithmetic.
inline constexpr double kErbNumberPerDecade = 21.4;        // Cam per log10 unit
inline constexpr double kErbNumberPerHz = 4.37 / 1000.0;   // the 4.37 f / 1000 inside the log
double frequency_from_erb_number(double erb_number);

// Symmetric roex(p) power weighting W(g) = (1 + p g) exp(-p g), g = |f - fc| / fc, with
// p = 4 fc / ERB so that the filter's equivalent rectangular bandwidth equals ERB.
double roex_weight(double p, double g);

}  // namespace earshot
