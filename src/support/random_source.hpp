#pragma once
// Seeded randomness for real-time paths: xorshift64* (Vigna 2016, "An experimental exploration of
// Marsaglia's xorshift generators, scrambled", ACM TOMS 42:30). Same seed, same sequence, on every
// platform; no allocation, no locks.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

namespace earshot {

class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed = 1) noexcept { reseed(seed); }
  // A stream from a seed (nearby seeds give unrelated streams).
  void reseed(std::uint64_t seed) noexcept {
    // Spread the seed's bits (splitmix64 constants) so nearby seeds give unrelated streams; never 0.
    state_ = (seed + 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    state_ ^= state_ >> 31;
    if (state_ == 0) state_ = 0x2545F4914F6CDD1Dull;
    has_spare_ = false;
  }
  // A stream from a generator state as it is (never 0), for callers that derive their own.
  void set_state(std::uint64_t state) noexcept {
    state_ = state != 0 ? state : 0x2545F4914F6CDD1Dull;
    has_spare_ = false;
  }
  std::uint64_t next() noexcept {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  // Uniform in (0, 1).
  double uniform() noexcept { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  // Uniform with unit variance (+-sqrt 3): white noise at a known power without Box-Muller's cost.
  double uniform_unit_variance() noexcept { return (2.0 * uniform() - 1.0) * 1.7320508075688772; }
  // Uniform integer in [0, bound), exactly (no modulo bias), for 1 <= bound <= 2^32: Lemire's
  // multiply-shift with rejection ("Fast random integer generation in an interval", ACM TOMS 29:3,
  // 2019), on the high 32 bits of next(): m = x * bound (64-bit product of 32-bit x); the answer is
  // m >> 32, and x is drawn again while (m mod 2^32) < (2^32 - bound) mod bound.
  std::uint32_t below(std::uint32_t bound) noexcept {
    if (bound <= 1) return 0;
    std::uint64_t m = (next() >> 32) * std::uint64_t{bound};
    auto low = static_cast<std::uint32_t>(m);
    if (low < bound) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
      while (low < threshold) {
        m = (next() >> 32) * std::uint64_t{bound};
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  // The state after `steps` calls of next(), without making them: xorshift's step is linear over
  // GF(2)^64 (Marsaglia 2003), so `steps` of it are one 64 x 64 bit matrix, raised by squaring
  // (some 128 matrix products of 64 x 64 bits).
  void discard(std::uint64_t steps) noexcept {
    using Matrix = std::uint64_t[64];  // column i: the image of bit i
    auto apply = [](const Matrix& m, std::uint64_t v) {
      std::uint64_t r = 0;
      for (int i = 0; i < 64; ++i) r ^= ((v >> i) & 1u) ? m[i] : 0u;
      return r;
    };
    Matrix power, result, t;
    for (int i = 0; i < 64; ++i) {
      std::uint64_t v = std::uint64_t{1} << i;
      v ^= v >> 12;
      v ^= v << 25;
      v ^= v >> 27;
      power[i] = v;
      result[i] = std::uint64_t{1} << i;
    }
    while (steps != 0) {
      if (steps & 1u) {
        for (int i = 0; i < 64; ++i) t[i] = apply(power, result[i]);
        for (int i = 0; i < 64; ++i) result[i] = t[i];
      }
      for (int i = 0; i < 64; ++i) t[i] = apply(power, power[i]);
      for (int i = 0; i < 64; ++i) power[i] = t[i];
      steps >>= 1;
    }
    state_ = apply(result, state_);
  }
  // The state after `count` calls of gaussian(), without making them (each pair of values takes two
  // calls of next()).
  void discard_gaussians(std::uint64_t count) noexcept {
    if (count == 0) return;
    if (has_spare_) {
      has_spare_ = false;
      --count;
    }
    discard(2 * (count / 2));
    if (count % 2 != 0) (void)gaussian();
  }
  // Standard normal (Box-Muller, both values used).
  double gaussian() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform()));
    const double phi = 2.0 * std::numbers::pi * uniform();
    spare_ = r * std::sin(phi);
    has_spare_ = true;
    return r * std::cos(phi);
  }

 private:
  std::uint64_t state_ = 1;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Fisher-Yates shuffle (Durstenfeld's in-place form, Knuth TAOCP vol. 2, 3.4.2 algorithm P): for i
// from size-1 down to 1, swap element i with element random.below(i + 1). The same generator state
// gives the same permutation on every platform (std::shuffle's is the standard library's choice).
// At most 2^32 elements.
template <typename T>
void shuffle(std::span<T> items, RandomSource& random) noexcept {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = random.below(static_cast<std::uint32_t>(i));
    using std::swap;
    swap(items[i - 1], items[j]);
  }
}

}  // namespace earshot
