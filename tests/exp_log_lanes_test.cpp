// dsp/exp_log_lanes.hpp: four lanes of exp, expm1, log and log1p stay within 4 units in the last
// place of libm's values over the ranges the implant's loudness growth uses and well beyond them.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "dsp/exp_log_lanes.hpp"

namespace earshot::test {
namespace {

// Units in the last place between two finite doubles of the same sign.
std::int64_t ulps(double a, double b) {
  const std::int64_t d = std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b);
  return d < 0 ? -d : d;
}

void expect_close(const std::vector<double>& x, void (*lanes)(const DoubleLanes&, DoubleLanes&), const std::function<double(double)>& libm) {
  std::vector<double> in = x;
  while (in.size() % kDoubleLanes != 0) in.push_back(x.front());
  for (std::size_t i = 0; i < in.size(); i += kDoubleLanes) {
    DoubleLanes v, y;
    load_lanes(in.data() + i, v);
    lanes(v, y);
    for (int l = 0; l < kDoubleLanes; ++l) {
      const double arg = in[i + static_cast<std::size_t>(l)], want = libm(arg);
      if (want == 0.0) {
        ASSERT_EQ(y[l], 0.0) << arg;
        continue;
      }
      ASSERT_EQ(std::signbit(y[l]), std::signbit(want)) << arg;
      ASSERT_LE(ulps(y[l], want), 4) << arg << ": " << y[l] << " against " << want;
    }
  }
}

TEST(ExpLogLanes, ExpWithinFourUlpsOfLibm) {
  std::vector<double> x;
  for (double v = -700.0; v < 700.0; v += 0.0137) x.push_back(v);
  for (double v = 1e-300; v < 1.0; v *= 1.9) {
    x.push_back(v);
    x.push_back(-v);
  }
  x.push_back(0.0);
  expect_close(x, exp_lanes, [](double v) { return std::exp(v); });
}

TEST(ExpLogLanes, Expm1WithinFourUlpsOfLibmIncludingNearZero) {
  std::vector<double> x;
  for (double v = -40.0; v < 40.0; v += 0.00731) x.push_back(v);
  for (double v = 1e-300; v < 1.0; v *= 1.3) {
    x.push_back(v);
    x.push_back(-v);
  }
  for (double v = 0.49; v < 0.51; v += 1e-4) x.push_back(v);  // the switch between the two methods
  x.push_back(0.0);
  expect_close(x, expm1_lanes, [](double v) { return std::expm1(v); });
}

TEST(ExpLogLanes, LogWithinFourUlpsOfLibm) {
  std::vector<double> x;
  for (double v = 1e-300; v < 1e300; v *= 1.0123) x.push_back(v);
  for (double v = 0.5; v < 2.0; v += 1.1e-5) x.push_back(v);  // near 1, where log is small
  x.push_back(1.0);
  expect_close(x, log_lanes, [](double v) { return std::log(v); });
}

TEST(ExpLogLanes, Log1pWithinFourUlpsOfLibmIncludingTinyArguments) {
  std::vector<double> x;
  for (double v = 1e-300; v < 1e300; v *= 1.0123) x.push_back(v);
  for (double v = -0.999; v < 2.0; v += 1.3e-5) x.push_back(v);
  for (double v = 1e-20; v < 1e-3; v *= 1.07) x.push_back(-v);
  x.push_back(0.0);
  expect_close(x, log1p_lanes, [](double v) { return std::log1p(v); });
}

}  // namespace
}  // namespace earshot::test
