#include "metrics/kates_hearing_loss_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace earshot {
namespace {

// Glasberg & Moore's ERB: 24.7 Hz + f / 9.26449 (the "ear Q" and minimum bandwidth of Slaney's
// implementation, which the model uses).
constexpr double kEarQ = 9.26449;
constexpr double kMinimumBandwidthHz = 24.7;

// Greenwood (1990) for the human cochlea: f = A (10^(a x) - k), x the relative distance from the apex.
constexpr double kGreenwoodA = 165.4;
constexpr double kGreenwoodSlope = 2.1;
constexpr double kGreenwoodK = 1.0;

}  // namespace

std::vector<double> kates_centre_frequencies_hz(int bands, std::optional<double> basal_shift) {
  double low_hz = 80.0, high_hz = 8000.0;
  if (basal_shift) {
    auto place = [](double f) { return std::log10(kGreenwoodK + f / kGreenwoodA) / kGreenwoodSlope; };
    auto frequency = [](double x) { return kGreenwoodA * (std::pow(10.0, kGreenwoodSlope * x) - kGreenwoodK); };
    low_hz = frequency(place(low_hz) * (1.0 + *basal_shift));
    high_hz = frequency(place(high_hz) * (1.0 + *basal_shift));
  }
  std::vector<double> f(static_cast<std::size_t>(bands));
  if (bands == 1) {
    f[0] = high_hz;
    return f;
  }
  // Band k (counted down from the top) sits k / (bands - 1) of the way from high to low on the ERB
  // scale; the top one exactly at high_hz.
  const double q = kEarQ * kMinimumBandwidthHz;
  const double step = (std::log(low_hz + q) - std::log(high_hz + q)) / (bands - 1);
  for (int k = 0; k < bands; ++k) {
    const double hz = k == 0 ? high_hz : -q + std::exp(k * step) * (high_hz + q);
    f[static_cast<std::size_t>(bands - 1 - k)] = hz;
  }
  return f;
}

KatesLossParameters kates_loss_parameters(const std::array<double, 6>& audiogram_db_hl, const std::vector<double>& centre_hz) {
  const std::size_t bands = centre_hz.size();
  KatesLossParameters p;
  p.ohc_attenuation_db.resize(bands);
  p.bandwidth_factor.resize(bands);
  p.low_knee_db_spl.resize(bands);
  p.compression_ratio.resize(bands);
  p.ihc_attenuation_db.resize(bands);
  // The interpolation's knots: the six audiometric frequencies, extended to the lowest and highest
  // centre frequency with the end thresholds held.
  std::array<double, 8> knot_hz{}, knot_db{};
  knot_hz[0] = centre_hz.front();
  knot_db[0] = audiogram_db_hl[0];
  for (std::size_t i = 0; i < 6; ++i) {
    knot_hz[i + 1] = kKatesAudiogramFrequenciesHz[i];
    knot_db[i + 1] = audiogram_db_hl[i];
  }
  knot_hz[7] = centre_hz.back();
  knot_db[7] = audiogram_db_hl[5];
  auto interpolate = [&](double f) {
    if (f <= knot_hz[0]) return knot_db[0];
    if (f >= knot_hz[7]) return knot_db[7];
    for (std::size_t i = 1; i < 8; ++i) {
      if (f <= knot_hz[i]) {
        const double span = knot_hz[i] - knot_hz[i - 1];
        return span > 0.0 ? knot_db[i - 1] + (f - knot_hz[i - 1]) / span * (knot_db[i] - knot_db[i - 1]) : knot_db[i];
      }
    }
    return knot_db[7];
  };
  for (std::size_t n = 0; n < bands; ++n) {
    const double loss_db = std::max(interpolate(centre_hz[n]), 0.0);
    // A normal ear's compression ratio grows linearly with band number (ERB rate) from 1.25:1 to
    // 3.5:1; its compressor spans 70 dB of input (30 to 100 dB SPL).
    const double normal_ratio = bands > 1 ? 1.25 + 2.25 * static_cast<double>(n) / static_cast<double>(bands - 1) : 1.25;
    const double max_ohc_db = 70.0 * (1.0 - 1.0 / normal_ratio);
    const double ohc_limit_db = 1.25 * max_ohc_db;
    double ohc_db = 0.8 * loss_db, ihc_db = 0.2 * loss_db;
    if (loss_db >= ohc_limit_db) {
      ohc_db = 0.8 * ohc_limit_db;
      ihc_db = 0.2 * ohc_limit_db + (loss_db - ohc_limit_db);
    }
    p.ohc_attenuation_db[n] = ohc_db;
    p.ihc_attenuation_db[n] = ihc_db;
    // Filters widen with the outer-hair-cell loss (Kates 2013, eq. 3).
    const double r = ohc_db / 50.0;
    p.bandwidth_factor[n] = 1.0 + r + 2.0 * std::pow(r, 6);
    // The lost gain raises the knee; the output at 100 dB SPL stays where it was, so the ratio falls.
    p.low_knee_db_spl[n] = ohc_db + 30.0;
    const double upper_output_db = 30.0 + 70.0 / normal_ratio;
    p.compression_ratio[n] = (100.0 - p.low_knee_db_spl[n]) / (upper_output_db + ohc_db - p.low_knee_db_spl[n]);
  }
  return p;
}

}  // namespace earshot
