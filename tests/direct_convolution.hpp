#pragma once
// The convolvers' tests' shared reference (tests/block_convolver_test.cpp,
// tests/partitioned_convolver_test.cpp): seeded noise, filters with decaying random taps, and the
// direct convolution in double that every fast convolution is held to.
#include <cmath>
#include <cstdint>
#include <vector>

#include "support/random_source.hpp"

namespace earshot::test {

inline std::vector<float> noise(std::size_t n, std::uint64_t seed) {
  RandomSource rng(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(rng.uniform_unit_variance());
  return x;
}

// Filters of these lengths, with decaying random taps (as a windowed design's are smaller at the ends).
inline std::vector<std::vector<float>> filters_of(const std::vector<int>& lengths, std::uint64_t seed) {
  std::vector<std::vector<float>> filters;
  for (int length : lengths) {
    std::vector<float> h = noise(static_cast<std::size_t>(length), seed++);
    for (int n = 0; n < length; ++n) h[static_cast<std::size_t>(n)] *= static_cast<float>(std::exp(-3.0 * n / length));
    filters.push_back(std::move(h));
  }
  return filters;
}

// sum_k h[k] x[n - k] in double: the reference.
inline std::vector<double> direct_convolution(const std::vector<float>& h, const std::vector<float>& x) {
  std::vector<double> y(x.size(), 0.0);
  for (std::size_t n = 0; n < x.size(); ++n) {
    for (std::size_t k = 0; k < h.size() && k <= n; ++k) y[n] += double(h[k]) * x[n - k];
  }
  return y;
}

}  // namespace earshot::test
