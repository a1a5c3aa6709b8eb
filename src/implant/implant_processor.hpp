#pragma once
// One implanted ear as a streaming block: the sound processor's stimulation frames, auralized.
// Latency plan.latency_frames. prepare() allocates; process() never allocates, locks or throws.
#include <memory>
#include <vector>

#include "implant/implant_auralizer.hpp"
#include "implant/implant_sound_processor.hpp"

namespace earshot {

class ImplantProcessor {
 public:
  void prepare(std::shared_ptr<const ImplantPlan> plan);
  void reset() noexcept;
  // in and out may be the same buffer. Any number of frames.
  void process(const float* in, float* out, int frames) noexcept;
  int latency_frames() const noexcept { return plan_->latency_frames; }
  const ImplantPlan& plan() const noexcept { return *plan_; }

 private:
  std::shared_ptr<const ImplantPlan> plan_;
  ImplantSoundProcessor sound_processor_;
  ImplantAuralizer auralizer_;
  std::vector<float> ring_;
  std::int64_t clock_ = 0;
};

}  // namespace earshot
