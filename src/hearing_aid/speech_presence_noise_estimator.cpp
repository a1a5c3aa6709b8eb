#include "hearing_aid/speech_presence_noise_estimator.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {
namespace {

// Gerkmann & Hendriks (2012) tuned their smoothing constants at a 16 ms frame step.
constexpr double kReferenceStepS = 0.016;
constexpr double kNoiseSmoothingAtReference = 0.8;
constexpr double kProbabilitySmoothingAtReference = 0.9;
// Their guard against stagnation: a smoothed probability above this caps the frame's at it.
constexpr double kStagnationProbability = 0.99;
// The smallest noise power the estimate keeps (a digital power far below any float signal's), so
// that a stretch of digital silence does not leave a zero to divide by.
constexpr double kNoiseFloorPower = 1e-30;

}  // namespace

void SpeechPresenceNoiseEstimator::prepare(const SpeechPresenceNoiseParams& params, int bins) {
  const double steps = params.frame_step_s / kReferenceStepS;
  noise_smoothing_ = std::pow(kNoiseSmoothingAtReference, steps);
  probability_smoothing_ = std::pow(kProbabilitySmoothingAtReference, steps);
  xi_h1_ = std::pow(10.0, params.speech_snr_db / 10.0);
  likelihood_factor_ = 1.0 + xi_h1_;
  exponent_factor_ = xi_h1_ / (1.0 + xi_h1_);
  warmup_frames_ = std::max(1, static_cast<int>(std::lround(params.warmup_s / params.frame_step_s)));
  noise_.assign(static_cast<std::size_t>(bins), kNoiseFloorPower);
  smoothed_probability_.assign(static_cast<std::size_t>(bins), 0.0);
  reset();
}

void SpeechPresenceNoiseEstimator::reset() noexcept {
  std::fill(noise_.begin(), noise_.end(), kNoiseFloorPower);
  std::fill(smoothed_probability_.begin(), smoothed_probability_.end(), 0.0);
  frames_ = 0;
}

void SpeechPresenceNoiseEstimator::update(const double* power) noexcept {
  const std::size_t bins = noise_.size();
  if (frames_ < warmup_frames_) {
    // Running mean of the first frames' power: a first estimate from more than one periodogram,
    // whose single-frame values scatter over a factor of ten and more around the mean.
    const double weight = 1.0 / (frames_ + 1);
    for (std::size_t k = 0; k < bins; ++k) {
      const double mean = frames_ == 0 ? power[k] : noise_[k] + weight * (power[k] - noise_[k]);
      noise_[k] = std::max(mean, kNoiseFloorPower);
    }
    ++frames_;
    return;
  }
  for (std::size_t k = 0; k < bins; ++k) {
    const double y = power[k];
    const double n = noise_[k];
    // exp(-large) underflows to 0: P = 1, as the formula says.
    double p = 1.0 / (1.0 + likelihood_factor_ * std::exp(-y / n * exponent_factor_));
    smoothed_probability_[k] = probability_smoothing_ * smoothed_probability_[k] + (1.0 - probability_smoothing_) * p;
    if (smoothed_probability_[k] > kStagnationProbability) p = std::min(p, kStagnationProbability);
    const double expected_noise = (1.0 - p) * y + p * n;
    noise_[k] = std::max(noise_smoothing_ * n + (1.0 - noise_smoothing_) * expected_noise, kNoiseFloorPower);
  }
}

}  // namespace earshot
