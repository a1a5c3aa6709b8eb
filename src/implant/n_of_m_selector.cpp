#include "implant/n_of_m_selector.hpp"

#include <algorithm>
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
  avx2_ = simd_path() == SimdPath::avx2;
}

[[gnu::always_inline]] inline int NOfMSelector::select_lanes(const float* envelope, int* chosen) noexcept {
  if (maxima_ >= bands_) {
    for (int b = 0; b < bands_; ++b) chosen[b] = bands_ - 1 - b;
    return bands_;
  }
  Block* block = blocks_.data();
  const int blocks = static_cast<int>(blocks_.size());
  const float below_all = -std::numeric_limits<float>::infinity();
  for (int j = 0; j < blocks; ++j) {
    const int base = j * kLanes;
    if (base + kLanes <= bands_) {
      block[j].envelope = *reinterpret_cast<const FloatsAt*>(envelope + base);
    } else {
      // Lane by lane (a fixed count the compiler unrolls), not a copy of the remaining bands.
      Floats e = Floats{} + below_all;
      for (int lane = 0; lane < kLanes; ++lane) e[lane] = base + lane < bands_ ? envelope[base + lane] : below_all;
      block[j].envelope = e;
    }
  }
  // For each block of eight bands b, one compare per band a: does a rank above b? The counts
  // build up lane by lane (no horizontal sums), in a register for the whole block. Band a ranks
  // above b when e_a > e_b, or e_a == e_b and a < b: for the bands a before the block (a < b in
  // every lane) that is e_a >= e_b, for those after it e_a > e_b (NaN: neither, as before); only
  // the block's own bands need the tie rule lane by lane.
  Ints lane_index;
  for (int lane = 0; lane < kLanes; ++lane) lane_index[lane] = lane;
  for (int j = 0; j < blocks; ++j) {
    const Floats eb = block[j].envelope;
    const int base = j * kLanes, end = std::min(bands_, base + kLanes);
    Ints above = {};
    // -1 in each lane b that a ranks above (a comparison's true), 0 elsewhere.
    for (int a = 0; a < base; ++a) above -= (envelope[a] - Floats{}) >= eb;
    for (int a = base; a < end; ++a) {
      const Floats ea = envelope[a] - Floats{};  // in every lane (x - (+0) is x, -0 included)
      above -= (ea > eb) | ((ea == eb) & ((Ints{} + (a - base)) < lane_index));
    }
    for (int a = end; a < bands_; ++a) above -= (envelope[a] - Floats{}) > eb;
    block[j].above = above;
  }
  int count = 0;
  const int maxima = maxima_;  // in a register: the stores to chosen might alias the member
  for (int j = blocks - 1; j >= 0; --j) {
    const Ints above = block[j].above;
    for (int lane = std::min(bands_ - j * kLanes, kLanes) - 1; lane >= 0; --lane) {
      chosen[count] = j * kLanes + lane;
      count += above[lane] < maxima ? 1 : 0;
    }
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
