#include "metrics/hasqi_fine_structure.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/hasqi_segments.hpp"

namespace earshot {
namespace {

// c[lag + max_lag] = sum over n of a[n + lag] b[n], for lag = -max_lag ... max_lag (a and b
// `length` long, zero outside). The lags are accumulated side by side, n outermost, so the inner
// loop is over independent sums that the compiler vectorises; each lag's terms are still added in
// increasing n, as a lag-by-lag dot product would add them.
void lagged_products(const double* a, const double* b, std::size_t length, long max_lag, double* c) {
  const long n_total = static_cast<long>(length);
  for (long l = 0; l <= 2 * max_lag; ++l) c[l] = 0.0;
  for (long n = 0; n < n_total; ++n) {
    // Lags for which a[n + lag] exists.
    const long lo = std::max(-max_lag, -n), hi = std::min(max_lag, n_total - 1 - n);
    const double bn = b[n];
    const double* an = a + n;
    for (long lag = lo; lag <= hi; ++lag) c[lag + max_lag] += an[lag] * bn;
  }
}

// Sum over n of a[n + lag] b[n] (both `length` long; lag may be negative).
double lagged_product(const double* a, const double* b, std::size_t length, long lag) {
  double sum = 0.0;
  if (lag >= 0) {
    const std::size_t l = static_cast<std::size_t>(lag);
    for (std::size_t n = 0; n + l < length; ++n) sum += a[n + l] * b[n];
  } else {
    const std::size_t l = static_cast<std::size_t>(-lag);
    for (std::size_t n = 0; n + l < length; ++n) sum += a[n] * b[n + l];
  }
  return sum;
}

// 1 / (the window's autocorrelation at lags -max_lag ... max_lag), and 1 / (its energy).
struct WindowNorms {
  std::vector<double> inverse_autocorrelation;
  double inverse_energy = 0.0;
};

WindowNorms window_norms(const double* w, std::size_t length, long max_lag) {
  WindowNorms norms;
  for (long lag = -max_lag; lag <= max_lag; ++lag) norms.inverse_autocorrelation.push_back(1.0 / lagged_product(w, w, length, lag));
  double energy = 0.0;
  for (std::size_t i = 0; i < length; ++i) energy += w[i] * w[i];
  norms.inverse_energy = 1.0 / energy;
  return norms;
}

}  // namespace

void add_band_covariances(const double* x, const double* y, std::size_t samples, double segment_ms, double sample_rate_hz,
                          SegmentCovariances& out) {
  const HalfOverlapSegments seg(segment_ms, sample_rate_hz, samples);
  // Lags of +-1 ms: enough for the phase differences of the auditory filters, not enough to find
  // a match in the next cycle of a low band's fine structure.
  const long max_lag = std::min(static_cast<long>(std::nearbyint(0.001 * sample_rate_hz)), static_cast<long>(seg.half) - 1);
  const WindowNorms full = window_norms(seg.window.data(), seg.length, max_lag);
  const WindowNorms half = window_norms(seg.window.data() + seg.half, seg.half, max_lag);
  std::vector<double>& cross = out.cross_covariance.emplace_back(seg.count, 0.0);
  std::vector<double>& reference_ms = out.reference_mean_square.emplace_back(seg.count, 0.0);
  std::vector<double>& processed_ms = out.processed_mean_square.emplace_back(seg.count, 0.0);
  std::vector<double> a(seg.length), b(seg.length), products(static_cast<std::size_t>(2 * max_lag + 1));
  constexpr double kSmall = 1e-30;
  for (std::size_t s = 0; s < seg.count; ++s) {
    const HalfOverlapSegments::Span span = seg.span(s);
    const WindowNorms& norms = span.length == seg.length ? full : half;
    double a_mean = 0.0, b_mean = 0.0;
    for (std::size_t i = 0; i < span.length; ++i) {
      a[i] = x[span.start + i] * seg.window[span.window_offset + i];
      b[i] = y[span.start + i] * seg.window[span.window_offset + i];
      a_mean += a[i];
      b_mean += b[i];
    }
    a_mean /= static_cast<double>(span.length);
    b_mean /= static_cast<double>(span.length);
    double a_energy = 0.0, b_energy = 0.0;
    for (std::size_t i = 0; i < span.length; ++i) {
      a[i] -= a_mean;
      b[i] -= b_mean;
      a_energy += a[i] * a[i];
      b_energy += b[i] * b[i];
    }
    const double a_ms = a_energy * norms.inverse_energy;
    const double b_ms = b_energy * norms.inverse_energy;
    lagged_products(a.data(), b.data(), span.length, max_lag, products.data());
    double largest = 0.0;
    for (std::size_t l = 0; l < products.size(); ++l) largest = std::max(largest, std::abs(products[l] * norms.inverse_autocorrelation[l]));
    const double covariance = (a_ms > kSmall && b_ms > kSmall) ? largest / std::sqrt(a_ms * b_ms) : 0.0;
    cross[s] = std::clamp(covariance, 0.0, 1.0);
    reference_ms[s] = 2.0 * a_ms;
    processed_ms[s] = 2.0 * b_ms;
  }
}

SegmentCovariances basilar_membrane_covariances(const BandSignals& reference_bm, const BandSignals& processed_bm, double segment_ms,
                                                double sample_rate_hz) {
  SegmentCovariances out;
  for (std::size_t band = 0; band < reference_bm.size(); ++band) {
    add_band_covariances(reference_bm[band].data(), processed_bm[band].data(), reference_bm[band].size(), segment_ms, sample_rate_hz, out);
  }
  return out;
}

AverageCovariance average_covariance(const SegmentCovariances& covariances, const std::vector<double>& centre_frequencies_hz,
                                     double threshold_db) {
  AverageCovariance result;
  const BandSignals& cov = covariances.cross_covariance;
  const BandSignals& ms = covariances.reference_mean_square;
  const std::size_t bands = cov.size();
  if (bands == 0) return result;
  const std::size_t segments = cov.front().size();

  // Synchrony weights per roll-off and band.
  std::array<std::vector<double>, 6> sync;
  for (std::size_t j = 0; j < sync.size(); ++j) {
    const double fc2p = std::pow(kIhcSyncCutoffsHz[j], 2.0 * kIhcSyncOrders[j]);
    for (std::size_t k = 0; k < bands; ++k) {
      const double f2p = std::pow(centre_frequencies_hz[k], 2.0 * kIhcSyncOrders[j]);
      sync[j].push_back(std::sqrt(fc2p / (fc2p + f2p)));
    }
  }

  // The BM signals are in dB SL, so a tile's RMS reads as its level in dB SL. A segment counts when
  // the mean over bands of 10^(level / 20), back in dB, is above threshold (as the envelope term
  // picks its segments); within it, a band counts when its own level is.
  double unweighted_sum = 0.0, tiles = 0.0;
  std::array<double, 6> weighted_sum{}, weight_sum{};
  for (std::size_t s = 0; s < segments; ++s) {
    double loudness = 0.0;
    for (std::size_t k = 0; k < bands; ++k) loudness += std::pow(10.0, std::sqrt(ms[k][s]) / 20.0);
    if (!(20.0 * std::log10(loudness / static_cast<double>(bands)) > threshold_db)) continue;
    ++result.segments_above_threshold;
    for (std::size_t k = 0; k < bands; ++k) {
      if (!(std::sqrt(ms[k][s]) > threshold_db)) continue;
      unweighted_sum += cov[k][s];
      tiles += 1.0;
      for (std::size_t j = 0; j < sync.size(); ++j) {
        weighted_sum[j] += sync[j][k] * cov[k][s];
        weight_sum[j] += sync[j][k];
      }
    }
  }
  if (result.segments_above_threshold <= 1) return result;  // too little signal to judge: 0
  if (tiles >= 1.0) result.unweighted = unweighted_sum / tiles;
  for (std::size_t j = 0; j < sync.size(); ++j) result.ihc_sync[j] = weight_sum[j] > 0.0 ? weighted_sum[j] / weight_sum[j] : 0.0;
  return result;
}

}  // namespace earshot
