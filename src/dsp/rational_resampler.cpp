#include "dsp/rational_resampler.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace earshot {
namespace {

// Kaiser-windowed ideal low-pass, normalised to unit sum, then scaled by `up` (the zeros that
// upsampling inserts would otherwise cost a factor `up` in amplitude).
std::vector<double> design_filter(long up, long down) {
  const double rejection_db = 60.0;                       // 10^-3 stopband
  const double cutoff = 1.0 / (2.0 * std::max(up, down)); // cycles/sample at the upsampled rate
  const double transition = cutoff / 10.0;
  // Kaiser's length formula: (A - 8) / (2.285 * 2 pi * transition) = (A - 8) / (28.714 * transition).
  const long half = static_cast<long>(std::ceil((rejection_db - 8.0) / (28.714 * transition)));
  const double beta = 0.1102 * (rejection_db - 8.7);      // Kaiser's beta for A > 50 dB
  const long len = 2 * half + 1;
  std::vector<double> h(len);
  const double i0_beta = std::cyl_bessel_i(0.0, beta);
  double sum = 0.0;
  for (long n = 0; n < len; ++n) {
    const double t = static_cast<double>(n - half);
    const double arg = 2.0 * cutoff * t;
    const double sinc = arg == 0.0 ? 1.0 : std::sin(std::numbers::pi * arg) / (std::numbers::pi * arg);
    const double r = 2.0 * n / (len - 1) - 1.0;
    const double kaiser = std::cyl_bessel_i(0.0, beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0_beta;
    h[n] = kaiser * 2.0 * up * cutoff * sinc;
    sum += h[n];
  }
  for (double& v : h) v = v / sum * up;
  return h;
}

}  // namespace

std::vector<double> resample_rational(const std::vector<double>& x, long up, long down) {
  const long g = std::gcd(up, down);
  up /= g;
  down /= g;
  if (up == 1 && down == 1) return x;
  const std::vector<double> h = design_filter(up, down);
  const long half = (static_cast<long>(h.size()) - 1) / 2;
  const long n_in = static_cast<long>(x.size());
  const long n_out = (n_in * up + down - 1) / down;
  // The filter is preceded by `pre` zeros so that output sample 0 falls on the filter's centre
  // for input sample 0; `skip` outputs of the full convolution come before it.
  const long pre = down - half % down;
  const long skip = (half + pre) / down;
  // Polyphase: output j needs taps h[phase + m up] against x[base - m], m = 0, 1, ...
  std::vector<std::vector<double>> phases(up);
  for (long p = 0; p < up; ++p) {
    for (long t = p; t < static_cast<long>(h.size()); t += up) phases[p].push_back(h[t]);
  }
  std::vector<double> y(n_out, 0.0);
  for (long j = 0; j < n_out; ++j) {
    const long k = (j + skip) * down - pre;  // index into h of input sample 0's contribution
    if (k < 0) continue;
    const long phase = k % up;
    const long base = k / up;  // the input sample that meets tap `phase`
    const std::vector<double>& taps = phases[phase];
    const long m_first = std::max(0L, base - (n_in - 1));
    const long m_last = std::min(static_cast<long>(taps.size()) - 1, base);
    double a0 = 0.0, a1 = 0.0;
    long m = m_first;
    for (; m + 1 <= m_last; m += 2) {
      a0 += taps[m] * x[base - m];
      a1 += taps[m + 1] * x[base - m - 1];
    }
    if (m <= m_last) a0 += taps[m] * x[base - m];
    y[j] = a0 + a1;
  }
  return y;
}

void RationalResamplerStream::prepare(long up, long down, std::int64_t input_frames) {
  const long g = std::gcd(up, down);
  up_ = up / g;
  down_ = down / g;
  n_in_ = input_frames;
  n_out_ = (n_in_ * up_ + down_ - 1) / down_;
  produced_ = 0;
  held_.clear();
  held_start_ = 0;
  phases_.assign(static_cast<std::size_t>(up_), {});
  longest_phase_ = 0;
  if (up_ == 1 && down_ == 1) return;  // a copy, as resample_rational's
  // As resample_rational: the same filter, offsets and polyphase split.
  const std::vector<double> h = design_filter(up_, down_);
  const long half = (static_cast<long>(h.size()) - 1) / 2;
  pre_ = down_ - half % down_;
  skip_ = (half + pre_) / down_;
  for (long p = 0; p < up_; ++p) {
    for (long t = p; t < static_cast<long>(h.size()); t += up_) phases_[p].push_back(h[t]);
    longest_phase_ = std::max(longest_phase_, phases_[p].size());
  }
}

std::int64_t RationalResamplerStream::input_needed(std::int64_t output_end) const {
  if (output_end <= 0) return 0;
  if (up_ == 1 && down_ == 1) return std::min(output_end, n_in_);
  const std::int64_t k = (output_end - 1 + skip_) * down_ - pre_;
  return k < 0 ? 0 : std::min(k / up_ + 1, n_in_);
}

void RationalResamplerStream::push(const float* x, std::int64_t count) {
  held_.insert(held_.end(), x, x + count);
}

void RationalResamplerStream::pull(double* y, std::int64_t count) {
  const bool copy = up_ == 1 && down_ == 1;
  for (std::int64_t i = 0; i < count; ++i, ++produced_) {
    const std::int64_t j = produced_;
    if (copy) {
      y[i] = held_[static_cast<std::size_t>(j - held_start_)];
      continue;
    }
    // resample_rational's loop body, indexing the held samples.
    const std::int64_t k = (j + skip_) * down_ - pre_;
    if (k < 0) {
      y[i] = 0.0;
      continue;
    }
    const std::int64_t base = k / up_;
    const std::vector<double>& taps = phases_[static_cast<std::size_t>(k % up_)];
    const std::int64_t m_first = std::max<std::int64_t>(0, base - (n_in_ - 1));
    const std::int64_t m_last = std::min<std::int64_t>(static_cast<std::int64_t>(taps.size()) - 1, base);
    const double* x = held_.data() - held_start_;  // x[n] is input sample n
    double a0 = 0.0, a1 = 0.0;
    std::int64_t m = m_first;
    for (; m + 1 <= m_last; m += 2) {
      a0 += taps[m] * x[base - m];
      a1 += taps[m + 1] * x[base - m - 1];
    }
    if (m <= m_last) a0 += taps[m] * x[base - m];
    y[i] = a0 + a1;
  }
  // Drop what no later output reads (the oldest sample the next output's longest phase meets),
  // in large steps so that the copying stays small against the work.
  std::int64_t keep_from = produced_;
  if (!copy) {
    const std::int64_t k = (produced_ + skip_) * down_ - pre_;
    keep_from = std::max<std::int64_t>(0, (k < 0 ? 0 : k / up_) - static_cast<std::int64_t>(longest_phase_));
  }
  const std::int64_t drop = std::min<std::int64_t>(keep_from - held_start_, static_cast<std::int64_t>(held_.size()));
  if (drop > 0 && drop >= static_cast<std::int64_t>(held_.size()) / 2) {
    held_.erase(held_.begin(), held_.begin() + drop);
    held_start_ += drop;
  }
}

}  // namespace earshot
