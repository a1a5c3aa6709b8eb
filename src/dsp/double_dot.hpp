#pragma once
// A dot product of doubles, four lanes at a time in two partial sums (eight products per step, then
// one four-product step), the lanes added pairwise, then the last count mod 4 products one by one.
// Header-only and always inlined, so that each caller compiles it into its own baseline and
// AVX2 + FMA copies (GCC's target attribute, dsp/simd_path.hpp): the copies differ in the last bits
// only (FMA rounds once).
#include <cstddef>

namespace earshot {

[[gnu::always_inline]] inline double double_dot(const double* a, const double* b, std::size_t count) noexcept {
  typedef double Lanes __attribute__((vector_size(4 * sizeof(double))));
  Lanes s0 = {0, 0, 0, 0}, s1 = s0;
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    Lanes a0, a1, b0, b1;
    __builtin_memcpy(&a0, a + i, sizeof a0);
    __builtin_memcpy(&a1, a + i + 4, sizeof a1);
    __builtin_memcpy(&b0, b + i, sizeof b0);
    __builtin_memcpy(&b1, b + i + 4, sizeof b1);
    s0 += a0 * b0;
    s1 += a1 * b1;
  }
  for (; i + 4 <= count; i += 4) {
    Lanes a0, b0;
    __builtin_memcpy(&a0, a + i, sizeof a0);
    __builtin_memcpy(&b0, b + i, sizeof b0);
    s0 += a0 * b0;
  }
  s0 += s1;
  double s = (s0[0] + s0[1]) + (s0[2] + s0[3]);
  for (; i < count; ++i) s += a[i] * b[i];
  return s;
}

}  // namespace earshot
