#pragma once
// Transform sizes FFTW computes with its fixed-size codelets alone (it has codelets for the
// primes 2, 3, 5, 7, 11 and 13). A size with a larger prime factor goes to FFTW's generic or
// Rader solvers, and Rader's (for large primes) mallocs a scratch buffer on every execution,
// which no real-time path may do: found with the real-time tests' C allocator trap, 2 allocations
// per transform at 1604 = 4 x 401 points and 8 at 1744 = 16 x 109.
#include <algorithm>
#include <cmath>

namespace earshot {

// True when n >= 1 and every prime factor of n is at most `largest_prime` (one of 2 ... 13).
constexpr bool has_only_small_prime_factors(int n, int largest_prime) {
  if (n < 1) return false;
  for (int p : {2, 3, 5, 7, 11, 13}) {
    if (p > largest_prime) break;
    while (n % p == 0) n /= p;
  }
  return n == 1;
}

// The integer k >= minimum nearest `target` for which k * multiple has no prime factor above 13
// (of two equally near, the smaller).
inline int nearest_thirteen_smooth(double target, int multiple, int minimum) {
  const int start = std::max(minimum, static_cast<int>(std::floor(target)));
  int down = start;
  while (down >= minimum && !has_only_small_prime_factors(down * multiple, 13)) --down;
  int up = start + 1;
  while (!has_only_small_prime_factors(up * multiple, 13)) ++up;
  if (down < minimum) return up;
  return (target - down <= up - target) ? down : up;
}

}  // namespace earshot
