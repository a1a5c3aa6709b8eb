#include "implant/implant_processor.hpp"

#include <algorithm>

namespace earshot {

void ImplantProcessor::prepare(std::shared_ptr<const ImplantPlan> plan) {
  plan_ = std::move(plan);
  sound_processor_.prepare(plan_);
  auralizer_.prepare(plan_);
  ring_.assign(plan_->ring_frames, 0.0f);
  reset();
}

void ImplantProcessor::reset() noexcept {
  sound_processor_.reset();
  auralizer_.reset();
  std::fill(ring_.begin(), ring_.end(), 0.0f);
  clock_ = 0;
}

void ImplantProcessor::process(const float* in, float* out, int frames) noexcept {
  const std::int64_t mask = plan_->ring_frames - 1;
  int done = 0;
  while (done < frames) {
    const int n = std::min(frames - done, sound_processor_.frames_to_next_frame());
    sound_processor_.push(in + done, n);
    // The input is read before the output is written, so in may equal out. The ring's slots are
    // read and cleared in at most two contiguous runs (it wraps at most once: n < ring_frames).
    float* ring = ring_.data();
    for (int i = 0; i < n;) {
      const std::int64_t at = (clock_ + i) & mask;
      const int run = static_cast<int>(std::min<std::int64_t>(n - i, plan_->ring_frames - at));
      std::copy_n(ring + at, run, out + done + i);
      std::fill_n(ring + at, run, 0.0f);
      i += run;
    }
    clock_ += n;
    done += n;
    if (sound_processor_.frames_to_next_frame() == 0) auralizer_.add(sound_processor_.analyse(), ring_.data());
  }
}

}  // namespace earshot
