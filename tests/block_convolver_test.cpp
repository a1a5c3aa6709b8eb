// Block convolution (dsp/block_convolver.hpp): a whole block's output equals the direct
// convolution's, frame for frame with no delay, to float rounding, for filters shorter and longer
// than a block and block sizes from 1 up (a noise reduction's hop of 176 frames among them); rows
// of whole vectors get zero padding; in place gives the same samples; both SIMD copies.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/block_convolver.hpp"
#include "dsp/simd_path.hpp"
#include "direct_convolution.hpp"

namespace earshot::test {
namespace {

// x's whole blocks through c, rows of `stride`.
std::vector<float> run(BlockConvolver& c, const std::vector<float>& x, int stride) {
  const auto b = static_cast<std::size_t>(c.block_frames());
  const auto s = static_cast<std::size_t>(stride);
  std::vector<float> out(x.size() / b * b * s, -1.0f);
  for (std::size_t done = 0; done + b <= x.size(); done += b) c.process_block(x.data() + done, out.data() + done * s, stride);
  return out;
}

// Every filter's output equals direct convolution frame for frame, to within float rounding of the
// sum: 1e-6 of sum |h| max |x| (the largest the sum can be); the padding of whole-vector rows is 0.
TEST(BlockConvolver, EqualsDirectConvolutionWithNoLatency) {
  const std::vector<float> x = noise(3520, 7);
  double peak = 0.0;
  for (float v : x) peak = std::max(peak, double(std::abs(v)));
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    if (!simd_path_available(path)) continue;
    for (int b : {1, 4, 16, 64, 176}) {
      const auto filters = filters_of({1, 5, b, b + 1, 3 * b + 7, 705, 705, 705, 705}, 100);
      force_simd_path(path);
      BlockConvolver c;
      c.prepare(filters, b);
      force_simd_path(std::nullopt);
      ASSERT_EQ(c.filters(), 9);
      ASSERT_EQ(c.lanes(), 16);
      for (int stride : {c.filters(), c.lanes()}) {
        c.reset();
        const std::vector<float> out = run(c, x, stride);
        const std::size_t frames = out.size() / static_cast<std::size_t>(stride);
        ASSERT_GT(frames, 3000u);
        for (std::size_t f = 0; f < filters.size(); ++f) {
          const std::vector<double> y = direct_convolution(filters[f], x);
          double l1 = 0.0;
          for (float v : filters[f]) l1 += std::abs(v);
          double worst = 0.0;
          for (std::size_t n = 0; n < frames; ++n) worst = std::max(worst, std::abs(out[n * static_cast<std::size_t>(stride) + f] - y[n]));
          EXPECT_LT(worst, 1e-6 * l1 * peak) << "block " << b << ", filter of " << filters[f].size() << " taps, stride " << stride;
        }
        for (std::size_t n = 0; n < frames && stride == c.lanes(); ++n) {
          for (int f = c.filters(); f < c.lanes(); ++f) ASSERT_EQ(out[n * static_cast<std::size_t>(stride) + static_cast<std::size_t>(f)], 0.0f) << "padding";
        }
      }
    }
  }
}

// An impulse comes out as the taps themselves, from the impulse's frame on; with one filter, in
// place gives the same samples; reset() starts over.
TEST(BlockConvolver, AnImpulseGivesTheTapsAndInPlaceAgrees) {
  const auto filters = filters_of({705}, 3);
  BlockConvolver c;
  c.prepare(filters, 176);
  EXPECT_EQ(c.block_frames(), 176);
  std::vector<float> x(176 * 8, 0.0f);
  x[300] = 1.0f;
  const std::vector<float> out = run(c, x, 1);
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double want = n >= 300 && n - 300 < filters[0].size() ? filters[0][n - 300] : 0.0;
    EXPECT_NEAR(out[n], want, 1e-6) << "frame " << n;
  }
  c.reset();
  std::vector<float> buf = x;
  for (std::size_t done = 0; done < buf.size(); done += 176) c.process_block(buf.data() + done, buf.data() + done, 1);
  EXPECT_EQ(buf, out);
}

}  // namespace
}  // namespace earshot::test
