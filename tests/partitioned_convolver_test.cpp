// Partitioned FFT convolution (dsp/partitioned_convolver.hpp): the direct convolution's output, to
// float rounding, with no latency added, for filters shorter and longer than a partition and
// partition sizes from 1 up; the same samples for any block size and in place; both SIMD copies.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/partitioned_convolver.hpp"
#include "dsp/simd_path.hpp"
#include "direct_convolution.hpp"

namespace earshot::test {
namespace {

std::vector<float> run(PartitionedConvolver& c, const std::vector<float>& x, int block) {
  const auto stride = static_cast<std::size_t>(c.filters());
  std::vector<float> out(x.size() * stride);
  for (std::size_t done = 0; done < x.size();) {
    const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), x.size() - done));
    c.process(x.data() + done, out.data() + done * stride, static_cast<int>(stride), n);
    done += static_cast<std::size_t>(n);
  }
  return out;
}

// Every filter's output equals direct convolution, frame for frame (no delay), to within float
// rounding of the sum: 1e-6 of sum |h| max |x| (the largest the sum can be).
TEST(PartitionedConvolver, EqualsDirectConvolutionWithNoLatency) {
  const std::vector<float> x = noise(3000, 7);
  double peak = 0.0;
  for (float v : x) peak = std::max(peak, double(std::abs(v)));
  for (int b : {1, 4, 16, 64}) {
    const auto filters = filters_of({1, 5, b, b + 1, 3 * b + 7, 705}, 100);
    PartitionedConvolver c;
    c.prepare(filters, b);
    ASSERT_EQ(c.filters(), 6);
    const std::vector<float> out = run(c, x, 3000);
    for (std::size_t f = 0; f < filters.size(); ++f) {
      const std::vector<double> y = direct_convolution(filters[f], x);
      double l1 = 0.0;
      for (float v : filters[f]) l1 += std::abs(v);
      double worst = 0.0;
      for (std::size_t n = 0; n < x.size(); ++n) worst = std::max(worst, std::abs(out[n * filters.size() + f] - y[n]));
      EXPECT_LT(worst, 1e-6 * l1 * peak) << "partition " << b << ", filter of " << filters[f].size() << " taps";
    }
  }
}

// Nine, ten and eighteen filters (a compressor's bands, in-phase and quadrature), one or two past
// the last whole vector of the head: every filter equals direct convolution, written to rows of
// just the filters and to rows of whole vectors (padding zeros), on both SIMD paths.
TEST(PartitionedConvolver, FiltersPastTheLastWholeVectorEqualDirectConvolution) {
  const std::vector<float> x = noise(2000, 17);
  double peak = 0.0;
  for (float v : x) peak = std::max(peak, double(std::abs(v)));
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    if (!simd_path_available(path)) continue;
    for (int count : {9, 10, 18}) {
      const auto filters = filters_of(std::vector<int>(static_cast<std::size_t>(count), 705), 40);
      force_simd_path(path);
      PartitionedConvolver c;
      c.prepare(filters, 64);
      force_simd_path(std::nullopt);
      for (int stride : {c.filters(), c.lanes()}) {
        c.reset();
        std::vector<float> out(x.size() * static_cast<std::size_t>(stride), -1.0f);
        for (std::size_t done = 0; done < x.size(); done += 100) {
          c.process(x.data() + done, out.data() + done * static_cast<std::size_t>(stride), stride, 100);
        }
        for (std::size_t f = 0; f < filters.size(); ++f) {
          const std::vector<double> y = direct_convolution(filters[f], x);
          double l1 = 0.0;
          for (float v : filters[f]) l1 += std::abs(v);
          double worst = 0.0;
          for (std::size_t n = 0; n < x.size(); ++n) worst = std::max(worst, std::abs(out[n * static_cast<std::size_t>(stride) + f] - y[n]));
          EXPECT_LT(worst, 1e-6 * l1 * peak) << count << " filters, filter " << f << ", stride " << stride;
        }
        for (std::size_t n = 0; n < x.size() && stride == c.lanes(); ++n) {
          for (int f = c.filters(); f < c.lanes(); ++f) ASSERT_EQ(out[n * static_cast<std::size_t>(stride) + static_cast<std::size_t>(f)], 0.0f) << "padding";
        }
      }
    }
  }
}

// An impulse comes out as the taps themselves, from the impulse's frame on: no latency added.
TEST(PartitionedConvolver, AnImpulseGivesTheTaps) {
  const auto filters = filters_of({705, 200}, 3);
  PartitionedConvolver c;
  c.prepare(filters, convolution_partition_frames(705));
  EXPECT_EQ(c.partition_frames(), 64);
  std::vector<float> x(1000, 0.0f);
  x[100] = 1.0f;
  const std::vector<float> out = run(c, x, 1000);
  for (std::size_t f = 0; f < 2; ++f) {
    for (std::size_t n = 0; n < x.size(); ++n) {
      const double want = n >= 100 && n - 100 < filters[f].size() ? filters[f][n - 100] : 0.0;
      EXPECT_NEAR(out[n * 2 + f], want, 1e-6) << f << " frame " << n;
    }
  }
}

// Any block size gives the same samples, bit for bit; with one filter, in place does too; reset()
// starts over.
TEST(PartitionedConvolver, AnyBlockSizeAndInPlaceGiveTheSameSamples) {
  const std::vector<float> x = noise(20000, 11);
  const auto filters = filters_of({705, 705, 353}, 5);
  PartitionedConvolver c;
  c.prepare(filters, 64);
  const std::vector<float> whole = run(c, x, 20000);
  for (int block : {1, 7, 63, 64, 65, 1000, 8192}) {
    c.reset();
    ASSERT_EQ(run(c, x, block), whole) << "block " << block;
  }
  PartitionedConvolver one;
  one.prepare({filters[0]}, 64);
  const std::vector<float> alone = run(one, x, 20000);
  for (int block : {1, 100, 8192}) {
    one.reset();
    std::vector<float> buf = x;
    for (std::size_t done = 0; done < buf.size();) {
      const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), buf.size() - done));
      one.process(buf.data() + done, buf.data() + done, 1, n);
      done += static_cast<std::size_t>(n);
    }
    ASSERT_EQ(buf, alone) << "in place, block " << block;
  }
  // Alone, the filter's head runs as a dot product: the same sums in another order.
  for (std::size_t n = 0; n < x.size(); ++n) ASSERT_NEAR(alone[n], whole[n * 3], 1e-5) << n;
}

// The AVX2 + FMA copy gives the baseline's output to float rounding.
TEST(PartitionedConvolver, SimdPathsAgree) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2 + FMA";
  const std::vector<float> x = noise(5000, 13);
  const auto filters = filters_of({705, 705, 705}, 9);
  std::vector<float> out[2];
  int i = 0;
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    force_simd_path(path);
    PartitionedConvolver c;
    c.prepare(filters, 64);
    force_simd_path(std::nullopt);
    out[i++] = run(c, x, 5000);
  }
  double worst = 0.0, peak = 0.0;
  for (std::size_t n = 0; n < out[0].size(); ++n) {
    worst = std::max(worst, double(std::abs(out[0][n] - out[1][n])));
    peak = std::max(peak, double(std::abs(out[0][n])));
  }
  EXPECT_GT(peak, 0.5);
  EXPECT_LT(worst, 1e-5 * peak);
}

}  // namespace
}  // namespace earshot::test
