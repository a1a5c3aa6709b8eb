#pragma once
// One ear's hearing-loss simulation as a streaming DSP block: prepare(plan) allocates,
// process() never allocates, locks or throws. Latency: plan.latency_frames.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/hearing_loss_design.hpp"

namespace earshot {

class HearingLossProcessor {
 public:
  HearingLossProcessor();
  ~HearingLossProcessor();
  HearingLossProcessor(const HearingLossProcessor&) = delete;
  HearingLossProcessor& operator=(const HearingLossProcessor&) = delete;
  HearingLossProcessor(HearingLossProcessor&&) noexcept;
  HearingLossProcessor& operator=(HearingLossProcessor&&) noexcept;

  void prepare(std::shared_ptr<const HearingLossPlan> plan);  // may allocate
  void reset() noexcept;                                        // silence the state
  // in and out may be the same buffer. Any number of frames.
  void process(const float* in, float* out, int frames) noexcept;
  int latency_frames() const noexcept;
  const HearingLossPlan& plan() const noexcept { return *plan_; }

 private:
  void run_frame() noexcept;
  // Excitation level (dB SPL) at a place given as a fractional band index.
  float level_at(float band_index) const noexcept;
  // A per-band quantity at a fractional band index, linear between places.
  static float interpolate(const std::vector<float>& per_band, float band_index) noexcept;

  struct Fft;  // FFTW plans and aligned buffers
  std::shared_ptr<const HearingLossPlan> plan_;
  std::unique_ptr<Fft> fft_;
  std::vector<float> input_;        // last fft_size input frames
  std::vector<float> accumulator_;  // overlap-add of synthesised windows
  std::vector<float> ready_;        // hop frames of finished output
  std::vector<float> bin_power_;    // |X|^2 (digital)
  std::vector<float> spl_power_;    // calibrated, after the conductive part
  std::vector<float> band_level_db_;
  std::vector<float> bin_gain_;     // amplitude gain per bin, by its instantaneous frequency's place
  std::vector<float> moved_gain_;   // amplitude gain for smeared-in power (see run_frame)
  std::vector<float> smeared_;      // smeared power
  int position_ = 0;                // frames of the current hop already taken in
  std::uint64_t rng_state_ = 0;     // random phases of smeared power (xorshift64*)
};

}  // namespace earshot
