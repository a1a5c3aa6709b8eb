#include "metrics/stoi.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "dsp/rational_resampler.hpp"
#include "dsp/real_fft.hpp"

namespace earshot {
namespace {

constexpr double kRateHz = 10000.0;     // STOI's internal rate
constexpr int kFrame = 256;             // window support (25.6 ms)
constexpr int kFft = 512;
constexpr int kHop = kFrame / 2;
constexpr int kBands = 15;              // one-third octaves
constexpr double kLowestCentreHz = 150.0;
constexpr int kSegmentFrames = 30;      // 384 ms envelope segments
constexpr double kLowerSdrDb = -15.0;   // clipping bound beta
constexpr double kDynamicRangeDb = 40.0;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// MATLAB's hanning(n): the periodic-free Hann without its zero end points.
std::vector<double> hann(int n) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (i + 1) / (n + 1));
  return w;
}

// Removes frames (256, hop 128, Hann) whose clean energy is 40 dB or more below the loudest clean
// frame, and overlap-adds the rest back into two signals.
void remove_silent_frames(std::vector<double>& x, std::vector<double>& y) {
  const auto w = hann(kFrame);
  const long n = static_cast<long>(x.size());
  std::vector<long> starts;
  std::vector<double> energy_db;
  for (long i = 0; i < n - kFrame; i += kHop) {
    double e = 0.0;
    for (int k = 0; k < kFrame; ++k) e += (w[k] * x[i + k]) * (w[k] * x[i + k]);
    starts.push_back(i);
    energy_db.push_back(20.0 * std::log10(std::sqrt(e) + kEps));
  }
  if (starts.empty()) {
    x.clear();
    y.clear();
    return;
  }
  const double top = *std::max_element(energy_db.begin(), energy_db.end());
  std::vector<double> xs, ys;
  long kept = 0;
  for (std::size_t f = 0; f < starts.size(); ++f) {
    if (!(top - kDynamicRangeDb - energy_db[f] < 0.0)) continue;
    const long at = kept * kHop;
    xs.resize(at + kFrame, 0.0);
    ys.resize(at + kFrame, 0.0);
    for (int k = 0; k < kFrame; ++k) {
      xs[at + k] += w[k] * x[starts[f] + k];
      ys[at + k] += w[k] * y[starts[f] + k];
    }
    ++kept;
  }
  x.swap(xs);
  y.swap(ys);
}

// One-third-octave band envelopes: bands x frames, each the root of summed bin power.
std::vector<std::vector<double>> band_envelopes(const std::vector<double>& s) {
  const auto w = hann(kFrame);
  // Band edges snapped to the nearest FFT bin (first on ties); a band covers [lo, hi).
  std::vector<int> lo(kBands), hi(kBands);
  auto nearest_bin = [](double f) {
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (int k = 0; k <= kFft / 2; ++k) {
      const double d = (k * kRateHz / kFft - f) * (k * kRateHz / kFft - f);
      if (d < best_d) {
        best_d = d;
        best = k;
      }
    }
    return best;
  };
  for (int b = 0; b < kBands; ++b) {
    lo[b] = nearest_bin(kLowestCentreHz * std::pow(2.0, (2.0 * b - 1.0) / 6.0));
    hi[b] = nearest_bin(kLowestCentreHz * std::pow(2.0, (2.0 * b + 1.0) / 6.0));
  }
  RealFftDouble fft(kFft);
  double* in = fft.time();
  const RealFftDouble::Bin* out = fft.spectrum();
  std::vector<std::vector<double>> env(kBands);
  const long n = static_cast<long>(s.size());
  for (long i = 0; i < n - kFrame; i += kHop) {
    for (int k = 0; k < kFft; ++k) in[k] = k < kFrame ? w[k] * s[i + k] : 0.0;
    fft.forward();
    for (int b = 0; b < kBands; ++b) {
      double p = 0.0;
      for (int k = lo[b]; k < hi[b]; ++k) p += out[k][0] * out[k][0] + out[k][1] * out[k][1];
      env[b].push_back(std::sqrt(p));
    }
  }
  return env;
}

// Subtracts the mean and divides by (norm + eps); a vector with nothing left stays zero.
// STOI regularises with eps = machine epsilon (as Taal's code does); ESTOI uses eps = 0.
void centre_and_normalise(double* v, int n, double eps) {
  double mean = 0.0;
  for (int i = 0; i < n; ++i) mean += v[i] / n;
  double norm = 0.0;
  for (int i = 0; i < n; ++i) {
    v[i] -= mean;
    norm += v[i] * v[i];
  }
  const double scale = std::sqrt(norm) + eps;
  for (int i = 0; i < n; ++i) v[i] = scale > 0.0 ? v[i] / scale : 0.0;
}

}  // namespace

Result<StoiScores> stoi(const std::vector<float>& clean, const std::vector<float>& processed, double fs) {
  if (clean.size() != processed.size()) {
    return SpecErrors{{"processed", "has " + std::to_string(processed.size()) + " samples but the clean reference has " +
                                        std::to_string(clean.size()) + ": STOI compares time-aligned signals of equal length"}};
  }
  if (!(fs >= 1000.0) || std::fabs(fs - std::round(fs)) > 0.0) {
    return SpecErrors{{"sample_rate_hz", "must be a whole number of Hz of at least 1000"}};
  }
  std::vector<double> x(clean.begin(), clean.end()), y(processed.begin(), processed.end());
  if (fs != kRateHz) {
    x = resample_rational(x, static_cast<long>(kRateHz), std::lround(fs));
    y = resample_rational(y, static_cast<long>(kRateHz), std::lround(fs));
  }
  bool any = false;
  for (double v : x) any = any || v != 0.0;
  if (!any) return SpecErrors{{"clean", "is silent: STOI needs speech in the clean reference"}};
  remove_silent_frames(x, y);
  const auto xe = band_envelopes(x);
  const auto ye = band_envelopes(y);
  const int frames = static_cast<int>(xe[0].size());
  if (frames < kSegmentFrames) {
    return SpecErrors{{"clean", "has too little speech after removing silent frames: STOI needs at least 384 ms"}};
  }
  const double clip = std::pow(10.0, -kLowerSdrDb / 20.0);
  StoiScores s;
  s.segments = frames - kSegmentFrames + 1;
  double stoi_sum = 0.0, estoi_sum = 0.0;
  using Segment = std::array<double, kSegmentFrames>;
  std::array<Segment, kBands> xn{}, yn{};
  std::array<double, kBands> xcol{}, ycol{};
  for (int m = kSegmentFrames; m <= frames; ++m) {
    for (int b = 0; b < kBands; ++b) {
      const double* xv = xe[b].data() + (m - kSegmentFrames);
      const double* yv = ye[b].data() + (m - kSegmentFrames);
      // STOI: scale y to x's energy, clip it at a signal-to-distortion ratio of beta, correlate.
      double nx = 0.0, ny = 0.0;
      for (int t = 0; t < kSegmentFrames; ++t) {
        nx += xv[t] * xv[t];
        ny += yv[t] * yv[t];
      }
      const double scale = std::sqrt(nx) / (std::sqrt(ny) + kEps);
      Segment yp, xc;
      for (int t = 0; t < kSegmentFrames; ++t) {
        yp[t] = std::min(yv[t] * scale, xv[t] * (1.0 + clip));
        xc[t] = xv[t];
      }
      centre_and_normalise(yp.data(), kSegmentFrames, kEps);
      centre_and_normalise(xc.data(), kSegmentFrames, kEps);
      for (int t = 0; t < kSegmentFrames; ++t) stoi_sum += yp[t] * xc[t];
      // ESTOI: rows (each band over time) normalised first...
      std::copy(xv, xv + kSegmentFrames, xn[b].begin());
      std::copy(yv, yv + kSegmentFrames, yn[b].begin());
      centre_and_normalise(xn[b].data(), kSegmentFrames, 0.0);
      centre_and_normalise(yn[b].data(), kSegmentFrames, 0.0);
    }
    // ...then columns (each frame across bands), and the spectral correlation per frame.
    for (int t = 0; t < kSegmentFrames; ++t) {
      for (int b = 0; b < kBands; ++b) {
        xcol[b] = xn[b][t];
        ycol[b] = yn[b][t];
      }
      centre_and_normalise(xcol.data(), kBands, 0.0);
      centre_and_normalise(ycol.data(), kBands, 0.0);
      for (int b = 0; b < kBands; ++b) estoi_sum += xcol[b] * ycol[b] / kSegmentFrames;
    }
  }
  s.stoi = stoi_sum / (static_cast<double>(s.segments) * kBands);
  s.estoi = estoi_sum / s.segments;
  return s;
}

}  // namespace earshot
