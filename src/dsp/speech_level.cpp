#include "dsp/speech_level.hpp"

#include <cmath>

namespace earshot {
namespace {
constexpr double kTimeConstantS = 0.03;  // P.56 envelope smoothing
constexpr double kHangoverS = 0.2;       // P.56 hangover
constexpr double kMarginDb = 15.9;       // P.56 margin M between active level and threshold
double threshold(int j) { return std::ldexp(1.0, j - 25); }
}  // namespace

ActiveSpeechLevelMeter::ActiveSpeechLevelMeter(double sample_rate_hz)
    : g_(std::exp(-1.0 / (sample_rate_hz * kTimeConstantS))),
      hangover_samples_(static_cast<std::int64_t>(std::lround(kHangoverS * sample_rate_hz))) {
  hang_.fill(hangover_samples_);  // no hangover credit before the first activity
}

void ActiveSpeechLevelMeter::add(const float* samples, std::size_t count, std::size_t stride) {
  for (std::size_t i = 0; i < count; ++i) {
    const double x = samples[i * stride];
    sum_squares_ += x * x;
    p_ = g_ * p_ + (1.0 - g_) * std::fabs(x);
    q_ = g_ * q_ + (1.0 - g_) * p_;
    // Thresholds below the envelope are active; the rest count only within their hangover.
    int above = -1;
    if (q_ > 0.0) {
      int e = 0;
      std::frexp(q_, &e);  // q in [2^(e-1), 2^e)
      above = std::min(kThresholds - 1, e - 1 + 25);
    }
    for (int j = 0; j < kThresholds; ++j) {
      if (j <= above) {
        ++active_[j];
        hang_[j] = 0;
      } else if (hang_[j] < hangover_samples_) {
        ++active_[j];
        ++hang_[j];
      }
    }
  }
  samples_ += static_cast<std::int64_t>(count);
}

SpeechLevel ActiveSpeechLevelMeter::result() const {
  SpeechLevel r;
  if (samples_ == 0 || sum_squares_ <= 0.0) return r;
  r.long_term_db = 10.0 * std::log10(sum_squares_ / samples_);
  if (active_[0] == 0) return r;
  auto level = [&](int j) { return 10.0 * std::log10(sum_squares_ / active_[j]); };
  auto margin = [&](int j) {
    if (active_[j] == 0) return -1e9;
    return level(j) - 20.0 * std::log10(threshold(j)) - kMarginDb;
  };
  int j = 0;
  while (j < kThresholds && margin(j) > 0.0) ++j;
  if (j == 0) {
    r.active_db = level(0);
  } else if (j == kThresholds) {
    r.active_db = level(kThresholds - 1);
  } else {
    // Interpolate to where level - threshold = M (linear in dB between neighbouring thresholds).
    const double m0 = margin(j - 1), m1 = margin(j);
    const double a1 = active_[j] == 0 ? level(j - 1) : level(j);
    const double t = m0 / (m0 - m1);
    r.active_db = level(j - 1) + t * (a1 - level(j - 1));
    if (active_[j] == 0) r.active_db = level(j - 1);
  }
  r.silent = false;
  r.activity = std::pow(10.0, (r.long_term_db - r.active_db) / 10.0);
  return r;
}

SpeechLevel combine_channels(const std::vector<SpeechLevel>& per_channel) {
  SpeechLevel out;
  double active = 0.0, long_term = 0.0, activity = 0.0;
  int counted = 0;
  for (const auto& c : per_channel) {
    long_term += std::pow(10.0, c.long_term_db / 10.0);
    if (c.silent) continue;
    active += std::pow(10.0, c.active_db / 10.0);
    activity += c.activity;
    ++counted;
  }
  if (!per_channel.empty()) out.long_term_db = 10.0 * std::log10(std::max(long_term / per_channel.size(), 1e-30));
  if (counted == 0) return out;
  out.silent = false;
  out.active_db = 10.0 * std::log10(active / counted);
  out.activity = activity / counted;
  return out;
}

}  // namespace earshot
