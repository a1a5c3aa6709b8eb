#include "hearing_aid/noise_reduction.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hearing_aid/log_mmse_gain.hpp"

namespace earshot {
namespace {

constexpr double kDecisionDirectedWeight = 0.98;  // Ephraim & Malah 1984
constexpr double kMinAPrioriSnrDb = -25.0;  // Cappé 1994

}  // namespace

NoiseReductionPlan design_noise_reduction(double floor_db, double sample_rate_hz) {
  NoiseReductionPlan plan;
  plan.sample_rate_hz = sample_rate_hz;
  plan.window_frames = std::max(4, 2 * static_cast<int>(std::lround(kNoiseReductionWindowMs * 1e-3 * sample_rate_hz / 2.0)));
  plan.hop_frames = plan.window_frames / 2;
  plan.window.resize(static_cast<std::size_t>(plan.window_frames));
  for (int n = 0; n < plan.window_frames; ++n) {
    // Periodic Hann, square-rooted: sin(pi n / N), whose square at half overlap sums to 1.
    plan.window[static_cast<std::size_t>(n)] = static_cast<float>(std::sin(std::numbers::pi * n / plan.window_frames));
  }
  plan.gain_floor = std::pow(10.0, floor_db / 20.0);
  const double hop_s = plan.hop_frames / sample_rate_hz;
  plan.decision_directed_weight = kDecisionDirectedWeight;
  plan.min_a_priori_snr = std::pow(10.0, kMinAPrioriSnrDb / 10.0);
  plan.noise.frame_step_s = hop_s;
  plan.latency_frames = plan.window_frames - 1;
  return plan;
}

void NoiseReduction::prepare(std::shared_ptr<const NoiseReductionPlan> plan) {
  plan_ = std::move(plan);
  const int n = plan_->window_frames;
  const auto bins = static_cast<std::size_t>(n / 2 + 1);
  fft_ = std::make_unique<RealFft>(n);
  noise_.prepare(plan_->noise, static_cast<int>(bins));
  input_.assign(static_cast<std::size_t>(n), 0.0f);
  accumulator_.assign(static_cast<std::size_t>(n), 0.0f);
  power_.assign(bins, 0.0);
  last_clean_power_.assign(bins, 0.0);
  gains_.assign(bins, 1.0f);
  reset();
}

void NoiseReduction::reset() noexcept {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(accumulator_.begin(), accumulator_.end(), 0.0f);
  std::fill(last_clean_power_.begin(), last_clean_power_.end(), 0.0);
  std::fill(gains_.begin(), gains_.end(), 1.0f);
  noise_.reset();
  pos_ = 0;
  since_hop_ = 0;
  frames_ = 0;
}

void NoiseReduction::process(const float* in, float* out, int frames) noexcept {
  const int n = plan_->window_frames;
  for (int i = 0; i < frames; ++i) {
    input_[static_cast<std::size_t>(pos_)] = in[i];  // read before out[i] is written: in may equal out
    if (++since_hop_ == plan_->hop_frames) {
      since_hop_ = 0;
      process_frame();
    }
    // The oldest sample of the window is complete: every frame holding it has been added.
    pos_ = pos_ + 1 == n ? 0 : pos_ + 1;
    float& done = accumulator_[static_cast<std::size_t>(pos_)];
    out[i] = done;
    done = 0.0f;
  }
}

void NoiseReduction::take_hop(float* out) noexcept {
  // After a hop, pos_ is the first of the completed half of the ring (the window is two hops).
  const int hop = plan_->hop_frames;
  float* done = accumulator_.data() + pos_;
  std::copy(done, done + hop, out);
  std::fill(done, done + hop, 0.0f);
}

void NoiseReduction::process_frame() noexcept {
  const NoiseReductionPlan& p = *plan_;
  const int n = p.window_frames;
  const std::size_t bins = power_.size();
  // The window's oldest sample sits just after the newest (pos_) in the ring.
  float* t = fft_->time();
  for (int j = 0, k = pos_ + 1; j < n; ++j, ++k) {
    if (k == n) k = 0;
    t[j] = input_[static_cast<std::size_t>(k)] * p.window[static_cast<std::size_t>(j)];
  }
  fft_->forward();
  RealFft::Bin* y = fft_->spectrum();
  for (std::size_t k = 0; k < bins; ++k) power_[k] = double(y[k][0]) * y[k][0] + double(y[k][1]) * y[k][1];
  const bool warming_up = noise_.warming_up();
  noise_.update(power_.data());
  const double* noise = noise_.noise_power();
  const double a = p.decision_directed_weight;
  for (std::size_t k = 0; k < bins; ++k) {
    const double gamma = power_[k] / noise[k];
    // Decision-directed a-priori SNR (Ephraim & Malah 1984): mostly the last frame's
    // clean estimate over this frame's noise, a little of this frame's excess power.
    const double xi = std::max(a * last_clean_power_[k] / noise[k] + (1.0 - a) * std::max(gamma - 1.0, 0.0), p.min_a_priori_snr);
    const double g = log_mmse_gain(xi, gamma);
    // The estimator's gain exceeds 1 where a bin holds less than the noise (gamma << 1 makes
    // exp(E1 / 2) large); a noise reducer only takes away (the equaliser after it sets the gain),
    // so it is held to 1.
    // The estimate carried to the next frame is the estimator's, not the floored gain's: the floor
    // limits what is heard, not what the estimator believes (otherwise noise alone would hold xi
    // up at the floor's square).
    last_clean_power_[k] = g * g * power_[k];
    gains_[k] = static_cast<float>(warming_up ? 1.0 : std::clamp(g, p.gain_floor, 1.0));
  }
  for (std::size_t k = 0; k < bins; ++k) {
    y[k][0] *= gains_[k];
    y[k][1] *= gains_[k];
  }
  fft_->inverse();
  // Synthesis window and FFTW's factor n; added where each sample's time falls in the ring.
  const float scale = 1.0f / static_cast<float>(n);
  for (int j = 0, k = pos_ + 1; j < n; ++j, ++k) {
    if (k == n) k = 0;
    accumulator_[static_cast<std::size_t>(k)] += t[j] * p.window[static_cast<std::size_t>(j)] * scale;
  }
  ++frames_;
}

}  // namespace earshot
