// Kates' gammatone filter bank (metrics/kates_auditory_filterbank): the kernels that run several
// bands at once (two bands' reference and processed filters, or four bands' mean squares, in one
// AVX-512 register) must give, lane by lane, the values of the two-filter kernels they stand in for,
// bit for bit: they do the same arithmetic, and the filters' coefficients come from one copy of the
// design (its cancelling sum 1 - c1 - c2 - c3 - c4, contracted into multiply-adds differently in
// each kernel, once made the gains differ by 1.3e-9). Where the CPU has no AVX-512 the wide kernels
// are the pair kernels themselves.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "metrics/kates_auditory_filterbank.hpp"
#include "support/random_source.hpp"

namespace earshot::test {
namespace {

constexpr double kRateHz = 24000.0;

std::vector<double> noise(std::size_t n, std::uint64_t seed) {
  RandomSource r(seed);
  std::vector<double> x(n);
  for (double& v : x) v = r.gaussian();
  return x;
}

TEST(KatesAuditoryFilterbank, FourBandsMeanSquaresEqualTwoPairsBitForBit) {
  const std::vector<double> x = noise(24001, 3);  // an odd count: the last sample's single step too
  const std::array<KatesGammatone, 4> bands{{{500.0, 1.2}, {1000.0, 1.5}, {2000.0, 2.0}, {4000.0, 1.1}}};
  const std::array<double, 4> four = kates_gammatone_mean_square_two_pairs(x.data(), x.size(), kRateHz, bands);
  const std::array<double, 2> ab = kates_gammatone_mean_square_pair(x.data(), x.size(), kRateHz, bands[0], bands[1]);
  const std::array<double, 2> cd = kates_gammatone_mean_square_pair(x.data(), x.size(), kRateHz, bands[2], bands[3]);
  EXPECT_EQ(four[0], ab[0]);
  EXPECT_EQ(four[1], ab[1]);
  EXPECT_EQ(four[2], cd[0]);
  EXPECT_EQ(four[3], cd[1]);
  // And they are mean squares of envelopes: white noise of unit power through a band of gain 1.
  for (double v : four) EXPECT_GT(v, 0.0);
}

TEST(KatesAuditoryFilterbank, TwoBandPairsEnvelopesEqualTheirPairsBitForBit) {
  const std::size_t n = 24001;
  const std::vector<double> a = noise(n, 4), b = noise(n, 5);
  const KatesGammatonePairBands bands{{700.0, 1400.0}, {1.3, 1.6}, {1.7, 2.1}};
  std::vector<std::vector<double>> together(4, std::vector<double>(n)), apart(4, std::vector<double>(n));
  double* const out[4] = {together[0].data(), together[1].data(), together[2].data(), together[3].data()};
  kates_gammatone_two_band_pairs(a.data(), b.data(), n, kRateHz, bands, out);
  for (std::size_t k = 0; k < 2; ++k) {
    kates_gammatone_band_pair(a.data(), b.data(), n, kRateHz, bands.centre_hz[k], bands.bandwidth_factor_a[k], bands.bandwidth_factor_b[k],
                              apart[2 * k].data(), apart[2 * k + 1].data(), nullptr, nullptr);
  }
  for (std::size_t k = 0; k < 4; ++k) {
    std::size_t differing = 0;
    for (std::size_t i = 0; i < n; ++i) differing += together[k][i] != apart[k][i];
    EXPECT_EQ(differing, 0u) << "envelope " << k;
  }
}

}  // namespace
}  // namespace earshot::test
