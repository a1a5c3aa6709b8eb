#include "dsp/gaussian_lanes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dsp/exp_log_lanes.hpp"
#include "dsp/simd_path.hpp"

namespace earshot {
namespace {

typedef std::uint64_t Uint64Lanes __attribute__((vector_size(kDoubleLanes * sizeof(std::uint64_t))));

// cos(2 pi t) and sin(2 pi t), lane by lane, for t in [0, 1]: 4t = q + f with q a whole number
// (quarter turns, exact) and |f| <= 1/2 (exact: 4t and q are close), x = f pi/2 in [-pi/4, pi/4],
// sin x and cos x by their Taylor series (to x^17 and x^16: truncation below 1e-19), then moved
// to q's quadrant by swapping them and flipping signs.
[[gnu::always_inline]] inline void cos_sin_turns_lanes(const DoubleLanes& t, DoubleLanes& cos_out, DoubleLanes& sin_out) noexcept {
  constexpr double kShifter = 0x1.8p52;  // y + 1.5 2^52: y rounded to a whole number, in the low bits
  const DoubleLanes quarters = 4.0 * t;
  const DoubleLanes shifted = quarters + kShifter;
  const DoubleLanes q = shifted - kShifter;
  const DoubleLanes x = (quarters - q) * 1.5707963267948966;
  const DoubleLanes z = x * x;
  DoubleLanes s = DoubleLanes{} + 1.0 / 355687428096000.0;  // 1/17!
  s = -1.0 / 1307674368000.0 + z * s;
  s = 1.0 / 6227020800.0 + z * s;
  s = -1.0 / 39916800.0 + z * s;
  s = 1.0 / 362880.0 + z * s;
  s = -1.0 / 5040.0 + z * s;
  s = 1.0 / 120.0 + z * s;
  s = -1.0 / 6.0 + z * s;
  s = x + x * (z * s);
  DoubleLanes c = DoubleLanes{} + 1.0 / 20922789888000.0;  // 1/16!
  c = -1.0 / 87178291200.0 + z * c;
  c = 1.0 / 479001600.0 + z * c;
  c = -1.0 / 3628800.0 + z * c;
  c = 1.0 / 40320.0 + z * c;
  c = -1.0 / 720.0 + z * c;
  c = 1.0 / 24.0 + z * c;
  c = -0.5 + z * c;
  c = 1.0 + z * c;
  // Quadrant q mod 4: (cos, sin) = (c, s), (-s, c), (-c, -s), (s, -c).
  const Uint64Lanes quadrant = __builtin_bit_cast(Uint64Lanes, shifted) - __builtin_bit_cast(std::uint64_t, kShifter);
  const Uint64Lanes odd = quadrant & 1u;
  const DoubleLanes cos_unsigned = odd != 0u ? s : c, sin_unsigned = odd != 0u ? c : s;
  cos_out = __builtin_bit_cast(DoubleLanes, __builtin_bit_cast(Uint64Lanes, cos_unsigned) ^ (((quadrant + 1u) & 2u) << 62));
  sin_out = __builtin_bit_cast(DoubleLanes, __builtin_bit_cast(Uint64Lanes, sin_unsigned) ^ ((quadrant & 2u) << 62));
}

// Box-Muller on `pairs` pairs of uniforms (a multiple of kDoubleLanes): out[2k] = r cos(2 pi u2[k]),
// out[2k + 1] = r sin(2 pi u2[k]), r = sqrt(-2 log u1[k]), as RandomSource::gaussian().
[[gnu::always_inline]] inline void box_muller_kernel(const double* u1, const double* u2, std::size_t pairs, double* out) noexcept {
  for (std::size_t k = 0; k < pairs; k += kDoubleLanes) {
    DoubleLanes a, b, log_a, cos_b, sin_b;
    load_lanes(u1 + k, a);
    load_lanes(u2 + k, b);
    log_lanes(a, log_a);
    DoubleLanes r = -2.0 * log_a;
    for (int j = 0; j < kDoubleLanes; ++j) r[j] = std::sqrt(r[j] > 0.0 ? r[j] : 0.0);
    cos_sin_turns_lanes(b, cos_b, sin_b);
    const DoubleLanes first = r * cos_b, second = r * sin_b;
    store_lanes(__builtin_shufflevector(first, second, 0, 4, 1, 5), out + 2 * k);
    store_lanes(__builtin_shufflevector(first, second, 2, 6, 3, 7), out + 2 * k + kDoubleLanes);
  }
}
void box_muller_baseline(const double* u1, const double* u2, std::size_t pairs, double* out) noexcept {
  box_muller_kernel(u1, u2, pairs, out);
}
[[gnu::target("avx2,fma")]] void box_muller_avx2(const double* u1, const double* u2, std::size_t pairs, double* out) noexcept {
  box_muller_kernel(u1, u2, pairs, out);
}

}  // namespace

void draw_gaussians(RandomSource& random, double* out, std::size_t count) noexcept {
  if (count == 0) return;
  // A spare value left by an earlier call comes first. (Whether there is one: a copy's gaussian()
  // draws no uniforms when it has one.)
  RandomSource probe = random, untouched = random;
  (void)probe.gaussian();
  if (probe.next() == untouched.next()) {
    *out++ = random.gaussian();
    --count;
  }
  auto* run = simd_path() == SimdPath::avx2 ? box_muller_avx2 : box_muller_baseline;
  constexpr std::size_t kChunkPairs = 256;
  alignas(32) double u1[kChunkPairs], u2[kChunkPairs];
  while (count >= 2 * kDoubleLanes) {
    const std::size_t pairs = std::min(kChunkPairs, count / 2 / kDoubleLanes * kDoubleLanes);
    for (std::size_t k = 0; k < pairs; ++k) {  // u1 before u2, as gaussian() draws them
      u1[k] = random.uniform();
      u2[k] = random.uniform();
    }
    run(u1, u2, pairs, out);
    out += 2 * pairs;
    count -= 2 * pairs;
  }
  for (std::size_t i = 0; i < count; ++i) out[i] = random.gaussian();  // (the last may leave a spare)
}

}  // namespace earshot
