#pragma once
// The aid's default maximum power output (MPO) for an ear, from its loss: a few dB below an
// estimate of the listener's uncomfortable loudness level (UCL), so that loud sounds are held
// below discomfort (the purpose of an aid's limiter: Dillon 2012, Hearing Aids, ch. 6 and 10).
//
// The estimate: normal listeners' loudness discomfort levels lie near 100 dB HL (Sherlock &
// Formby 2005, J Am Acad Audiol 16:85-100), and they stay near that for mild and moderate losses,
// rising only with more severe ones (the trend in Pascoe 1988, 13th Danavox Symposium, and
// Bentler & Cooley 2001, Ear Hear 22:58-64, who also show individual UCLs scatter by +-10 dB or
// more). earshot takes UCL = 100 dB HL up to a three-frequency average (500, 1000, 2000 Hz) of
// 50 dB HL and half a dB more per dB above it; the 0.5 slope and 50 dB HL corner are earshot's
// reading of that trend, not a published formula. MPO is 5 dB under it, converted to dB SPL with
// the ISO 389-7 free-field reference at those frequencies. Measure the UCL and set mpo_db_spl
// where it is known.
#include "audiology/audiogram.hpp"

namespace earshot {

inline constexpr double kUclNormalDbHl = 100.0;
inline constexpr double kUclFlatUpToDbHl = 50.0;
inline constexpr double kUclSlopeDbPerDb = 0.5;
inline constexpr double kMpoBelowUclDb = 5.0;

// The estimated uncomfortable level, dB HL (above).
double estimated_ucl_db_hl(const Audiogram& air_db_hl);
// The default MPO, dB SPL (a free-field-equivalent tone level).
double default_mpo_db_spl(const Audiogram& air_db_hl);

}  // namespace earshot
