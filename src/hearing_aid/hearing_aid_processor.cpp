#include "hearing_aid/hearing_aid_processor.hpp"

namespace earshot {

void HearingAidProcessor::prepare(std::shared_ptr<const HearingAidPlan> plan) {
  plan_ = std::move(plan);
  equaliser_.prepare(plan_->equaliser_taps);
}

void HearingAidProcessor::reset() noexcept { equaliser_.reset(); }

void HearingAidProcessor::process(const float* in, float* out, int frames) noexcept { equaliser_.process(in, out, frames); }

}  // namespace earshot
