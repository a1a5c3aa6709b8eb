#pragma once
// What the implant user hears, approximately: each stimulation frame's pulses become sound at the
// places their electrodes excite. The current of each pulse is mapped back through the loudness
// growth function to the band level it stands for, and that level drives the electrode's carrier
// (noise, sine and harmonic carriers: envelope interpolated between frames; pulsatile: one click
// per pulse). Electrodes that do not fire are silent, so n-of-m selection, the input dynamic range,
// the rate and the places are all heard.
// prepare() allocates; add() never allocates, locks or throws.
#include <cstdint>
#include <memory>
#include <vector>

#include "implant/implant_sound_processor.hpp"

namespace earshot {

class ImplantAuralizer {
 public:
  void prepare(std::shared_ptr<const ImplantPlan> plan);
  void reset() noexcept;
  // Adds the sound of `frame` into `ring` (plan.ring_frames long): input time t lands at
  // ring[(t + plan.latency_frames) & (ring_frames - 1)].
  void add(const StimulationFrame& frame, float* ring) noexcept;

 private:
  void add_segment(std::int64_t start, int length, float* ring) noexcept;
  // add_segment on the instruction set chosen at prepare (dsp/simd_path.hpp): the same code
  // (mix_segment), compiled twice; both give the same bits (implant_auralizer.cpp).
  void mix_segment(std::int64_t start, int length, float* ring) noexcept;
  void add_segment_baseline(std::int64_t start, int length, float* ring) noexcept;
  void add_segment_avx2(std::int64_t start, int length, float* ring) noexcept;
  // The envelopes of a frame's `pulses` from lane_ratio_ and lane_log_range_ into lane_envelope_
  // (inverse loudness growth), compiled twice like add_segment.
  void decode_lanes(int pulses) noexcept;
  void decode_lanes_baseline(int pulses) noexcept;
  void decode_lanes_avx2(int pulses) noexcept;
  std::uint64_t next_random() noexcept;

  std::shared_ptr<const ImplantPlan> plan_;
  std::vector<float> previous_, current_;  // envelope per electrode at the last two frames
  std::vector<float> heard_;               // sine: each electrode's own envelope, before spread mixing
  std::vector<float> segment_;
  // mix_segment: the electrodes that sound in the segment, each one's envelope start and slope in
  // eight lanes (broadcast once), and its carrier's read positions for the current run.
  std::vector<float> lane_start_, lane_slope_;
  std::vector<const float*> read_a_, read_b_;
  std::vector<int> active_;
  std::vector<double> log_dynamic_range_;  // per electrode log(C / T), for ImplantElectrode::proportion
  double log1p_alpha_ = 0.0;                // LoudnessGrowth's constant
  // add's lanes, one per pulse of the frame (padded): current / T, log(C / T), the envelope.
  std::vector<double> lane_ratio_, lane_log_range_, lane_envelope_;
  std::int64_t previous_time_ = 0;
  bool started_ = false;
  std::int64_t head_a_ = 0, head_b_ = 0;   // noise: read offsets
  std::uint64_t rng_ = 0;
  bool avx2_ = false;  // add_segment_avx2 (the CPU has AVX2 and simd_path() chose it)
};

}  // namespace earshot
