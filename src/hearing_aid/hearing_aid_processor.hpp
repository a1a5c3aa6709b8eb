#pragma once
// One ear's hearing aid, streaming: the prescribed equaliser (or, with compression on, the
// multiband compressor and limiter), after the noise reduction when it is on, on the free-field sound, in front of the ear's model.
// prepare() allocates; process() never allocates, locks or throws.
//
// With the noise reduction on, its output is complete a hop at a time (noise_reduction.hpp), so the
// stage after it runs on whole hops as they complete, and the hop's output is handed out over the
// next hop of frames: the same samples at the same times as running the two in series frame by
// frame (to float rounding), with the filters all in the frequency domain (dsp/block_convolver.hpp)
// instead of a direct-form head, which zero latency needs only when the input comes frame by frame.
#include <memory>
#include <vector>

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
  BlockConvolver hop_equaliser_;  // the linear aid's after the noise reduction
  std::vector<float> hop_;        // with the noise reduction: the last hop's output, handed out frame by frame
  int hop_pos_ = 0;
};

}  // namespace earshot
