#pragma once
// A fixed delay of whole frames, in place: pads a faster path to a slower one's latency so every
// path of the engine and of a scene lines up. prepare() allocates; process() never does.
#include <vector>

namespace earshot {

class DelayLine {
 public:
  void prepare(int frames);
  void reset() noexcept;
  void process(float* x, int n) noexcept;
  int delay_frames() const noexcept { return delay_; }

 private:
  std::vector<float> line_;
  int delay_ = 0, pos_ = 0;
};

}  // namespace earshot
