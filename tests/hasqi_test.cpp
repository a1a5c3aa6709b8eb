// HASQI v2 (Kates & Arehart 2014) against pyclarity's hasqi_v2 (../shared/oracles/haspi, README
// section 6): every stored pair and audiogram, with the oracle's own calibration (level1 65 dB
// SPL, a digital RMS of 1 is 65 dB SPL) and NAL-R on the reference (equalisation=1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "metrics/hasqi.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

std::vector<double> numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<double> v;
  for (double x; in >> x;) v.push_back(x);
  return v;
}

std::vector<double> as_double(const std::vector<float>& x) { return {x.begin(), x.end()}; }

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::lround(q * (v.size() - 1)))];
}

// The reference draws its threshold noise from NumPy's global generator (seed 0 before each call);
// earshot draws its own (seed 0 of its generator), so a row can differ by the noise's effect, which
// the oracle measured over seeds 0-4 (hasqi_v2_seed_range). Tolerance: 0.01, or three times that
// spread where larger (the issue's). The nonlinear, linear and raw terms are compared as
// diagnostics: printed, not asserted.
TEST(Hasqi, EqualsPyclarityOnEveryOraclePair) {
  const auto oracles = oracles_dir();
  if (!oracles) GTEST_SKIP() << "set EARSHOT_CORPUS (or EARSHOT_ORACLES) to compare with ../shared/oracles/haspi";
  const auto dir = *oracles / "haspi";
  const auto rows = read_csv(dir / "values.csv");
  ASSERT_EQ(rows.size(), 38u);
  std::vector<double> differences, nonlinear_differences, linear_differences;
  std::array<std::vector<double>, 4> raw_differences;
  for (const auto& row : rows) {
    double rate_hz = 0.0, processed_rate_hz = 0.0;
    const std::vector<double> reference = as_double(read_mono(dir / row[0], &rate_hz));
    const std::vector<double> processed = as_double(read_mono(dir / row[1], &processed_rate_hz));
    const std::vector<double> hl = numbers(row[4]);
    ASSERT_EQ(hl.size(), 6u);
    const std::array<double, 6> audiogram = {hl[0], hl[1], hl[2], hl[3], hl[4], hl[5]};
    RandomSource random(0);
    const auto scores = hasqi_v2(reference, rate_hz, processed, processed_rate_hz, audiogram, std::stod(row[5]), random);
    ASSERT_TRUE(scores.ok()) << row[1] << ": " << describe(scores.errors());
    const HasqiScores& s = scores.value();
    const double expected = std::stod(row[7]);
    const double tolerance = std::max(0.01, 3.0 * std::stod(row[10]));
    EXPECT_NEAR(s.combined, expected, tolerance) << row[1] << " " << row[3];
    differences.push_back(s.combined - expected);
    nonlinear_differences.push_back(s.nonlinear - std::stod(row[12]));
    linear_differences.push_back(s.linear - std::stod(row[13]));
    const std::vector<double> raw = numbers(row[14]);
    const double got_raw[4] = {s.cepstral_correlation, s.bm_sync, s.loudness_term, s.slope_term};
    for (int i = 0; i < 4; ++i) raw_differences[i].push_back(got_raw[i] - raw[i]);
    std::printf("  %-52s %-8s hasqi %.6f (pyclarity %.6f, %+.6f)  nonlinear %+.6f  linear %+.6f\n", row[1].c_str(), row[3].c_str(),
                s.combined, expected, s.combined - expected, s.nonlinear - std::stod(row[12]), s.linear - std::stod(row[13]));
  }
  auto summary = [](const char* what, const std::vector<double>& d) {
    std::vector<double> a;
    for (double x : d) a.push_back(std::abs(x));
    std::printf("%-22s |difference| median %.2e, 90 %% %.2e, max %.2e; signed mean %+.2e\n", what, quantile(a, 0.5), quantile(a, 0.9),
                quantile(a, 1.0), [&] {
                  double m = 0.0;
                  for (double x : d) m += x;
                  return m / static_cast<double>(d.size());
                }());
  };
  summary("hasqi_v2", differences);
  summary("nonlinear", nonlinear_differences);
  summary("linear", linear_differences);
  const char* raw_names[4] = {"raw cepstral corr", "raw BM sync5", "raw d_loud", "raw d_slope"};
  for (int i = 0; i < 4; ++i) summary(raw_names[i], raw_differences[i]);
  std::vector<double> a;
  for (double x : differences) a.push_back(std::abs(x));
  RecordProperty("hasqi_v2_median_abs_difference", std::to_string(quantile(a, 0.5)));
  RecordProperty("hasqi_v2_max_abs_difference", std::to_string(quantile(a, 1.0)));
}

// Same input, same seed: the same score, to the bit; and a pair too short to judge is an error.
TEST(Hasqi, IsReproducibleAndRefusesTooShortSignals) {
  std::vector<double> x(24000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.05 * i) * std::sin(0.0007 * i) * 1.4;
  std::vector<double> y = x;
  for (std::size_t i = 0; i < y.size(); ++i) y[i] += 0.1 * std::sin(0.9 * i);
  const std::array<double, 6> loss = {30, 35, 40, 45, 70, 80};
  RandomSource a(3), b(3);
  const auto s1 = hasqi_v2(x, 24000, y, 24000, loss, 65.0, a);
  const auto s2 = hasqi_v2(x, 24000, y, 24000, loss, 65.0, b);
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_EQ(s1.value().combined, s2.value().combined);
  EXPECT_GT(s1.value().combined, 0.0);
  EXPECT_LE(s1.value().combined, 1.0);
  const std::vector<double> short_x(x.begin(), x.begin() + 200), short_y(y.begin(), y.begin() + 200);
  RandomSource c(3);
  EXPECT_FALSE(hasqi_v2(short_x, 24000, short_y, 24000, loss, 65.0, c).ok());
}

}  // namespace
}  // namespace earshot::test
