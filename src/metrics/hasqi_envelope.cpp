#include "metrics/hasqi_envelope.hpp"

#include <cmath>
#include <numbers>

#include "metrics/hasqi_segments.hpp"

namespace earshot {

std::vector<double> smooth_envelope(const double* envelope_db, std::size_t samples, double segment_ms, double sample_rate_hz) {
  const HalfOverlapSegments seg(segment_ms, sample_rate_hz, samples);
  const std::vector<double>& w = seg.window;
  double full_sum = 0.0, half_sum = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i) full_sum += w[i];
  for (std::size_t i = seg.half; i < w.size(); ++i) half_sum += w[i];
  std::vector<double> out(seg.count, 0.0);
  for (std::size_t s = 0; s < seg.count; ++s) {
    const HalfOverlapSegments::Span span = seg.span(s);
    double sum = 0.0;
    for (std::size_t i = 0; i < span.length; ++i) sum += envelope_db[span.start + i] * w[span.window_offset + i];
    out[s] = sum / (span.length == w.size() ? full_sum : half_sum);
  }
  return out;
}

BandSignals smooth_envelopes(const BandSignals& envelopes_db, double segment_ms, double sample_rate_hz) {
  BandSignals smoothed;
  for (const std::vector<double>& r : envelopes_db) smoothed.push_back(smooth_envelope(r.data(), r.size(), segment_ms, sample_rate_hz));
  return smoothed;
}

CepstralCorrelation mel_cepstrum_correlation(const BandSignals& reference_smoothed_db, const BandSignals& processed_smoothed_db,
                                             double silence_threshold_db) {
  constexpr int kCoefficients = 6;
  CepstralCorrelation result;
  result.coefficients.assign(kCoefficients, 0.0);
  const std::size_t bands = reference_smoothed_db.size();
  if (bands < 2) return result;
  const std::size_t segments = reference_smoothed_db.front().size();

  // Half-cosine basis across the bands, each function scaled to unit norm: coefficient j of
  // band k is cos(j k pi / (bands - 1)), j = 0 (the mean level) ... 5.
  std::vector<std::vector<double>> basis(kCoefficients, std::vector<double>(bands));
  for (int j = 0; j < kCoefficients; ++j) {
    double norm = 0.0;
    for (std::size_t k = 0; k < bands; ++k) {
      basis[j][k] = std::cos(static_cast<double>(j * k) * std::numbers::pi / static_cast<double>(bands - 1));
      norm += basis[j][k] * basis[j][k];
    }
    norm = std::sqrt(norm);
    for (double& b : basis[j]) b /= norm;
  }

  // The segments loud enough to count: the reference's dB envelopes back to linear (roughly
  // specific loudness), averaged over bands and returned to dB (roughly loudness in phons).
  std::vector<std::size_t> kept;
  for (std::size_t s = 0; s < segments; ++s) {
    double sum = 0.0;
    for (std::size_t k = 0; k < bands; ++k) sum += std::pow(10.0, reference_smoothed_db[k][s] / 20.0);
    if (20.0 * std::log10(sum / static_cast<double>(bands)) > silence_threshold_db) kept.push_back(s);
  }
  result.segments_above_threshold = static_cast<int>(kept.size());
  if (kept.size() <= 1) return result;

  const double count = static_cast<double>(kept.size());
  for (int j = 0; j < kCoefficients; ++j) {
    std::vector<double> x(kept.size()), y(kept.size());
    double x_mean = 0.0, y_mean = 0.0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      double cx = 0.0, cy = 0.0;
      for (std::size_t k = 0; k < bands; ++k) {
        cx += basis[j][k] * reference_smoothed_db[k][kept[i]];
        cy += basis[j][k] * processed_smoothed_db[k][kept[i]];
      }
      x[i] = cx;
      y[i] = cy;
      x_mean += cx;
      y_mean += cy;
    }
    x_mean /= count;
    y_mean /= count;
    double xx = 0.0, yy = 0.0, xy = 0.0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const double a = x[i] - x_mean, b = y[i] - y_mean;
      xx += a * a;
      yy += b * b;
      xy += a * b;
    }
    constexpr double kSmall = 1e-30;  // a constant sequence carries no information: 0, not 0/0
    result.coefficients[j] = (xx < kSmall || yy < kSmall) ? 0.0 : std::abs(xy) / std::sqrt(xx * yy);
  }
  double sum = 0.0;
  for (int j = 1; j < kCoefficients; ++j) sum += result.coefficients[j];
  result.average = sum / (kCoefficients - 1);
  return result;
}

}  // namespace earshot
