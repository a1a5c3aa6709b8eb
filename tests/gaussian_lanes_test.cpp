// dsp/gaussian_lanes.hpp: draw_gaussians gives gaussian()'s values (within 1e-14, on every SIMD path
// the CPU has) and leaves the generator where as many gaussian() calls leave it, spare value
// included, whatever the count and whether a spare was pending.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/gaussian_lanes.hpp"
#include "dsp/simd_path.hpp"
#include "support/random_source.hpp"

namespace earshot::test {
namespace {

TEST(GaussianLanes, MatchGaussianCallByCallOnEveryPath) {
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    if (!simd_path_available(path)) continue;
    force_simd_path(path);
    for (std::size_t pending : {0u, 1u}) {
      for (std::size_t count : {0u, 1u, 2u, 7u, 8u, 9u, 17u, 513u, 200000u}) {
        RandomSource batch(42), calls(42);
        for (std::size_t i = 0; i < pending; ++i) {
          (void)batch.gaussian();
          (void)calls.gaussian();
        }
        std::vector<double> drawn(count);
        draw_gaussians(batch, drawn.data(), count);
        double worst = 0.0;
        for (std::size_t i = 0; i < count; ++i) worst = std::max(worst, std::abs(drawn[i] - calls.gaussian()));
        EXPECT_LE(worst, 1e-14) << simd_path_name(path) << ", " << count << " values, spare pending " << pending;
        // The same state after: the next values (a spare, then fresh pairs) agree bit for bit.
        for (int i = 0; i < 5; ++i) EXPECT_EQ(batch.gaussian(), calls.gaussian()) << count << " values, then call " << i;
      }
    }
  }
  force_simd_path(std::nullopt);
}

}  // namespace
}  // namespace earshot::test
