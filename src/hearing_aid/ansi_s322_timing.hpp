#pragma once
// Attack and release as ANSI S3.22 (Specification of hearing aid characteristics) defines them,
// and the time constants of a compressor band that give them. The standard steps a tone's input
// level from 55 to 90 dB SPL and measures the attack time: from the step until the output settles
// within 3 dB of its steady value; then from 90 back to 55 dB SPL, the release time: until the
// output is within 4 dB of its steady value.
//
// A band's S3.22 time depends on its time constant, on how far its gain moves over the step (its
// static curve) and on how fast its band filter lets the step through. So the time constant is
// found by running the step through the band as the processor would (its analytic filter's
// response to the tone at the band's centre, the static curve, the attack/release smoother), and
// bisecting until the S3.22 time comes out as set. tests/hearing_aid_compressor_test.cpp measures
// the times on the streaming aid's output.
#include "dsp/analytic_fir.hpp"
#include "hearing_aid/compression_curve.hpp"

namespace earshot {

inline constexpr double kS322LowDbSpl = 55.0, kS322HighDbSpl = 90.0;
inline constexpr double kS322AttackWithinDb = 3.0, kS322ReleaseWithinDb = 4.0;

struct BandTiming {
  double attack_tau_s = 0.0, release_tau_s = 0.0;
  // The S3.22 times these give (the settings, unless a setting is faster than the band's filter can
  // follow, or the band's gain moves less than the criterion over the step, when any time constant
  // meets it: then tau is the setting itself).
  double attack_s = 0.0, release_s = 0.0;
};

// The S3.22 time (s) of one step, from `from_db_spl` to `to_db_spl` at frequency_hz, for a band
// with these taps (its gain at frequency_hz is read as 0 dB of insertion), curve and time constants.
double s322_settle_time_s(const AnalyticFirTaps& taps, const CompressionCurve& curve, double frequency_hz, double sample_rate_hz,
                          double from_db_spl, double to_db_spl, double attack_tau_s, double release_tau_s);

BandTiming band_timing(const AnalyticFirTaps& taps, const CompressionCurve& curve, double frequency_hz, double sample_rate_hz,
                       double attack_s, double release_s);

}  // namespace earshot
