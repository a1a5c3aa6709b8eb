#include "hearing_aid/speech_presence_noise_estimator.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/exp_log_lanes.hpp"
#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the per-bin loop for AVX2 + FMA (as
// dsp/fir_filter.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_NOISE_ESTIMATOR_AVX2 1
#endif

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
// The likelihood's exponent is held at -700 or above (exp_lanes' range): e^-700 is 1e-304, which
// leaves 1 + that exactly 1 and P = 1, as any lower exponent does.
constexpr double kLowestExponent = -700.0;

std::size_t whole_lanes(int bins) { return static_cast<std::size_t>(round_up(bins, kDoubleLanes)); }

}  // namespace

void SpeechPresenceNoiseEstimator::prepare(const SpeechPresenceNoiseParams& params, int bins) {
  const double steps = params.frame_step_s / kReferenceStepS;
  noise_smoothing_ = std::pow(kNoiseSmoothingAtReference, steps);
  probability_smoothing_ = std::pow(kProbabilitySmoothingAtReference, steps);
  xi_h1_ = std::pow(10.0, params.speech_snr_db / 10.0);
  likelihood_factor_ = 1.0 + xi_h1_;
  exponent_factor_ = xi_h1_ / (1.0 + xi_h1_);
  warmup_frames_ = std::max(1, static_cast<int>(std::lround(params.warmup_s / params.frame_step_s)));
  avx2_ = simd_path() == SimdPath::avx2;
  bins_ = bins;
  noise_.assign(whole_lanes(bins), kNoiseFloorPower);
  smoothed_probability_.assign(whole_lanes(bins), 0.0);
  reset();
}

void SpeechPresenceNoiseEstimator::reset() noexcept {
  std::fill(noise_.begin(), noise_.end(), kNoiseFloorPower);
  std::fill(smoothed_probability_.begin(), smoothed_probability_.end(), 0.0);
  frames_ = 0;
}

void SpeechPresenceNoiseEstimator::update(const double* power) noexcept {
  if (frames_ < warmup_frames_) {
    // Running mean of the first frames' power: a first estimate from more than one periodogram,
    // whose single-frame values scatter over a factor of ten and more around the mean.
    const double weight = 1.0 / (frames_ + 1);
    for (std::size_t k = 0; k < static_cast<std::size_t>(bins_); ++k) {
      const double mean = frames_ == 0 ? power[k] : noise_[k] + weight * (power[k] - noise_[k]);
      noise_[k] = std::max(mean, kNoiseFloorPower);
    }
    ++frames_;
    return;
  }
#if defined(EARSHOT_NOISE_ESTIMATOR_AVX2)
  if (avx2_) {
    track_avx2(power);
    return;
  }
#endif
  track_baseline(power);
}

// The tracking step, written once and compiled into both copies below: four bins at a time, the
// scalar formula's steps lane by lane (exp by dsp/exp_log_lanes.hpp, within 4 ulp of libm's).
[[gnu::always_inline]] inline void SpeechPresenceNoiseEstimator::track(const double* power) noexcept {
  const std::size_t padded = whole_lanes(bins_);
  for (std::size_t k = 0; k < padded; k += kDoubleLanes) {
    DoubleLanes y, n, smoothed, likelihood;
    load_lanes(power + k, y);
    load_lanes(noise_.data() + k, n);
    load_lanes(smoothed_probability_.data() + k, smoothed);
    const DoubleLanes exponent = -y / n * exponent_factor_;
    exp_lanes(exponent < kLowestExponent ? DoubleLanes{} + kLowestExponent : exponent, likelihood);
    DoubleLanes p = 1.0 / (1.0 + likelihood_factor_ * likelihood);
    smoothed = probability_smoothing_ * smoothed + (1.0 - probability_smoothing_) * p;
    store_lanes(smoothed, smoothed_probability_.data() + k);
    p = smoothed > kStagnationProbability && kStagnationProbability < p ? DoubleLanes{} + kStagnationProbability : p;
    const DoubleLanes expected_noise = (1.0 - p) * y + p * n;
    const DoubleLanes next = noise_smoothing_ * n + (1.0 - noise_smoothing_) * expected_noise;
    store_lanes(next < kNoiseFloorPower ? DoubleLanes{} + kNoiseFloorPower : next, noise_.data() + k);
  }
}

void SpeechPresenceNoiseEstimator::track_baseline(const double* power) noexcept { track(power); }

#if defined(EARSHOT_NOISE_ESTIMATOR_AVX2)
[[gnu::target("avx2,fma")]] void SpeechPresenceNoiseEstimator::track_avx2(const double* power) noexcept { track(power); }
#else
void SpeechPresenceNoiseEstimator::track_avx2(const double* power) noexcept { track_baseline(power); }
#endif

}  // namespace earshot
