#include "hearing_aid/hearing_aid_processor.hpp"

#include <algorithm>

namespace earshot {

void HearingAidProcessor::prepare(std::shared_ptr<const HearingAidPlan> plan) {
  plan_ = std::move(plan);
  hop_.clear();
  if (plan_->noise_reduction) {
    noise_reduction_.prepare(plan_->noise_reduction);
    const int hop = plan_->noise_reduction->hop_frames;
    hop_.assign(static_cast<std::size_t>(hop), 0.0f);
    if (plan_->compressor) compressor_.prepare(*plan_->compressor, hop);
    else hop_equaliser_.prepare({plan_->equaliser_taps}, hop);
  } else if (plan_->compressor) {
    compressor_.prepare(*plan_->compressor);
  } else {
    equaliser_.prepare({plan_->equaliser_taps}, convolution_partition_frames(static_cast<int>(plan_->equaliser_taps.size())));
  }
  hop_pos_ = 0;
}

void HearingAidProcessor::reset() noexcept {
  if (plan_->noise_reduction) {
    noise_reduction_.reset();
    if (plan_->compressor) compressor_.reset();
    else hop_equaliser_.reset();
    std::fill(hop_.begin(), hop_.end(), 0.0f);
    hop_pos_ = 0;
    return;
  }
  if (plan_->compressor) compressor_.reset();
  else equaliser_.reset();
}

void HearingAidProcessor::process(const float* in, float* out, int frames) noexcept {
  if (plan_->noise_reduction) {
    // Before the first hop the noise reduction gives zeros, which leave the compressor's and the
    // equaliser's state as it is (silence in, silence out, the gains at rest): hop_ starts at 0.
    const int hop = static_cast<int>(hop_.size());
    for (int i = 0; i < frames; ++i) {
      if (noise_reduction_.push(in[i])) {  // in[i] is read before out[i] is written: in may equal out
        noise_reduction_.take_hop(hop_.data());
        if (plan_->compressor) compressor_.process(hop_.data(), hop_.data(), hop);
        else hop_equaliser_.process_block(hop_.data(), hop_.data(), 1);
        hop_pos_ = 0;
      }
      // A hop completes every hop frames, the first at frame hop - 1: hop_pos_ stays below hop.
      out[i] = hop_[static_cast<std::size_t>(hop_pos_++)];
    }
    return;
  }
  if (plan_->compressor) compressor_.process(in, out, frames);
  else equaliser_.process(in, out, 1, frames);
}

}  // namespace earshot
