#include "metrics/hasqi.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

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
  const SegmentCovariances covariances =
      basilar_membrane_covariances(ear.reference_bm, ear.processed_bm, params.segment_ms, ear.sample_rate_hz);
  return hasqi_v2_from_reductions(reference_smoothed, processed_smoothed, covariances, ear.reference_sl_db, ear.processed_sl_db,
                                  ear.centre_frequencies_hz, params);
}

HasqiScores hasqi_v2_from_reductions(const BandSignals& reference_smoothed_db, const BandSignals& processed_smoothed_db,
                                     const SegmentCovariances& covariances, const std::vector<double>& reference_sl_db,
                                     const std::vector<double>& processed_sl_db, const std::vector<double>& centre_frequencies_hz,
                                     const HasqiParams& params) {
  const CepstralCorrelation cepstral = mel_cepstrum_correlation(reference_smoothed_db, processed_smoothed_db, params.silence_threshold_db);
  const SpectrumDifference spectrum = spectrum_difference(reference_sl_db, processed_sl_db);
  const AverageCovariance average = average_covariance(covariances, centre_frequencies_hz, params.silence_threshold_db);
  return hasqi_v2_combine(cepstral.average, average.ihc_sync[kHasqiSyncWeighting], spectrum.loudness.spread, spectrum.slope.spread);
}

Result<HasqiScores> hasqi_v2(const std::vector<double>& reference, double reference_rate_hz, const std::vector<double>& processed,
                             double processed_rate_hz, const std::array<double, 6>& audiogram_db_hl, double level1_db_spl,
                             RandomSource& random, const HasqiParams& params) {
  KatesEarModelOptions options;
  options.reference_equaliser_fir = hasqi_nalr_fir(audiogram_db_hl, kKatesModelRateHz);
  // Each band reduced as the ear model hands it over (its envelopes to segment averages, its
  // basilar-membrane signals to segment covariances), so that the 24 kHz signals of all bands (some
  // 150 MB for a 6 s pair) are never held. The threshold noise on the basilar membrane is drawn as
  // kates_ear_model draws it, reference bands first, then processed bands, each band's frames in
  // turn: the reference's draws from a copy of `random` as it goes, the processed signal's from a
  // copy moved ahead past all of the reference's; `random` ends where kates_ear_model leaves it.
  const double noise_rms = std::pow(10.0, (kKatesThresholdNoiseDb - level1_db_spl) / 20.0);
  BandSignals reference_smoothed, processed_smoothed;
  SegmentCovariances covariances;
  RandomSource reference_noise = random, processed_noise = random;
  bool processed_noise_placed = false;
  std::vector<double> reference_bm, processed_bm;
  bool too_short = false;
  auto reduce = [&](const KatesBand& band) {
    const std::size_t frames = band.frames;
    if (HalfOverlapSegments(params.segment_ms, kKatesModelRateHz, frames).count < 2) {
      too_short = true;
      return;
    }
    if (!processed_noise_placed) {
      processed_noise.discard_gaussians(static_cast<std::uint64_t>(options.bands) * frames);
      processed_noise_placed = true;
    }
    reference_smoothed.push_back(smooth_envelope(band.reference_db, frames, params.segment_ms, kKatesModelRateHz));
    processed_smoothed.push_back(smooth_envelope(band.processed_db, frames, params.segment_ms, kKatesModelRateHz));
    // Sample i of a band delayed by d frames takes draw i - d; the last d draws are dropped.
    const auto d = static_cast<std::size_t>(std::min<long>(std::max<long>(band.delay_frames, 0), static_cast<long>(frames)));
    auto noisy = [&](const double* bm, RandomSource& noise, std::vector<double>& out) {
      out.assign(bm, bm + frames);
      for (std::size_t i = d; i < frames; ++i) out[i] += noise_rms * noise.gaussian();
      noise.discard_gaussians(d);
    };
    noisy(band.reference_basilar_membrane, reference_noise, reference_bm);
    noisy(band.processed_basilar_membrane, processed_noise, processed_bm);
    add_band_covariances(reference_bm.data(), processed_bm.data(), frames, params.segment_ms, kKatesModelRateHz, covariances);
  };
  auto model = kates_ear_model_bands(reference, reference_rate_hz, processed, processed_rate_hz, audiogram_db_hl,
                                     KatesReferenceEar::with_loss, level1_db_spl, options, reduce);
  if (!model) return model.errors();
  if (too_short || reference_smoothed.empty()) {
    return SpecErrors{{"reference", "is shorter than one " + format_number(params.segment_ms) + " ms segment once aligned"}};
  }
  random = processed_noise;
  return hasqi_v2_from_reductions(reference_smoothed, processed_smoothed, covariances, model.value().reference_sl, model.value().processed_sl,
                                  kates_centre_frequencies_hz(options.bands), params);
}

}  // namespace earshot
