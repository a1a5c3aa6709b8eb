#pragma once
// Seeded randomness for real-time paths: xorshift64* (Vigna 2016, "An experimental exploration of
// Marsaglia's xorshift generators, scrambled", ACM TOMS 42:30). Same seed, same sequence, on every
// platform; no allocation, no locks.
#include <cmath>
#include <cstdint>
#include <numbers>

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

}  // namespace earshot
