#pragma once
// A streaming FIR filter (direct convolution), for short filters such as a hearing aid's
// equaliser. The history is kept twice over (a mirrored ring), so every output sample is one
// contiguous dot product that the compiler vectorises, in a second copy for AVX2 + FMA where the
// CPU has them (dsp/simd_path.hpp, read in prepare()). prepare() allocates; process() never does.
#include <vector>

namespace earshot {

class FirFilter {
 public:
  void prepare(std::vector<float> taps);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out
  int taps() const noexcept { return static_cast<int>(reversed_taps_.size()); }

 private:
  void process_baseline(const float* in, float* out, int frames) noexcept;
  void process_avx2(const float* in, float* out, int frames) noexcept;

  bool avx2_ = false;
  std::vector<float> reversed_taps_;  // h[N-1] ... h[0], to run forward over the history
  std::vector<float> history_;        // 2N: the last N inputs, written at pos and pos + N
  int pos_ = 0;
};

}  // namespace earshot
