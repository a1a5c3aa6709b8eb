#include "dsp/speech_level.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
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
      hangover_samples_(static_cast<std::int64_t>(std::lround(kHangoverS * sample_rate_hz))) {}

void ActiveSpeechLevelMeter::add(const float* samples, std::size_t count, std::size_t stride) {
  // The state in locals for the loop (the compiler cannot keep members in registers across the
  // stores into window_ and active_at_most_); the same operations in the same order as ever.
  const double g = g_;
  double p = p_, q = q_, sum_squares = sum_squares_;
  int first = window_first_, size = window_size_;
  for (std::size_t i = 0; i < count; ++i) {
    const double x = samples[i * stride];
    sum_squares += x * x;
    p = g * p + (1.0 - g) * std::fabs(x);
    q = g * q + (1.0 - g) * p;
    const std::int64_t now = samples_ + static_cast<std::int64_t>(i);
    // The highest threshold at or below the envelope (thresholds are powers of two).
    if (q > 0.0) {
      // q in [2^(e-1), 2^e), e as frexp gives it, read from the double's exponent field (a call to
      // frexp cost a fifth of the meter); a subnormal q reads as e = -1022, far below any threshold
      // as frexp's e is.
      const int e = static_cast<int>((std::bit_cast<std::uint64_t>(q) >> 52) & 0x7ff) - 1022;
      const int above = std::min(kThresholds - 1, e - 1 + 25);
      if (above >= 0) {
        Candidate* last = size > 0 ? &window_[(first + size - 1) % kRing] : nullptr;
        if (last && last->threshold == above) {
          // The usual case, the envelope at the newest candidate's threshold again: that candidate
          // would be dropped for this one (the ones before it are higher), so it just moves to now.
          last->sample = now;
        } else {
          // Candidates no higher than this one can never be the maximum again.
          while (size > 0 && window_[(first + size - 1) % kRing].threshold <= above) --size;
          window_[(first + size) % kRing] = {now, above};
          ++size;
        }
      }
    }
    // Drop what fell out of the window: the crossing at `now` counts for hangover_samples_ more.
    while (size > 0 && window_[first].sample < now - hangover_samples_) {
      first = (first + 1) % kRing;
      --size;
    }
    ++active_at_most_[size > 0 ? window_[first].threshold + 1 : 0];
  }
  p_ = p;
  q_ = q;
  sum_squares_ = sum_squares;
  window_first_ = first;
  window_size_ = size;
  samples_ += static_cast<std::int64_t>(count);
}

SpeechLevel ActiveSpeechLevelMeter::result() const {
  SpeechLevel r;
  if (samples_ == 0 || sum_squares_ <= 0.0) return r;
  // Samples active for threshold j: those whose window maximum reached j or higher.
  std::array<std::int64_t, kThresholds> active{};
  std::int64_t at_or_above = 0;
  for (int j = kThresholds - 1; j >= 0; --j) {
    at_or_above += active_at_most_[j + 1];
    active[j] = at_or_above;
  }
  r.long_term_db = 10.0 * std::log10(sum_squares_ / samples_);
  if (active[0] == 0) return r;
  auto level = [&](int j) { return 10.0 * std::log10(sum_squares_ / active[j]); };
  auto margin = [&](int j) {
    if (active[j] == 0) return -1e9;
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
    const double a1 = active[j] == 0 ? level(j - 1) : level(j);
    const double t = m0 / (m0 - m1);
    r.active_db = level(j - 1) + t * (a1 - level(j - 1));
    if (active[j] == 0) r.active_db = level(j - 1);
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
