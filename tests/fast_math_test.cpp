#include <gtest/gtest.h>

#include <cmath>

#include "dsp/fast_math.hpp"

namespace earshot {
namespace {

// fast_log2 against libm in double over every positive normal float the model can meet: powers
// from the 1e-30 floor up to 1e30 (a 300 dB span, far past 160 dB SPL), and 4.37 f / 1000 + 1 for
// f up to 96 kHz (the ERB-number of a place). Every float of [1, 2) is checked (the mantissa
// polynomial sees only that), then a log-spaced sweep over the whole span.
TEST(FastMath, Log2IsWithinFourMillionthsOfLibmOverTheRangeUsed) {
  double worst_mantissa = 0.0;
  for (float x = 1.0f; x < 2.0f; x = std::nextafter(x, 3.0f)) {
    worst_mantissa = std::max(worst_mantissa, std::abs(double(fast_log2(x)) - std::log2(double(x))));
  }
  EXPECT_LE(worst_mantissa, 2e-7);
  double worst = worst_mantissa;
  for (double e = -30.0; e <= 30.0; e += 1e-4) {
    const float x = static_cast<float>(std::pow(10.0, e));
    worst = std::max(worst, std::abs(double(fast_log2(x)) - std::log2(double(x))));
  }
  // Over the span the result's own float rounding dominates (half an ulp of 100 is 3.8e-6).
  EXPECT_LE(worst, 4e-6);
  // In dB of power: 1.2e-5 dB at worst.
  EXPECT_LE(worst * 10.0 * std::log10(2.0), 1.2e-5);
}

// fast_exp2 against libm over [-126, 127]: recruitment gains span 0 ... -200 dB (-33 in log2), and
// the whole float exponent range beyond them; relative error, every 1e-4.
TEST(FastMath, Exp2IsWithinThreeTenMillionthsRelativeOfLibmOverItsRange) {
  double worst = 0.0;
  for (double y = -126.0; y <= 127.0; y += 1e-4) {
    const double expected = std::exp2(double(static_cast<float>(y)));
    worst = std::max(worst, std::abs(double(fast_exp2(static_cast<float>(y))) / expected - 1.0));
  }
  EXPECT_LE(worst, 3e-7);
  // Below the range: clamped, never zero, never a denormal or a NaN.
  EXPECT_FLOAT_EQ(fast_exp2(-1000.0f), std::exp2(-126.0f));
  EXPECT_FLOAT_EQ(fast_exp2(1000.0f), std::exp2(127.0f));
}

// The dB helpers, with a float argument's own rounding (a gain of -200 dB is -33.2 in log2, whose
// float ulp is 4e-6): amplitude within 1e-6 relative (9e-6 dB), power level within 2e-5 dB.
TEST(FastMath, DecibelHelpersMatchTheirDefinitions) {
  for (float db = -200.0f; db <= 160.0f; db += 0.37f) {
    EXPECT_NEAR(fast_db_to_amplitude(db), std::pow(10.0, db / 20.0), 1e-6 * std::pow(10.0, db / 20.0));
    const float power = static_cast<float>(std::pow(10.0, db / 10.0));
    EXPECT_NEAR(fast_power_to_db(power), 10.0 * std::log10(double(power)), 2e-5);
  }
}

}  // namespace
}  // namespace earshot
