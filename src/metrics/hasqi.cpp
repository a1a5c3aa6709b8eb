#include "metrics/hasqi.hpp"

#include <algorithm>

#include "metrics/hasqi_fine_structure.hpp"
#include "metrics/hasqi_reference_equalisation.hpp"
#include "metrics/hasqi_segments.hpp"
#include "metrics/hasqi_spectrum.hpp"
#include "metrics/kates_ear_model.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"

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

Result<HasqiScores> hasqi_v2(const std::vector<double>& reference, double reference_rate_hz, const std::vector<double>& processed,
                             double processed_rate_hz, const std::array<double, 6>& audiogram_db_hl, double level1_db_spl,
                             RandomSource& random, const HasqiParams& params) {
  constexpr double kModelRateHz = 24000.0;  // the ear model's rate, where the NAL-R filter works
  KatesEarModelOptions options;
  options.reference_equaliser_fir = hasqi_nalr_fir(audiogram_db_hl, kModelRateHz);
  auto model = kates_ear_model(reference, reference_rate_hz, processed, processed_rate_hz, audiogram_db_hl, KatesReferenceEar::with_loss,
                               level1_db_spl, random, options);
  if (!model) return model.errors();
  KatesEarModelOutput& m = model.value();
  if (m.reference_db.empty() || HalfOverlapSegments(params.segment_ms, m.sample_rate_hz, m.reference_db.front().size()).count < 2) {
    return SpecErrors{{"reference", "is shorter than one " + format_number(params.segment_ms) + " ms segment once aligned"}};
  }
  HasqiEarOutputs ear;
  ear.reference_db = std::move(m.reference_db);
  ear.processed_db = std::move(m.processed_db);
  ear.reference_bm = std::move(m.reference_basilar_membrane);
  ear.processed_bm = std::move(m.processed_basilar_membrane);
  ear.reference_sl_db = std::move(m.reference_sl);
  ear.processed_sl_db = std::move(m.processed_sl);
  ear.centre_frequencies_hz = kates_centre_frequencies_hz(options.bands);
  ear.sample_rate_hz = m.sample_rate_hz;
  return hasqi_v2_from_ear(ear, params);
}

}  // namespace earshot
