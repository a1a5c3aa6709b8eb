#include "dsp/fir_filter.hpp"

#include <algorithm>

namespace earshot {

void FirFilter::prepare(std::vector<float> taps) {
  // Padded with zeros (on the oldest side) to a multiple of 8 taps, so the dot product runs in
  // eight independent sums: float addition is not associative, so the compiler vectorises only a
  // sum that is written as several.
  const std::size_t padded = (taps.size() + 7) / 8 * 8;
  reversed_taps_.assign(padded - taps.size(), 0.0f);
  reversed_taps_.insert(reversed_taps_.end(), taps.rbegin(), taps.rend());
  history_.assign(2 * reversed_taps_.size(), 0.0f);
  reset();
}

void FirFilter::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  pos_ = 0;
}

void FirFilter::process(const float* in, float* out, int frames) noexcept {
  const int n = taps();
  const float* h = reversed_taps_.data();
  for (int i = 0; i < frames; ++i) {
    // The newest sample goes at pos and pos + n; history_[pos + 1 .. pos + n] is then the last n
    // inputs, oldest first, matching the reversed taps.
    const float x = in[i];
    history_[pos_] = x;
    history_[pos_ + n] = x;
    const float* window = history_.data() + pos_ + 1;
    float acc[8] = {};
    for (int k = 0; k < n; k += 8) {
      for (int j = 0; j < 8; ++j) acc[j] += h[k + j] * window[k + j];
    }
    out[i] = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    pos_ = pos_ + 1 == n ? 0 : pos_ + 1;
  }
}

}  // namespace earshot
