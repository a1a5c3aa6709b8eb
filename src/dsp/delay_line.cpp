#include "dsp/delay_line.hpp"

#include <algorithm>

namespace earshot {

void DelayLine::prepare(int frames) {
  delay_ = std::max(0, frames);
  line_.assign(static_cast<std::size_t>(delay_) + 1, 0.0f);
  pos_ = 0;
}

void DelayLine::reset() noexcept {
  std::fill(line_.begin(), line_.end(), 0.0f);
  pos_ = 0;
}

void DelayLine::process(float* x, int n) noexcept {
  if (delay_ == 0) return;
  const int size = static_cast<int>(line_.size());
  for (int i = 0; i < n; ++i) {
    line_[pos_] = x[i];
    int read = pos_ - delay_;
    if (read < 0) read += size;
    x[i] = line_[read];
    if (++pos_ == size) pos_ = 0;
  }
}

}  // namespace earshot
