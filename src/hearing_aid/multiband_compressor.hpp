#pragma once
// The aid's multiband compressor and output limiter, streaming (multiband_compressor_design.hpp
// says what it does and why). State is carried between blocks and every step is per sample, so
// the output does not depend on the block size; in may equal out. prepare() allocates; process()
// never allocates, locks or throws.
#include <vector>

#include "dsp/attack_release_smoother.hpp"
#include "dsp/fir_filter.hpp"
#include "hearing_aid/multiband_compressor_design.hpp"

namespace earshot {

class MultibandCompressor {
 public:
  // The plan must outlive the compressor's use of it (HearingAidProcessor holds it).
  void prepare(const MultibandCompressorPlan& plan);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }

 private:
  static constexpr int kBlock = 256;
  struct Band {
    FirFilter in_phase, quadrature;
    AttackReleaseSmoother gain;  // dB beyond the filter's own (65 dB SPL) gain
    float level_offset_db = 0.0f;  // from 10 log10 |z|^2 to the input's dB SPL in the band
    const CompressionCurve* curve = nullptr;
    float gain_at_65_db = 0.0f;
  };

  const MultibandCompressorPlan* plan_ = nullptr;
  std::vector<Band> bands_;
  std::vector<float> re_, im_;  // [band][frame] of the block
  float output_offset_db_ = 0.0f;
  float mpo_db_spl_ = 0.0f;
  float limiter_release_ = 1.0f;
  float limiter_gain_db_ = 0.0f;
};

}  // namespace earshot
