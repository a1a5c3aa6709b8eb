#pragma once
// The Hearing-Aid Speech Quality Index, version 2 (Kates & Arehart 2014, "The Hearing-Aid Speech
// Quality Index (HASQI) Version 2", J Audio Eng Soc 62(3):99-117). A processed signal is compared
// with its clean reference through a model of the listener's ear (Kates 2013; the ear model is
// shared with HASPI v2), and quality is the product of
//   a nonlinear term  (cepstral correlation)^2 x (BM fine-structure covariance, IHC sync 3.5 kHz):
//                     noise and distortion, which change the short-time spectrum and the waveform;
//   a linear term     0.579 (1 - loudness spread / 2.5) + 0.421 (1 - slope spread), each limited
//                     to 0..1: a long-term change of spectral shape (filtering, tilt, band gaps).
// 1 is a processed signal that the ear cannot tell from the (NAL-R amplified) reference; 0 the
// worst. The ear model is metrics/kates_ear_model.hpp; this file holds the scoring on its outputs.
#include <array>
#include <vector>

#include "metrics/hasqi_envelope.hpp"
#include "metrics/hasqi_fine_structure.hpp"
#include "support/random_source.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct HasqiParams {
  double segment_ms = 16.0;           // envelope smoothing and fine-structure segments
  double silence_threshold_db = 2.5;  // dB SL, for a segment (and a band) to count
};

struct HasqiScores {
  double combined = 0.0;               // nonlinear x linear: HASQI v2
  double nonlinear = 0.0;
  double linear = 0.0;
  double cepstral_correlation = 0.0;   // the raw terms, as Kates reports them
  double bm_sync = 0.0;                // BM covariance with the 3.5 kHz, 5th-order sync roll-off
  double loudness_term = 0.0;          // 1 - loudness spread / 2.5, in 0..1
  double slope_term = 0.0;             // 1 - slope spread, in 0..1
};

// The ear model's outputs for one reference/processed pair: dB envelopes and BM vibration in
// [band][sample] at `sample_rate_hz`, and each band's long-term level in dB SL, with the bands'
// centre frequencies.
struct HasqiEarOutputs {
  BandSignals reference_db, processed_db;
  BandSignals reference_bm, processed_bm;
  std::vector<double> reference_sl_db, processed_sl_db;
  std::vector<double> centre_frequencies_hz;
  double sample_rate_hz = 24000.0;
};

// The linear and combined terms from the raw ones (the fit of Kates & Arehart 2014).
HasqiScores hasqi_v2_combine(double cepstral_correlation, double bm_sync, double loudness_spread, double slope_spread);

// HASQI v2 from the ear model's outputs. The signals must be at least one segment long.
HasqiScores hasqi_v2_from_ear(const HasqiEarOutputs& ear, const HasqiParams& params = {});
// The same from the band reductions it makes of the ear's outputs (smooth_envelopes,
// basilar_membrane_covariances) and the bands' sensation levels: what hasqi_v2 computes band by band.
HasqiScores hasqi_v2_from_reductions(const BandSignals& reference_smoothed_db, const BandSignals& processed_smoothed_db,
                                     const SegmentCovariances& covariances, const std::vector<double>& reference_sl_db,
                                     const std::vector<double>& processed_sl_db, const std::vector<double>& centre_frequencies_hz,
                                     const HasqiParams& params = {});

// HASQI v2 of `processed` against its clean `reference` (each at its own rate; the ear model
// resamples both to 24 kHz and aligns them) for an ear with this audiogram (dB HL at 250, 500,
// 1000, 2000, 4000, 6000 Hz). Both ears of the model have the loss; the reference is first
// amplified by NAL-R for it (metrics/hasqi_reference_equalisation.hpp), as pyclarity's
// hasqi_v2(equalisation=1). level1_db_spl: the level of a digital RMS of 1 (--calibration; HASQI
// assumes the reference at about 65 dB SPL). `random` draws the ear model's threshold noise on
// the BM signals. Errors: the ear model's (empty or silent signals, rates, levels), or signals
// shorter than one 16 ms segment once aligned.
Result<HasqiScores> hasqi_v2(const std::vector<double>& reference, double reference_rate_hz, const std::vector<double>& processed,
                             double processed_rate_hz, const std::array<double, 6>& audiogram_db_hl, double level1_db_spl,
                             RandomSource& random, const HasqiParams& params = {});

}  // namespace earshot
