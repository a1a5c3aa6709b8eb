// dsp/denormals.hpp: under the guard a denormal product and a denormal input read as zero; after
// it, the thread's previous mode is back (nested guards too).
#include <gtest/gtest.h>

#include <limits>

#include "dsp/denormals.hpp"

namespace earshot::test {
namespace {

// Through volatiles, so the compiler cannot fold the arithmetic at build time.
float product(float a, float b) {
  volatile float x = a, y = b;
  return x * y;
}

bool supported() {
#if defined(EARSHOT_DENORMALS_SSE) || defined(EARSHOT_DENORMALS_AARCH64)
  return true;
#else
  return false;
#endif
}

TEST(Denormals, GuardFlushesDenormalsAndRestoresTheMode) {
  if (!supported()) GTEST_SKIP() << "no flush-to-zero control on this CPU: the guard is a no-op";
  const float tiny = 1e-20f;  // tiny * tiny = 1e-40: below FLT_MIN (1.2e-38), a denormal
  ASSERT_FALSE(flushing_denormals()) << "the test expects the default IEEE mode at start";
  EXPECT_GT(product(tiny, tiny), 0.0f) << "without the guard the product is a denormal";
  EXPECT_LT(product(tiny, tiny), std::numeric_limits<float>::min());
  {
    ScopedFlushDenormals guard;
    EXPECT_TRUE(flushing_denormals());
    EXPECT_EQ(product(tiny, tiny), 0.0f) << "a denormal result flushes to zero";
    EXPECT_EQ(product(1e-40f, 1.0f), 0.0f) << "a denormal input reads as zero";
    EXPECT_GT(product(1e-18f, 1e-18f), 0.0f) << "a normal product (1e-36) is untouched";
    {
      ScopedFlushDenormals nested;
      EXPECT_TRUE(flushing_denormals());
    }
    EXPECT_TRUE(flushing_denormals()) << "an inner guard restores the outer guard's mode";
    EXPECT_EQ(product(tiny, tiny), 0.0f);
  }
  EXPECT_FALSE(flushing_denormals()) << "the previous mode is back";
  EXPECT_GT(product(tiny, tiny), 0.0f);
}

}  // namespace
}  // namespace earshot::test
