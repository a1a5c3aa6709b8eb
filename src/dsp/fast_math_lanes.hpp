#pragma once
// dsp/fast_math.hpp's fast_log2 and fast_exp2 on eight floats at once, written with GCC's and
// clang's vector extension: the same steps lane by lane (the same polynomials, the same clamps, the
// same exponent arithmetic), so a lane gives the scalar function's value (to the rounding a fused
// multiply-add may change on the AVX2 + FMA path; tests/fast_math_lanes_test.cpp compares them).
// For loops the compiler does not vectorise on its own: the scalar functions' clamps are
// branches to GCC 12's vectoriser ("control flow in loop"), here they are selects.
//
// The functions take and give vectors by reference: passing a 32-byte vector by value would change
// the calling convention between the baseline (SSE2) and AVX2 copies of a caller. The lane types
// and loads are dsp/float_lanes.hpp's.
#include <cstdint>

#include "dsp/float_lanes.hpp"

namespace earshot {

// fast_log2, lane by lane (dsp/fast_math.hpp says how and how well).
[[gnu::always_inline]] inline void fast_log2_lanes(const FloatLanes& x, FloatLanes& result) noexcept {
  const IntLanes bits = __builtin_bit_cast(IntLanes, x);
  const IntLanes exponent = (bits - 0x3f3504f3) >> 23;
  const FloatLanes m = __builtin_bit_cast(FloatLanes, bits - __builtin_bit_cast(IntLanes, __builtin_bit_cast(UintLanes, exponent) << 23));
  const FloatLanes t = (m - 1.0f) / (m + 1.0f);
  const FloatLanes t2 = t * t;
  constexpr float c1 = 2.8853900817779268f, c3 = c1 / 3.0f, c5 = c1 / 5.0f, c7 = c1 / 7.0f, c9 = c1 / 9.0f;
  result = __builtin_convertvector(exponent, FloatLanes) + t * (c1 + t2 * (c3 + t2 * (c5 + t2 * (c7 + t2 * c9))));
}

// fast_exp2, lane by lane (dsp/fast_math.hpp).
[[gnu::always_inline]] inline void fast_exp2_lanes(const FloatLanes& y_in, FloatLanes& result) noexcept {
  FloatLanes y = y_in < -126.0f ? FloatLanes{} - 126.0f : y_in;
  y = y > 127.0f ? FloatLanes{} + 127.0f : y;
  const IntLanes n = __builtin_convertvector(y + 127.0f, IntLanes) - 127;
  const FloatLanes u = (y - __builtin_convertvector(n, FloatLanes) - 0.5f) * 0.69314718055994531f;
  FloatLanes e = 1.0f + u * (1.0f + u * (0.5f + u * (1.0f / 6.0f + u * (1.0f / 24.0f + u * (1.0f / 120.0f + u * (1.0f / 720.0f + u * (1.0f / 5040.0f)))))));
  e *= 1.4142135623730951f;
  const IntLanes scale_bits = (n + 127) << 23;
  result = e * __builtin_bit_cast(FloatLanes, scale_bits);
}

}  // namespace earshot
