#pragma once
// One ear's hearing-loss simulation as a streaming DSP block: prepare(plan) allocates,
// process() never allocates, locks or throws. Latency: plan.latency_frames.
#include <cstdint>
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "hearing_loss/hearing_loss_design.hpp"
#include "support/random_source.hpp"

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

  // A listener moving between two states (scenes): from the next analysis frame on, every
  // loss-dependent quantity is mixed from `from` and `to` by `alpha` (0: from, 1: to): the
  // sensorineural loss per place and the conductive attenuation per bin in dB, the excitation
  // level per place in dB (filters of both widths), and the smeared power spectrum. At alpha 0
  // or 1 this is exactly the static model of that state. Both plans must have the prepared plan's
  // layout (same_layout) and outlive their use; the caller keeps them. Never allocates.
  void set_blend(const HearingLossPlan* from, const HearingLossPlan* to, float alpha) noexcept;

 private:
  // One frame, on the instruction set chosen at prepare (dsp/simd_path.hpp): the same code
  // (frame_body), compiled three times.
  void run_frame() noexcept;
  void run_frame_baseline() noexcept;
  void run_frame_avx2() noexcept;
  void run_frame_avx512() noexcept;
  void frame_body() noexcept;
  // Excitation power (calibrated, before dB) per place with the filters of plan q, into `power`.
  void excitation(const HearingLossPlan& q, float* power) const noexcept;
  // Smeared power spectrum with the kernels of plan q (its own power if q does not smear).
  void smear(const HearingLossPlan& q, float* out) const noexcept;

  std::shared_ptr<const HearingLossPlan> plan_;
  SimdPath path_ = SimdPath::baseline;  // the copy run_frame runs (the CPU has it and simd_path() chose it)
  // One FFT of the unwindowed frame gives both spectra the model needs: the frame under the Hann
  // analysis window and under its time derivative (instantaneous frequency) are three-bin sums of
  // it, since both windows are a few complex exponentials (run_frame).
  std::unique_ptr<RealFft> fft_;
  // Per-bin buffers hold plan().padded_bins floats (eight bins a step, hearing_loss_design.hpp).
  std::vector<float> spectrum_re_;  // X, the unwindowed frame's spectrum, split; entry k + 1 is bin k, and
  std::vector<float> spectrum_im_;  // entries 0 and bins + 1 are X[-1] and X[N/2 + 1] (a real frame's symmetry)
  std::vector<float> windowed_re_;  // spectrum under the analysis window
  std::vector<float> windowed_im_;
  std::vector<float> difference_re_;  // X[k-1] - X[k+1]: the derivative window's spectrum up to a factor
  std::vector<float> difference_im_;
  // The last fft_size input frames, with no shift per frame: a ring of n frames stored twice over
  // (2n floats, entry j + n a copy of entry j), so the frame is always the n floats from input_start_.
  std::vector<float> input_;
  int input_start_ = 0;
  // Overlap-add of synthesised windows: a ring of n / hop chunks of hop frames, the oldest (whose
  // frames are finished) at accumulator_head_.
  std::vector<float> accumulator_;
  int accumulator_head_ = 0;
  std::vector<float> ready_;        // hop frames of finished output
  std::vector<float> bin_power_;    // |X|^2 (digital)
  std::vector<float> spl_power_;    // calibrated, after the conductive part
  std::vector<float> band_power_;   // excitation power per place (bands rounded up to whole lanes)
  std::vector<float> band_level_db_;  // the same in dB SPL
  std::vector<float> smeared_;      // smeared power
  std::vector<float> output_re_;    // the synthesised spectrum, split
  std::vector<float> output_im_;
  std::vector<int> phase_index_;    // the frame's random phases (kPhasors entries), per bin; pad lanes 0
  std::vector<float> moved_amplitude_;  // amplitude of smeared-in power (0: none), given a random phase
  // The state(s) the model renders (see set_blend); both default to the prepared plan.
  const HearingLossPlan* from_ = nullptr;
  const HearingLossPlan* to_ = nullptr;
  float alpha_ = 0.0f;
  std::vector<float> blend_band_power_;     // excitation with `to`'s filters while blending
  std::vector<float> blend_loss_db_hl_;     // per place, mixed
  std::vector<float> blend_own_loss_db_hl_;  // per bin at its own place, from the mixed loss
  std::vector<float> blend_conductive_;     // per bin, mixed in dB
  std::vector<float> blend_smeared_;        // `to`'s smeared power while blending
  int position_ = 0;                // frames of the current hop already taken in
  RandomSource random_;             // random phases of smeared power
};

}  // namespace earshot
