#pragma once
// n-of-m selection for the sound processor: which n band envelopes of a frame are the largest,
// listed basal first (the order the pulses are delivered in). Band a ranks above band b when its
// envelope is larger, or equal and a < b (ties go to the more apical band): a strict total order,
// so the chosen set is exactly the bands with fewer than n bands above them.
//
// Why counting: a selection algorithm (std::nth_element) compares data-dependently and its branches
// mispredict on every frame of speech; counting, for each band, the bands above it with vector
// compares has no data-dependent branch. The counts are whole numbers, so the choice is the one
// nth_element makes. Eight bands a vector (GCC/Clang vector extensions), compiled for the target's
// baseline (SSE2) and for AVX2, chosen at prepare (dsp/simd_path.hpp): the same integer results.
// prepare() allocates; select() never allocates, locks or throws.
#include <vector>

namespace earshot {

class NOfMSelector {
 public:
  void prepare(int bands, int maxima);
  // Writes the chosen bands, basal (highest index) first, to `chosen` (room for `bands`); returns
  // how many there are (min(n, m)). `envelope` holds the m band envelopes.
  int select(const float* envelope, int* chosen) noexcept;

 private:
  static constexpr int kLanes = 8;
  typedef float Floats __attribute__((vector_size(kLanes * sizeof(float))));
  typedef int Ints __attribute__((vector_size(kLanes * sizeof(int))));
  // Eight floats at any float's address (unaligned; may alias the floats).
  typedef float FloatsAt __attribute__((vector_size(kLanes * sizeof(float)), aligned(alignof(float)), may_alias));
  int select_lanes(const float* envelope, int* chosen) noexcept;
  int select_baseline(const float* envelope, int* chosen) noexcept;
  int select_avx2(const float* envelope, int* chosen) noexcept;

  int bands_ = 0, maxima_ = 0;
  // Eight bands: their envelopes (the padding -infinity: never above anything) and how many bands
  // rank above each. 32-byte aligned: the baseline target aligns an
  // eight-float vector to 16 bytes only, but the AVX2 copy loads whole 32-byte registers.
  struct alignas(32) Block {
    Floats envelope;
    Ints above;
  };
  std::vector<Block> blocks_;
  bool avx2_ = false;
};

}  // namespace earshot
