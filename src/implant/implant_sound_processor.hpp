#pragma once
// The sound processor of a cochlear implant, as a streaming block: input samples in, stimulation
// frames out (which electrodes fire, in which order, at what current). This is what the
// electrodogram shows and what the auralizer turns into sound.
//   front end: pre-emphasis, compression limiter;
//   analysis:  FFT bins grouped into bands (ace) or a band-pass filterbank with envelope detectors
//              (cis), sampled once per stimulation frame;
//   selection: the n largest band envelopes (n-of-m), or all;
//   mapping:   loudness growth from the input dynamic range to each electrode's T..C currents.
// prepare() allocates; push() and analyse() never allocate, lock or throw.
#include <cstdint>
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"
#include "implant/band_envelope_bank.hpp"
#include "implant/implant_design.hpp"
#include "implant/n_of_m_selector.hpp"

namespace earshot {

struct StimulationPulse {
  int electrode = 0;          // position in ImplantPlan::electrodes (active, apical first)
  float current_ua = 0.0f;
  float offset_frames = 0.0f; // after the frame's time: pulses are interleaved, basal first
};

struct StimulationFrame {
  std::int64_t index = 0;
  std::int64_t time_frames = 0;  // the input time its envelopes describe (clock - analysis delay)
  int pulse_count = 0;
  const StimulationPulse* pulses = nullptr;
  const float* envelopes = nullptr;  // every active electrode's band envelope (RMS, digital)
};

class ImplantSoundProcessor {
 public:
  ImplantSoundProcessor();
  ~ImplantSoundProcessor();
  ImplantSoundProcessor(ImplantSoundProcessor&&) noexcept;
  ImplantSoundProcessor& operator=(ImplantSoundProcessor&&) noexcept;

  void prepare(std::shared_ptr<const ImplantPlan> plan);
  void reset() noexcept;
  // Input frames still to come before the next stimulation frame is due (at least 1 after analyse()).
  int frames_to_next_frame() const noexcept { return static_cast<int>(next_clock_ - clock_); }
  // Takes `frames` <= frames_to_next_frame() input samples.
  void push(const float* in, int frames) noexcept;
  // When frames_to_next_frame() is 0: analyses the frame and returns it (valid until the next call).
  const StimulationFrame& analyse() noexcept;
  const ImplantPlan& plan() const noexcept { return *plan_; }

 private:
  void analyse_fft() noexcept;
  // analyse_fft on the instruction set chosen at prepare: the same code, compiled twice (same bits).
  void analyse_fft_lanes() noexcept;
  void analyse_fft_baseline() noexcept;
  void analyse_fft_avx2() noexcept;
  void select_and_map() noexcept;
  // The loudness growth function and the currents of select_and_map's `chosen` lanes, on the
  // instruction set chosen at prepare (dsp/simd_path.hpp): the same code (map_lanes), compiled
  // twice; both give the same bits (implant_sound_processor.cpp).
  void map_lanes(int chosen) noexcept;
  void map_lanes_baseline(int chosen) noexcept;
  void map_lanes_avx2(int chosen) noexcept;

  std::shared_ptr<const ImplantPlan> plan_;
  // ace: the real FFT of fft_size as a complex FFT of fft_size / 2 (even samples the real parts,
  // odd the imaginary) and a split pass over the bins the bands use (analyse_fft_lanes).
  std::unique_ptr<ComplexFft> fft_;
  std::vector<float> twiddle_re_, twiddle_im_;  // e^{-2 pi i k / fft_size}, per bin k
  std::int64_t clock_ = 0, next_clock_ = 0, frame_index_ = 0;
  Biquad pre_emphasis_;          // its state
  float agc_envelope_ = 0.0f;
  std::vector<float> scratch_;   // front-end output of one push
  std::vector<float> history_;   // ace: the last fft_size samples, twice (contiguous reads)
  int history_pos_ = 0;
  std::vector<double> bin_power_;  // ace: |X_k|^2 of the bins the bands use, [first_bin_, end_bin_), then one 0
  int first_bin_ = 0, end_bin_ = 0;
  // ace: the band sums four bands at a time, one band a lane (each lane adds its band's bins in
  // the scalar order: the same bits). Per group of kDoubleLanes bands, group_width_ steps; step j
  // of lane l reads bin_power_[lane_bin_[...]] times lane_weight_[...] (past a band's last bin:
  // weight 0 times the 0 after the bins, adding +0 exactly).
  std::vector<int> group_width_;
  std::vector<int> lane_bin_;
  std::vector<double> lane_weight_;
  std::vector<float> group_envelope_;  // the groups' envelopes (padded to whole groups)
  BandEnvelopeBank bank_;        // cis: filterbank and envelope detectors
  std::vector<float> envelopes_;
  double log1p_alpha_ = 0.0;     // the loudness growth function's constant, once
  std::vector<double> threshold_ua_, log_dynamic_range_;  // per band: T, log(C / T) (padded to lanes)
  // select_and_map's lanes: the chosen bands' envelopes, T and log(C / T), and their proportions
  // and currents, in delivery order (padded to a whole number of lanes).
  std::vector<double> lane_envelope_, lane_threshold_, lane_log_range_, lane_proportion_, lane_current_;
  NOfMSelector selector_;
  std::vector<int> order_;
  std::vector<StimulationPulse> pulses_;
  StimulationFrame frame_;
  bool avx2_ = false;  // map_lanes_avx2, analyse_fft_avx2 (the CPU has AVX2 and simd_path() chose it)
};

}  // namespace earshot
