#pragma once
// One ear's hearing aid, streaming: the prescribed equaliser (or, with compression on, the
// multiband compressor and limiter), after the noise reduction when it is on, on the free-field sound, in front of the ear's model.
// prepare() allocates; process() never allocates, locks or throws.
#include <memory>

#include "dsp/partitioned_convolver.hpp"
#include "hearing_aid/hearing_aid_design.hpp"
#include "hearing_aid/multiband_compressor.hpp"
#include "hearing_aid/noise_reduction.hpp"

namespace earshot {

class HearingAidProcessor {
 public:
  void prepare(std::shared_ptr<const HearingAidPlan> plan);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }

 private:
  std::shared_ptr<const HearingAidPlan> plan_;
  PartitionedConvolver equaliser_;  // the linear aid's, one filter
  MultibandCompressor compressor_;
  NoiseReduction noise_reduction_;
};

}  // namespace earshot
