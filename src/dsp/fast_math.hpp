#pragma once
// Base-2 logarithm and exponential in float for the hot per-bin loops (excitation levels, place of
// each component, recruitment gains): branch-free, no table, no libm call, so that a loop of them
// vectorises (SSE2, and AVX2 in the run-time selected path, dsp/simd_path.hpp). Both are plain
// inline functions: the same bits on every path.
//
// Accuracy (tests/fast_math_test.cpp checks it against libm in double over the whole range used):
//   fast_log2(x), x a positive normal float (1.2e-38 ... 3.4e38): |error| <= 2e-7 (absolute, in
//     log2 units) for x in [1, 2), and <= 4e-6 over 1e-30 ... 1e30, where the result's own float
//     rounding dominates (1.2e-5 dB on a 10 log10 scale). The mantissa is taken in [sqrt(1/2), sqrt(2)) and
//     log(m) = 2 atanh(t), t = (m - 1)/(m + 1), |t| <= 0.1716, by its series to t^9 (truncation
//     2 t^11 / 11 < 1e-9); what is left is float rounding.
//   fast_exp2(y), y in [-126, 127]: relative error <= 3e-7 (2.6e-6 dB); through a dB value in float
//     (fast_db_to_amplitude, 0 ... -200 dB) <= 1e-6, the argument's own rounding (9e-6 dB). 2^y = 2^n 2^f, n = floor(y),
//     2^f = sqrt(2) e^u, u = (f - 1/2) ln 2 in [-0.347, 0.347], by its Taylor series to u^7
//     (truncation u^8 / 8! < 5e-9). y outside the range is clamped to it (2^-126 is -759 dB).
#include <bit>
#include <cstdint>

namespace earshot {

[[gnu::always_inline]] inline float fast_log2(float x) noexcept {
  const std::int32_t bits = std::bit_cast<std::int32_t>(x);
  // Exponent such that the mantissa lands in [sqrt(1/2), sqrt(2)): 0x3f3504f3 is sqrt(1/2)'s bits.
  const std::int32_t exponent = (bits - 0x3f3504f3) >> 23;
  const float m = std::bit_cast<float>(bits - static_cast<std::int32_t>(static_cast<std::uint32_t>(exponent) << 23));
  const float t = (m - 1.0f) / (m + 1.0f);
  const float t2 = t * t;
  // 2 atanh(t) / ln 2 = (2 / ln 2) (t + t^3/3 + t^5/5 + t^7/7 + t^9/9)
  constexpr float c1 = 2.8853900817779268f, c3 = c1 / 3.0f, c5 = c1 / 5.0f, c7 = c1 / 7.0f, c9 = c1 / 9.0f;
  return static_cast<float>(exponent) + t * (c1 + t2 * (c3 + t2 * (c5 + t2 * (c7 + t2 * c9))));
}

[[gnu::always_inline]] inline float fast_exp2(float y) noexcept {
  y = y < -126.0f ? -126.0f : (y > 127.0f ? 127.0f : y);
  // floor(y) by truncating a positive number (a float-to-int conversion that vectorises in SSE2).
  const std::int32_t n = static_cast<std::int32_t>(y + 127.0f) - 127;
  const float u = (y - static_cast<float>(n) - 0.5f) * 0.69314718055994531f;
  // e^u to u^7, times sqrt(2)
  float e = 1.0f + u * (1.0f + u * (0.5f + u * (1.0f / 6.0f + u * (1.0f / 24.0f + u * (1.0f / 120.0f + u * (1.0f / 720.0f + u * (1.0f / 5040.0f)))))));
  e *= 1.4142135623730951f;
  // 2^n by building the float's exponent: n + 127 is in [1, 254] for y in [-126, 127].
  const std::int32_t scale_bits = (n + 127) << 23;
  return e * std::bit_cast<float>(scale_bits);
}

// 10 log10(x) and 10^(x / 10), 20 log10 and 10^(x / 20), on the same kernels.
inline constexpr float kDbPerLog2Power = 3.0102999566398120f;  // 10 log10(2)
inline constexpr float kLog2PerDbAmplitude = 0.16609640474436813f;  // log2(10) / 20
[[gnu::always_inline]] inline float fast_power_to_db(float power) noexcept { return kDbPerLog2Power * fast_log2(power); }
[[gnu::always_inline]] inline float fast_db_to_amplitude(float db) noexcept { return fast_exp2(db * kLog2PerDbAmplitude); }

}  // namespace earshot
