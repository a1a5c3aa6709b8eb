#include "hearing_aid/noise_reduction.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/exp_log_lanes.hpp"
#include "dsp/fft_size.hpp"
#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"
#include "hearing_aid/log_mmse_gain.hpp"

// GCC's and clang's target attribute: a second copy of the per-bin gains for AVX2 + FMA (as
// dsp/fir_filter.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_NOISE_REDUCTION_AVX2 1
#endif

namespace earshot {
namespace {

constexpr double kDecisionDirectedWeight = 0.98;  // Ephraim & Malah 1984
constexpr double kMinAPrioriSnrDb = -25.0;  // Cappé 1994

}  // namespace

NoiseReductionPlan design_noise_reduction(double floor_db, double sample_rate_hz) {
  NoiseReductionPlan plan;
  plan.sample_rate_hz = sample_rate_hz;
  // Two hops of about 4 ms, each a whole number of frames that FFTW transforms without allocating
  // (dsp/fft_size.hpp; the compressor behind it convolves in blocks of one hop, with FFTs of two):
  // 352 frames at 44.1 kHz, 384 at 48 kHz (as 8 ms rounded), 704 at 88.2 kHz (not 706 = 2 x 353).
  plan.window_frames = 2 * nearest_thirteen_smooth(kNoiseReductionWindowMs * 1e-3 * sample_rate_hz / 2.0, 2, 2);
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
  // The per-bin arrays in doubles run to a whole number of lanes (gains_bins()); the padding is 0.
  const auto padded = static_cast<std::size_t>(round_up(n / 2 + 1, kDoubleLanes));
  avx2_ = simd_path() == SimdPath::avx2;
  fft_ = std::make_unique<RealFft>(n);
  noise_.prepare(plan_->noise, static_cast<int>(bins));
  input_.assign(static_cast<std::size_t>(n), 0.0f);
  accumulator_.assign(static_cast<std::size_t>(n), 0.0f);
  power_.assign(padded, 0.0);
  last_clean_power_.assign(padded, 0.0);
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
  const std::size_t bins = gains_.size();
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
#if defined(EARSHOT_NOISE_REDUCTION_AVX2)
  if (avx2_) gains_avx2(warming_up);
  else gains_baseline(warming_up);
#else
  gains_baseline(warming_up);
#endif
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

// Each bin's gain from this frame's power and noise estimate, written once and compiled into both
// copies below: four bins at a time (the padding's lanes are computed and dropped), the steps of
// the scalar formula lane by lane.
[[gnu::always_inline]] inline void NoiseReduction::gains(bool warming_up) noexcept {
  const NoiseReductionPlan& p = *plan_;
  const std::size_t bins = gains_.size();
  const double* noise = noise_.noise_power();
  const double a = p.decision_directed_weight;
  for (std::size_t k = 0; k < bins; k += kDoubleLanes) {
    DoubleLanes power, n, last_clean, g;
    load_lanes(power_.data() + k, power);
    load_lanes(noise + k, n);
    load_lanes(last_clean_power_.data() + k, last_clean);
    const DoubleLanes gamma = power / n;
    // Decision-directed a-priori SNR (Ephraim & Malah 1984): mostly the last frame's
    // clean estimate over this frame's noise, a little of this frame's excess power.
    const DoubleLanes excess = gamma - 1.0 < 0.0 ? DoubleLanes{} : gamma - 1.0;
    const DoubleLanes dd = a * last_clean / n + (1.0 - a) * excess;
    const DoubleLanes xi = dd < p.min_a_priori_snr ? DoubleLanes{} + p.min_a_priori_snr : dd;
    log_mmse_gain_lanes(xi, gamma, g);
    // The estimator's gain exceeds 1 where a bin holds less than the noise (gamma << 1 makes
    // exp(E1 / 2) large); a noise reducer only takes away (the equaliser after it sets the gain),
    // so it is held to 1.
    // The estimate carried to the next frame is the estimator's, not the floored gain's: the floor
    // limits what is heard, not what the estimator believes (otherwise noise alone would hold xi
    // up at the floor's square).
    store_lanes(g * g * power, last_clean_power_.data() + k);
    DoubleLanes heard = g < p.gain_floor ? DoubleLanes{} + p.gain_floor : (1.0 < g ? DoubleLanes{} + 1.0 : g);
    if (warming_up) heard = DoubleLanes{} + 1.0;
    const std::size_t used = std::min<std::size_t>(kDoubleLanes, bins - k);
    for (std::size_t l = 0; l < used; ++l) gains_[k + l] = static_cast<float>(heard[l]);
  }
}

void NoiseReduction::gains_baseline(bool warming_up) noexcept { gains(warming_up); }

#if defined(EARSHOT_NOISE_REDUCTION_AVX2)
[[gnu::target("avx2,fma")]] void NoiseReduction::gains_avx2(bool warming_up) noexcept { gains(warming_up); }
#else
void NoiseReduction::gains_avx2(bool warming_up) noexcept { gains_baseline(warming_up); }
#endif

}  // namespace earshot
