#include "hearing_aid/multiband_compressor_design.hpp"

#include <cmath>
#include <numbers>

#include "dsp/linear_phase_fir.hpp"
#include "hearing_aid/maximum_output.hpp"

namespace earshot {

double band_weight(const std::vector<double>& centres_hz, std::size_t k, double frequency_hz) {
  const std::size_t last = centres_hz.size() - 1;
  // Which pair of centres the frequency lies between (below the first: band 0 alone; above the
  // last: the last alone).
  if (frequency_hz <= centres_hz.front()) return k == 0 ? 1.0 : 0.0;
  if (frequency_hz >= centres_hz.back()) return k == last ? 1.0 : 0.0;
  std::size_t upper = 1;
  while (centres_hz[upper] < frequency_hz) ++upper;
  const std::size_t lower = upper - 1;
  if (k != lower && k != upper) return 0.0;
  const double t = std::log(frequency_hz / centres_hz[lower]) / std::log(centres_hz[upper] / centres_hz[lower]);
  const double fade = std::clamp((t - 0.5) / kBandCrossfadeShare + 0.5, 0.0, 1.0);
  const double to_upper = 0.5 - 0.5 * std::cos(std::numbers::pi * fade);  // sin^2: the pair sums to 1
  return k == upper ? to_upper : 1.0 - to_upper;
}

MultibandCompressorPlan design_multiband_compressor(const Prescription& prescription, const std::function<double(double)>& equaliser_gain_db,
                                                    int taps, const AidSettings& settings, const Audiogram& air_db_hl,
                                                    double calibration_db_spl, double sample_rate_hz) {
  MultibandCompressorPlan plan;
  plan.sample_rate_hz = sample_rate_hz;
  plan.calibration_db_spl = calibration_db_spl;
  plan.mpo_db_spl = settings.mpo_db_spl.value_or(default_mpo_db_spl(air_db_hl));
  std::vector<double> centres;
  std::vector<std::size_t> index;  // into the prescription's frequencies
  for (std::size_t i = 0; i < prescription.frequencies_hz.size(); ++i) {
    if (prescription.frequencies_hz[i] < 0.45 * sample_rate_hz) {
      centres.push_back(prescription.frequencies_hz[i]);
      index.push_back(i);
    }
  }
  for (std::size_t k = 0; k < centres.size(); ++k) {
    CompressorBand band;
    band.centre_hz = centres[k];
    band.taps = design_analytic_fir(
        [&](double f) { return band_weight(centres, k, f) * std::pow(10.0, equaliser_gain_db(f) / 20.0); }, taps, sample_rate_hz);
    band.filter_gain_db = fir_gain_db(band.taps.in_phase, band.centre_hz, sample_rate_hz);
    band.curve = compression_curve(prescription, index[k]);
    band.gain_at_65_db = band.curve.gain_db(65.0);
    band.timing = band_timing(band.taps, band.curve, band.centre_hz, sample_rate_hz, settings.attack_ms * 1e-3, settings.release_ms * 1e-3);
    plan.bands.push_back(std::move(band));
  }
  plan.latency_frames = static_cast<int>(plan.bands.front().taps.in_phase.size() - 1) / 2;
  return plan;
}

}  // namespace earshot
