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
// worst. This file holds the scoring from the ear model's outputs; the ear model is elsewhere.
#include <vector>

#include "metrics/hasqi_envelope.hpp"

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

}  // namespace earshot
