// dsp/fast_math_lanes.hpp: eight lanes of fast_log2 and fast_exp2 give the scalar functions' values,
// across their ranges and clamps (this file is built for the baseline path: no fused multiply-adds,
// so the same steps give the same bits).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/fast_math.hpp"
#include "dsp/fast_math_lanes.hpp"

namespace earshot::test {
namespace {

TEST(FastMathLanes, EightLanesGiveTheScalarFunctionsValues) {
  std::vector<float> x;
  for (float v = 1e-30f; v < 1e30f; v *= 1.37f) x.push_back(v);
  while (x.size() % kFloatLanes != 0) x.push_back(1.0f);
  for (std::size_t i = 0; i < x.size(); i += kFloatLanes) {
    FloatLanes in, out;
    load_lanes(x.data() + i, in);
    fast_log2_lanes(in, out);
    for (int l = 0; l < kFloatLanes; ++l) ASSERT_EQ(out[l], fast_log2(x[i + static_cast<std::size_t>(l)])) << x[i + static_cast<std::size_t>(l)];
  }
  std::vector<float> y;
  for (float v = -200.0f; v < 200.0f; v += 0.173f) y.push_back(v);  // beyond both clamps
  while (y.size() % kFloatLanes != 0) y.push_back(0.0f);
  for (std::size_t i = 0; i < y.size(); i += kFloatLanes) {
    FloatLanes in, out;
    load_lanes(y.data() + i, in);
    fast_exp2_lanes(in, out);
    float back[kFloatLanes];
    store_lanes(out, back);
    for (int l = 0; l < kFloatLanes; ++l) ASSERT_EQ(back[l], fast_exp2(y[i + static_cast<std::size_t>(l)])) << y[i + static_cast<std::size_t>(l)];
  }
}

}  // namespace
}  // namespace earshot::test
