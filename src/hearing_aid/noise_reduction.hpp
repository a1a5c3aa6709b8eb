#pragma once
// A hearing aid's single-channel noise reduction, streaming: in a short-time Fourier transform,
// each bin is scaled by the log-spectral amplitude estimator's gain (Ephraim & Malah 1985,
// hearing_aid/log_mmse_gain.hpp) with the decision-directed a-priori SNR (Ephraim & Malah 1984,
// IEEE TASSP 32:1109-1121), against a noise power tracked without a voice-activity
// detector (Gerkmann & Hendriks 2012, hearing_aid/speech_presence_noise_estimator.hpp), and never
// below a gain floor.
//
// Why a floor: an estimator's gain on noise alone swings from frame to frame and bin to bin, and
// the isolated bins it lets through are heard as "musical noise"; a floor of -12 dB keeps a
// steady residue of the noise that masks them (Cappé 1994, IEEE TSAP 2:345-349; Berouti, Schwartz
// & Makhoul 1979 added a spectral floor for the same reason). Hearing aids' noise reduction is
// limited to about 10-12 dB of attenuation for the same reason and because more distorts speech
// (Bentler & Chiou 2006, Trends Amplif 10:67-82; Dillon 2012, Hearing Aids, ch. 7).
//
// The STFT: 8 ms periodic sqrt-Hann windows, analysis and synthesis, at half overlap (a 4 ms
// step); the squared window sums to exactly 1 at that step, so with every gain 1 the output is
// the input delayed, sample for sample. An output sample is complete once the last frame holding
// it is processed: the delay is one window less one frame (7.96 ms at 44.1 kHz), counted in the
// aid's latency. 8 ms gives 125 Hz bins, about the resolution of the 16-32 channels of a hearing
// aid's analysis; a longer window would resolve speech harmonics better and delay more.
//
// Every sample steps the same state machine, so the output does not depend on the block size;
// in may equal out. prepare() allocates; process() never allocates, locks or throws.
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"
#include "hearing_aid/speech_presence_noise_estimator.hpp"

namespace earshot {

inline constexpr double kNoiseReductionWindowMs = 8.0;

struct NoiseReductionPlan {
  double sample_rate_hz = 0.0;
  int window_frames = 0;  // even; also the FFT size
  int hop_frames = 0;     // window_frames / 2
  std::vector<float> window;  // sqrt of a periodic Hann: analysis and synthesis
  double gain_floor = 0.0;    // linear amplitude
  // Decision-directed weight, per frame: Ephraim & Malah's 0.98, per frame as it is commonly used
  // whatever the frame step (Loizou 2013, Speech Enhancement, 2nd ed., ch. 7, at a 10 ms step).
  // Converted to the time constant it has at a 16 ms step (0.995 at this 4 ms hop) it lagged
  // speech onsets: in corpus speech in cafe noise at 0 dB SNR the speech part's energy fell by
  // 3.7 dB and STOI by 0.04, against 3.0 dB and 0.03 with 0.98 (measured by shadow filtering,
  // tests/hearing_aid_noise_reduction_test.cpp).
  double decision_directed_weight = 0.0;
  // The smallest a-priori SNR, -25 dB: a lower bound of the kind Cappé (1994) proposes, which keeps
  // the estimate from collapsing to 0 in noise and then suppressing the first frames of speech.
  double min_a_priori_snr = 0.0;
  SpeechPresenceNoiseParams noise;
  int latency_frames = 0;  // window_frames - 1
};

NoiseReductionPlan design_noise_reduction(double floor_db, double sample_rate_hz);

class NoiseReduction {
 public:
  void prepare(std::shared_ptr<const NoiseReductionPlan> plan);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out
  // The same, for a consumer that takes the output a hop at a time (hearing_aid_processor.cpp):
  // push() feeds one input frame and returns true when it completed a hop; take_hop() then moves
  // that hop's output (hop_frames values) to `out`: the outputs process() would give for this frame
  // and the hop_frames - 1 after it. The first hop_frames - 1 outputs, before the first hop, are 0.
  bool push(float x) noexcept {
    input_[static_cast<std::size_t>(pos_)] = x;
    const bool hop = ++since_hop_ == plan_->hop_frames;
    if (hop) {
      since_hop_ = 0;
      process_frame();
    }
    pos_ = pos_ + 1 == plan_->window_frames ? 0 : pos_ + 1;
    return hop;
  }
  void take_hop(float* out) noexcept;
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }
  // The gain each bin got in the last frame (window_frames / 2 + 1 values), for tests that apply
  // the mixture's gains to its parts.
  const std::vector<float>& last_gains() const noexcept { return gains_; }
  // Frames processed since reset(): a test reads last_gains() whenever this changes.
  long frames_processed() const noexcept { return frames_; }

 private:
  void process_frame() noexcept;
  void gains(bool warming_up) noexcept;
  void gains_baseline(bool warming_up) noexcept;
  void gains_avx2(bool warming_up) noexcept;

  bool avx2_ = false;  // dsp/simd_path.hpp, read in prepare()
  std::shared_ptr<const NoiseReductionPlan> plan_;
  std::unique_ptr<RealFft> fft_;
  SpeechPresenceNoiseEstimator noise_;
  std::vector<float> input_;        // the last window_frames inputs, a ring written at pos_
  std::vector<float> accumulator_;  // overlap-add, a ring on the same index as input_
  std::vector<double> power_;       // this frame's power per bin (and zeros to a whole vector of lanes)
  std::vector<double> last_clean_power_;  // |G Y|^2 of the last frame, for the decision-directed SNR
  std::vector<float> gains_;
  int pos_ = 0;
  int since_hop_ = 0;
  long frames_ = 0;
};

}  // namespace earshot
