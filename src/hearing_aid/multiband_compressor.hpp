#pragma once
// The aid's multiband compressor and output limiter, streaming (multiband_compressor_design.hpp
// says what it does and why). State is carried between blocks and every step is per sample, so
// the output does not depend on the block size; in may equal out. prepare() allocates; process()
// never allocates, locks or throws.
//
// Speed: the bands' filter pairs share the input, so they run as one partitioned FFT convolution
// (dsp/partitioned_convolver.hpp: one FFT of the input serves every band, no latency added), and
// each sample's level detection, static curve, attack/release and gain run across the bands side
// by side (eight bands to a vector, dsp/fast_math_lanes.hpp; an AVX2 + FMA copy where the CPU has them).
// Fed whole blocks (prepare()'s block_frames: the noise reduction's hops), the filters need no
// direct-form head: they run as dsp/block_convolver.hpp, all in the frequency domain.
#include <cstddef>
#include <vector>

#include "dsp/block_convolver.hpp"
#include "dsp/partitioned_convolver.hpp"
#include "hearing_aid/multiband_compressor_design.hpp"

namespace earshot {

class MultibandCompressor {
 public:
  // The plan must outlive the compressor's use of it (HearingAidProcessor holds it).
  // block_frames > 0: every process() call then takes a whole number of blocks of that many frames
  // (hearing_aid_processor.cpp feeds the noise reduction's hops), and the band filters run a block
  // at a time; the output is the same to float rounding, with the same latency.
  void prepare(const MultibandCompressorPlan& plan, int block_frames = 0);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }

 private:
  static constexpr int kBlock = 256;
  void process_baseline(const float* in, float* out, int frames) noexcept;
  void process_avx2(const float* in, float* out, int frames) noexcept;
  void run(const float* in, float* out, int frames) noexcept;
  void bands_of_frame(const float* frame, std::size_t c, float* yr, float* yi) noexcept;

  bool avx2_ = false;  // dsp/simd_path.hpp, read in prepare()

  const MultibandCompressorPlan* plan_ = nullptr;
  // The bands' filters, in-phase then quadrature, written to filtered_ as
  // [frame][in-phase 0 ... K-1, quadrature 0 ... K-1].
  PartitionedConvolver filters_;
  BlockConvolver block_filters_;  // instead, with block_frames
  int block_frames_ = 0;
  int chunk_frames_ = kBlock;     // frames run() takes at once: kBlock, or block_frames
  int stride_ = 0;                // filtered_'s row: the filters' lanes()
  std::vector<float> filtered_;
  int bands_ = 0;
  int lanes_ = 0;  // bands rounded up to a multiple of kFloatLanes; the extra lanes carry zeros
  // Per band (lane). The static curve, less the 65 dB SPL gain the band's filter already gives,
  // piecewise linear and held at its ends: base + sum_s slope_s clamp(level - start_s, 0, width_s).
  std::vector<float> level_offset_db_;  // from 10 log10 |z|^2 to the input's dB SPL in the band
  std::vector<float> curve_base_db_;
  int segments_ = 0;
  std::vector<float> segment_start_db_, segment_width_db_, segment_slope_;  // [segment][lane]
  std::vector<float> attack_, release_;  // one-pole coefficients (dsp/attack_release_smoother.hpp)
  std::vector<float> quiet_gain_db_;     // where reset() puts the gain: the curve's lowest point's
  std::vector<float> gain_db_;           // the smoothed gain beyond the filter's own
  int per_frame_bands_ = 0;  // bands 0 ... this - 1 run frame by frame, the rest across frames (run())
  std::vector<float> yr_, yi_;  // one vector of bands' outputs after the gain, for one frame
  std::vector<float> sum_re_, sum_im_;  // [frame]: the block's analytic output, the bands summed
  std::vector<float> across_re_, across_im_, across_db_;  // [frame]: one band (or the limiter) across the block
  float output_offset_db_ = 0.0f;
  float mpo_db_spl_ = 0.0f;
  float limiter_release_ = 1.0f;
  float limiter_gain_db_ = 0.0f;
};

}  // namespace earshot
