#pragma once
// A hearing aid's wide-dynamic-range compressor (WDRC) with an output limiter, designed from the
// prescription, the aid's settings and the ear's loss. Pure (allocates); the plan is immutable.
//
// Bands. One band is centred on each prescribed frequency below 0.45 fs (fig6: 250, 500, 750,
// 1000, 1500, 2000, 3000, 4000, 6000 and 8000 Hz; nal-r: the same less 8000 Hz; pogo stops at
// 4000 Hz); the lowest band reaches down to 0 Hz and the highest up to Nyquist. Neighbouring bands
// cross over on a log-frequency axis, a raised-cosine fade over the middle half of the octave
// fraction between their centres, so the bands' responses sum to exactly 1 at every frequency.
// Each band is an analytic linear-phase FIR pair (dsp/analytic_fir.hpp) of the linear aid's
// length (kAidFilterMs), designed for its share of the linear aid's equaliser (the prescribed
// 65 dB SPL gain): the in-phase filters sum to the linear aid's equaliser tap for tap, so with
// every band at its 65 dB SPL gain the compressive aid is the linear one, with no phase trouble
// at the crossovers (every band has the same delay), and its latency is the linear aid's.
//
// Gains. Each band reads its input-referred level from its analytic envelope every sample
// (ripple-free: a tone reads its own level), and sets its gain from its static curve
// (compression_curve.hpp), smoothed in dB with attack and release time constants found for the
// settings' ANSI S3.22 times (ansi_s322_timing.hpp). The gain beyond the 65 dB SPL gain the band's
// filter already gives is applied to the band.
//
// Limiter. The bands' analytic outputs sum to the aid's analytic output, whose magnitude is the
// output's envelope: where that reads above the MPO (as a tone's dB SPL), the output's gain comes
// down to hold it there at once (no overshoot and no look-ahead delay: the envelope is smooth, so
// this is compression limiting, not clipping) and recovers with a 50 ms release (compression
// limiting's short release: Dillon 2012, Hearing Aids, ch. 6).
#include <vector>

#include "audiology/audiogram.hpp"
#include "audiology/prescription.hpp"
#include "dsp/analytic_fir.hpp"
#include "hearing_aid/ansi_s322_timing.hpp"
#include "hearing_aid/compression_curve.hpp"
#include "model/aid_settings.hpp"

namespace earshot {

inline constexpr double kBandCrossfadeShare = 0.3;  // of the log-frequency span between centres
inline constexpr double kLimiterReleaseMs = 50.0;

struct CompressorBand {
  double centre_hz = 0.0;
  AnalyticFirTaps taps;          // this band's share of the 65 dB SPL equaliser
  double filter_gain_db = 0.0;   // the in-phase filter's gain at centre_hz (the detector removes it)
  CompressionCurve curve;
  double gain_at_65_db = 0.0;    // curve.gain_db(65): what the filter gives; the band adds the rest
  BandTiming timing;
};

struct MultibandCompressorPlan {
  std::vector<CompressorBand> bands;
  double sample_rate_hz = 0.0;
  double calibration_db_spl = 0.0;  // a digital RMS of 1.0 is this many dB SPL
  double mpo_db_spl = 0.0;
  int latency_frames = 0;           // the band filters' delay: (taps - 1) / 2
};

// The bands' crossover weights at frequency f: band k's share of the response (they sum to 1).
double band_weight(const std::vector<double>& centres_hz, std::size_t k, double frequency_hz);

// `equaliser_gain_db(f)` is the response the linear aid's equaliser was designed through
// (hearing_aid_design.cpp), `taps` its length.
MultibandCompressorPlan design_multiband_compressor(const Prescription& prescription, const std::function<double(double)>& equaliser_gain_db,
                                                    int taps, const AidSettings& settings, const Audiogram& air_db_hl,
                                                    double calibration_db_spl, double sample_rate_hz);

}  // namespace earshot
