#include "implant/n_of_m_selector.hpp"

#include <limits>

#include "dsp/simd_path.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_N_OF_M_AVX2 1
#endif

namespace earshot {

void NOfMSelector::prepare(int bands, int maxima) {
  bands_ = bands;
  maxima_ = maxima;
  blocks_.assign(static_cast<std::size_t>((bands + kLanes - 1) / kLanes), Block{});
  const float below_all = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < blocks_.size(); ++j) {
    blocks_[j].envelope = Floats{} + below_all;
    for (int lane = 0; lane < kLanes; ++lane) blocks_[j].index[lane] = static_cast<int>(j) * kLanes + lane;
  }
  avx2_ = simd_path() == SimdPath::avx2;
}

[[gnu::always_inline]] inline int NOfMSelector::select_lanes(const float* envelope, int* chosen) noexcept {
  if (maxima_ >= bands_) {
    for (int b = 0; b < bands_; ++b) chosen[b] = bands_ - 1 - b;
    return bands_;
  }
  // For each block of eight bands b, one compare per band a: does a rank above b? The counts
  // build up lane by lane (no horizontal sums), in a register for the whole block.
  Block* block = blocks_.data();
  const int blocks = static_cast<int>(blocks_.size());
  for (int b = 0; b < bands_; ++b) block[b / kLanes].envelope[b % kLanes] = envelope[b];
  for (int j = 0; j < blocks; ++j) {
    const Floats eb = block[j].envelope;
    const Ints ib = block[j].index;
    Ints above = {};
    for (int a = 0; a < bands_; ++a) {
      const Floats ea = Floats{} + envelope[a];
      const Ints ia = Ints{} + a;
      // -1 in each lane b that a ranks above (a comparison's true), 0 elsewhere.
      above -= (ea > eb) | ((ea == eb) & (ia < ib));
    }
    block[j].above = above;
  }
  int count = 0;
  for (int b = bands_ - 1; b >= 0; --b) {
    chosen[count] = b;
    count += block[b / kLanes].above[b % kLanes] < maxima_ ? 1 : 0;
  }
  return count;
}

int NOfMSelector::select_baseline(const float* envelope, int* chosen) noexcept { return select_lanes(envelope, chosen); }

#if defined(EARSHOT_N_OF_M_AVX2)
[[gnu::target("avx2")]] int NOfMSelector::select_avx2(const float* envelope, int* chosen) noexcept { return select_lanes(envelope, chosen); }
#else
int NOfMSelector::select_avx2(const float* envelope, int* chosen) noexcept { return select_lanes(envelope, chosen); }
#endif

int NOfMSelector::select(const float* envelope, int* chosen) noexcept {
  return avx2_ ? select_avx2(envelope, chosen) : select_baseline(envelope, chosen);
}

}  // namespace earshot
