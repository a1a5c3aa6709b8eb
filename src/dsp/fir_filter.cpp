#include "dsp/fir_filter.hpp"

#include <algorithm>

#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the loop for AVX2 + FMA (as the
// hearing-loss model does, hearing_loss/hearing_loss_processor.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_FIR_AVX2 1
#endif

namespace earshot {
namespace {
// Sums the dot product keeps apart: four AVX vectors or eight SSE2 vectors.
constexpr int kLanes = 32;
}  // namespace

void FirFilter::prepare(std::vector<float> taps) {
  avx2_ = simd_path() == SimdPath::avx2;
  // Padded with zeros (on the oldest side) to a multiple of kLanes taps, so the dot product runs
  // in kLanes independent sums: float addition is not associative, so the compiler vectorises only
  // a sum written as several, and several vectors of sums keep the adder's pipeline full (one
  // vector of sums waits out each addition's latency).
  const auto padded = static_cast<std::size_t>(round_up(static_cast<int>(taps.size()), kLanes));
  reversed_taps_.assign(padded - taps.size(), 0.0f);
  reversed_taps_.insert(reversed_taps_.end(), taps.rbegin(), taps.rend());
  history_.assign(2 * reversed_taps_.size(), 0.0f);
  reset();
}

void FirFilter::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  pos_ = 0;
}

namespace {

// One output sample per input: the newest sample goes at pos and pos + n of the mirrored history;
// history[pos + 1 .. pos + n] is then the last n inputs, oldest first, matching the reversed taps.
[[gnu::always_inline]] inline void fir_block(const float* h, float* history, int n, int& pos, const float* in, float* out,
                                             int frames) noexcept {
  for (int i = 0; i < frames; ++i) {
    const float x = in[i];
    history[pos] = x;
    history[pos + n] = x;
    const float* window = history + pos + 1;
    float acc[kLanes] = {};
    for (int k = 0; k < n; k += kLanes) {
      for (int j = 0; j < kLanes; ++j) acc[j] += h[k + j] * window[k + j];
    }
    for (int width = kLanes / 2; width > 0; width /= 2) {
      for (int j = 0; j < width; ++j) acc[j] += acc[j + width];
    }
    out[i] = acc[0];
    pos = pos + 1 == n ? 0 : pos + 1;
  }
}

}  // namespace

void FirFilter::process(const float* in, float* out, int frames) noexcept {
#if defined(EARSHOT_FIR_AVX2)
  if (avx2_) {
    process_avx2(in, out, frames);
    return;
  }
#endif
  process_baseline(in, out, frames);
}

void FirFilter::process_baseline(const float* in, float* out, int frames) noexcept {
  fir_block(reversed_taps_.data(), history_.data(), taps(), pos_, in, out, frames);
}

#if defined(EARSHOT_FIR_AVX2)
[[gnu::target("avx2,fma")]] void FirFilter::process_avx2(const float* in, float* out, int frames) noexcept {
  fir_block(reversed_taps_.data(), history_.data(), taps(), pos_, in, out, frames);
}
#else
void FirFilter::process_avx2(const float* in, float* out, int frames) noexcept { process_baseline(in, out, frames); }
#endif

}  // namespace earshot
