#pragma once
// The noise power in each STFT bin, tracked without a voice-activity detector: the MMSE estimator
// with a soft speech-presence probability of Gerkmann & Hendriks (2012, IEEE TASLP 20:1383-1393,
// "Unbiased MMSE-based noise power estimation with low complexity and low tracking delay").
// Each frame, per bin, with y the bin's power and n the last noise estimate:
//   P(speech | y) = 1 / (1 + (1 + xi_h1) exp(-y / n * xi_h1 / (1 + xi_h1)))     (with
//                   equal priors P(H0) = P(H1) = 0.5, xi_h1 the SNR speech is assumed to have
//                   where present: 15 dB)
//   E[noise power | y] = (1 - P) y + P n
//   n <- a n + (1 - a) E[noise power | y]
// and where the probability has stayed near 1 for long (its smoothed value above 0.99) it is held
// to 0.99, so that a noise that rises and stays is taken in rather than read as speech for ever
// (as they propose). Being a soft decision, it follows noise that changes during speech faster
// than minimum statistics (Martin 2001), which lags by its search window of a second or more.
// Their constants are for a 16 ms frame step (32 ms frames, half-overlapped, at 16 kHz): a = 0.8,
// the probability's smoothing 0.9. Here each is converted to the same time constant at this
// estimator's own step: c^(step / 16 ms).
// The first frames (until `warmup_frames` have passed) set n to their running mean: the
// estimator assumes, as theirs does, that a signal starts with a little noise, not speech.
// prepare() allocates; update() never does.
#include <vector>

namespace earshot {

struct SpeechPresenceNoiseParams {
  double frame_step_s = 0.004;
  double speech_snr_db = 15.0;  // xi_h1: the value Gerkmann & Hendriks chose
  double warmup_s = 0.064;      // frames averaged for the first estimate
};

class SpeechPresenceNoiseEstimator {
 public:
  void prepare(const SpeechPresenceNoiseParams& params, int bins);
  void reset() noexcept;
  // One frame's power per bin in: bins values, readable (any values) up to bins rounded up to a
  // whole number of kDoubleLanes (dsp/exp_log_lanes.hpp); noise_power() holds the estimate for
  // this frame (as many values, the padding's meaningless).
  void update(const double* power) noexcept;
  const double* noise_power() const noexcept { return noise_.data(); }
  bool warming_up() const noexcept { return frames_ < warmup_frames_; }

 private:
  void track(const double* power) noexcept;
  void track_baseline(const double* power) noexcept;
  void track_avx2(const double* power) noexcept;

  bool avx2_ = false;  // dsp/simd_path.hpp, read in prepare()
  int bins_ = 0;
  double noise_smoothing_ = 0.8;       // a, per frame step
  double probability_smoothing_ = 0.9;  // per frame step
  double xi_h1_ = 0.0, likelihood_factor_ = 0.0, exponent_factor_ = 0.0;
  int warmup_frames_ = 1;
  int frames_ = 0;
  std::vector<double> noise_, smoothed_probability_;
};

}  // namespace earshot
