#include "hearing_aid/hearing_aid_processor.hpp"

namespace earshot {

void HearingAidProcessor::prepare(std::shared_ptr<const HearingAidPlan> plan) {
  plan_ = std::move(plan);
  if (plan_->noise_reduction) noise_reduction_.prepare(plan_->noise_reduction);
  if (plan_->compressor) compressor_.prepare(*plan_->compressor);
  else equaliser_.prepare({plan_->equaliser_taps}, convolution_partition_frames(static_cast<int>(plan_->equaliser_taps.size())));
}

void HearingAidProcessor::reset() noexcept {
  if (plan_->noise_reduction) noise_reduction_.reset();
  if (plan_->compressor) compressor_.reset();
  else equaliser_.reset();
}

void HearingAidProcessor::process(const float* in, float* out, int frames) noexcept {
  if (plan_->noise_reduction) {
    noise_reduction_.process(in, out, frames);
    in = out;  // the equaliser and the compressor take in == out
  }
  if (plan_->compressor) compressor_.process(in, out, frames);
  else equaliser_.process(in, out, 1, frames);
}

}  // namespace earshot
