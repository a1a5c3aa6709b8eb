#pragma once
// exp, expm1, log and log1p in double precision on four lanes at once, for per-pulse maps that
// call them a few times per stimulation frame (the implant's loudness growth function and its
// inverse: libm's scalar calls were a sixth of an implant render). Written with GCC's and clang's
// vector extension, branch-free (selects), so the baseline target runs them as SSE2 pairs.
//
// Accuracy (tests/exp_log_lanes_test.cpp): within 4 units in the last place of libm's values on
// the ranges the callers use (normal positive arguments for log; |x| < 700 for exp). The methods
// are the classic ones of fdlibm (Sun, 1993) and Tang (ACM TOMS 15(2), 1989):
//   exp:   x = n ln2 + r, |r| <= ln2 / 2 (ln2 in two parts, Cody & Waite), e^r by its Taylor
//          series to r^13 (truncation below 1e-17), times 2^n put into the exponent;
//   expm1: for |x| < 1/2 its Taylor series to x^16, else exp(x) - 1 (at most 2.5 x the error);
//   log:   x = 2^k m, m in [sqrt(1/2), sqrt 2), f = m - 1, s = f / (2 + f),
//          log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R the atanh series to s^22 (fdlibm's form);
//   log1p: u = 1 + x rounded, log1p(x) = log(u) x / (u - 1) (u != 1), else x (Goldberg, "What
//          every computer scientist should know about floating-point arithmetic", 1991, thm. 4).
// Contractions into fused multiply-adds change the last bits only (this header is compiled for the
// baseline target, where there are none).
#include <cstdint>

namespace earshot {

inline constexpr int kDoubleLanes = 4;
typedef double DoubleLanes __attribute__((vector_size(kDoubleLanes * sizeof(double))));
typedef std::int64_t Int64Lanes __attribute__((vector_size(kDoubleLanes * sizeof(std::int64_t))));
// Four doubles read from or written to any double's address (unaligned; may alias the doubles).
typedef double DoubleLanesAt __attribute__((vector_size(kDoubleLanes * sizeof(double)), aligned(alignof(double)), may_alias));

[[gnu::always_inline]] inline void load_lanes(const double* p, DoubleLanes& v) noexcept { v = *reinterpret_cast<const DoubleLanesAt*>(p); }
[[gnu::always_inline]] inline void store_lanes(const DoubleLanes& v, double* p) noexcept { *reinterpret_cast<DoubleLanesAt*>(p) = v; }

namespace exp_log_detail {
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm: ln 2's leading 32 bits
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;  // and the rest
inline constexpr double kShifter = 0x1.8p52;                   // x + 1.5 2^52: x rounded, in the low bits
}  // namespace exp_log_detail

// e^x, lane by lane, for |x| < 700.
[[gnu::always_inline]] inline void exp_lanes(const DoubleLanes& x, DoubleLanes& result) noexcept {
  using namespace exp_log_detail;
  const DoubleLanes shifted = x * 1.44269504088896338700 + kShifter;  // n = round(x / ln 2)
  const DoubleLanes n = shifted - kShifter;
  const DoubleLanes r = (x - n * kLn2Hi) - n * kLn2Lo;
  DoubleLanes p = DoubleLanes{} + 1.0 / 6227020800.0;  // 1/13!
  p = 1.0 / 479001600.0 + r * p;
  p = 1.0 / 39916800.0 + r * p;
  p = 1.0 / 3628800.0 + r * p;
  p = 1.0 / 362880.0 + r * p;
  p = 1.0 / 40320.0 + r * p;
  p = 1.0 / 5040.0 + r * p;
  p = 1.0 / 720.0 + r * p;
  p = 1.0 / 120.0 + r * p;
  p = 1.0 / 24.0 + r * p;
  p = 1.0 / 6.0 + r * p;
  p = 0.5 + r * p;
  p = 1.0 + r * p;
  p = 1.0 + r * p;
  const Int64Lanes k = __builtin_bit_cast(Int64Lanes, shifted) - __builtin_bit_cast(std::int64_t, kShifter);
  result = p * __builtin_bit_cast(DoubleLanes, (k + 1023) << 52);
}

// e^x - 1, lane by lane, for |x| < 700.
[[gnu::always_inline]] inline void expm1_lanes(const DoubleLanes& x, DoubleLanes& result) noexcept {
  DoubleLanes e;
  exp_lanes(x, e);
  DoubleLanes p = DoubleLanes{} + 1.0 / 20922789888000.0;  // 1/16!
  p = 1.0 / 1307674368000.0 + x * p;
  p = 1.0 / 87178291200.0 + x * p;
  p = 1.0 / 6227020800.0 + x * p;
  p = 1.0 / 479001600.0 + x * p;
  p = 1.0 / 39916800.0 + x * p;
  p = 1.0 / 3628800.0 + x * p;
  p = 1.0 / 362880.0 + x * p;
  p = 1.0 / 40320.0 + x * p;
  p = 1.0 / 5040.0 + x * p;
  p = 1.0 / 720.0 + x * p;
  p = 1.0 / 120.0 + x * p;
  p = 1.0 / 24.0 + x * p;
  p = 1.0 / 6.0 + x * p;
  p = 0.5 + x * p;
  const DoubleLanes small = x + (x * x) * p;
  const DoubleLanes magnitude = x < 0.0 ? -x : x;
  result = magnitude < 0.5 ? small : e - 1.0;
}

// The natural logarithm, lane by lane, for positive normal x.
[[gnu::always_inline]] inline void log_lanes(const DoubleLanes& x, DoubleLanes& result) noexcept {
  using namespace exp_log_detail;
  constexpr std::int64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdLL;  // sqrt(1/2)
  const Int64Lanes bits = __builtin_bit_cast(Int64Lanes, x);
  const Int64Lanes k = (bits - kSqrtHalfBits) >> 52;              // x = 2^k m, m in [sqrt(1/2), sqrt 2)
  const DoubleLanes m = __builtin_bit_cast(DoubleLanes, bits - (k << 52));
  const DoubleLanes dk = __builtin_bit_cast(DoubleLanes, k + __builtin_bit_cast(std::int64_t, kShifter)) - kShifter;
  const DoubleLanes f = m - 1.0;  // exact (Sterbenz)
  const DoubleLanes s = f / (2.0 + f);
  const DoubleLanes z = s * s;
  DoubleLanes r = DoubleLanes{} + 2.0 / 23.0;
  r = 2.0 / 21.0 + z * r;
  r = 2.0 / 19.0 + z * r;
  r = 2.0 / 17.0 + z * r;
  r = 2.0 / 15.0 + z * r;
  r = 2.0 / 13.0 + z * r;
  r = 2.0 / 11.0 + z * r;
  r = 2.0 / 9.0 + z * r;
  r = 2.0 / 7.0 + z * r;
  r = 2.0 / 5.0 + z * r;
  r = 2.0 / 3.0 + z * r;
  r = z * r;
  const DoubleLanes half_f2 = 0.5 * f * f;
  result = dk * kLn2Hi - ((half_f2 - (s * (half_f2 + r) + dk * kLn2Lo)) - f);
}

// log(1 + x), lane by lane, for x > -1 with 1 + x a positive normal number.
[[gnu::always_inline]] inline void log1p_lanes(const DoubleLanes& x, DoubleLanes& result) noexcept {
  const DoubleLanes u = 1.0 + x;
  const DoubleLanes d = u - 1.0;
  DoubleLanes log_u;
  log_lanes(u, log_u);
  const DoubleLanes safe_d = d == 0.0 ? DoubleLanes{} + 1.0 : d;
  result = d == 0.0 ? x : log_u * (x / safe_d);
}

}  // namespace earshot
