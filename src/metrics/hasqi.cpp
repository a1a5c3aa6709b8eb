#include "metrics/hasqi.hpp"

#include <algorithm>

#include "metrics/hasqi_fine_structure.hpp"
#include "metrics/hasqi_spectrum.hpp"

namespace earshot {
namespace {

// The fit of Kates & Arehart (2014) for the linear term: the loudness-difference spread counts
// from 0 (no difference) to 2.5 (no quality), the slope-difference spread from 0 to 1.
constexpr double kLoudnessSpreadAtZero = 2.5;
constexpr double kLoudnessWeight = 0.579;
constexpr double kSlopeWeight = 0.421;
// The synchrony roll-off HASQI v2 uses: 5th order at 3.5 kHz (kIhcSyncCutoffsHz[4]).
constexpr std::size_t kHasqiSyncWeighting = 4;

}  // namespace

HasqiScores hasqi_v2_combine(double cepstral_correlation, double bm_sync, double loudness_spread, double slope_spread) {
  HasqiScores s;
  s.cepstral_correlation = cepstral_correlation;
  s.bm_sync = bm_sync;
  s.loudness_term = std::clamp(1.0 - loudness_spread / kLoudnessSpreadAtZero, 0.0, 1.0);
  s.slope_term = std::clamp(1.0 - slope_spread, 0.0, 1.0);
  s.nonlinear = cepstral_correlation * cepstral_correlation * bm_sync;
  s.linear = kLoudnessWeight * s.loudness_term + kSlopeWeight * s.slope_term;
  s.combined = s.nonlinear * s.linear;
  return s;
}

HasqiScores hasqi_v2_from_ear(const HasqiEarOutputs& ear, const HasqiParams& params) {
  const BandSignals reference_smoothed = smooth_envelopes(ear.reference_db, params.segment_ms, ear.sample_rate_hz);
  const BandSignals processed_smoothed = smooth_envelopes(ear.processed_db, params.segment_ms, ear.sample_rate_hz);
  const CepstralCorrelation cepstral = mel_cepstrum_correlation(reference_smoothed, processed_smoothed, params.silence_threshold_db);
  const SpectrumDifference spectrum = spectrum_difference(ear.reference_sl_db, ear.processed_sl_db);
  const SegmentCovariances covariances =
      basilar_membrane_covariances(ear.reference_bm, ear.processed_bm, params.segment_ms, ear.sample_rate_hz);
  const AverageCovariance average = average_covariance(covariances, ear.centre_frequencies_hz, params.silence_threshold_db);
  return hasqi_v2_combine(cepstral.average, average.ihc_sync[kHasqiSyncWeighting], spectrum.loudness.spread, spectrum.slope.spread);
}

}  // namespace earshot
