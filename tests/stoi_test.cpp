// STOI and ESTOI against the reference values in shared/oracles (pystoi 0.4.1, cross-checked with
// Taal's MATLAB code): every pair within 1e-4, at 16 kHz, 10 kHz and (MSBG pairs) 44.1 kHz.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "metrics/stoi.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

TEST(Stoi, MatchesReferenceOnNoisySpeechAt16And10kHz) {
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  const auto rows = read_csv(*dir / "stoi" / "values.csv");
  ASSERT_EQ(rows.size(), 23u);
  for (const auto& r : rows) {
    double fs_clean = 0.0, fs_noisy = 0.0;
    const auto clean = read_mono(*dir / "stoi" / r[0], &fs_clean);
    const auto noisy = read_mono(*dir / "stoi" / r[1], &fs_noisy);
    ASSERT_EQ(fs_clean, std::stod(r[2]));
    const auto s = stoi(clean, noisy, fs_clean);
    ASSERT_TRUE(s.ok()) << describe(s.errors());
    EXPECT_NEAR(s.value().stoi, std::stod(r[3]), 1e-4) << r[1];
    EXPECT_NEAR(s.value().estoi, std::stod(r[4]), 1e-4) << r[1];
  }
}

TEST(Stoi, MatchesReferenceOnMsbgRendersAt44kHz) {
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  for (const auto& r : read_csv(*dir / "msbg" / "summary.csv")) {
    double fs = 0.0;
    const auto in = read_mono(*dir / "msbg" / "in" / (r[0] + ".wav"), &fs);
    const auto out = read_mono(*dir / "msbg" / "out" / (r[0] + "__" + r[1] + ".wav"));
    const auto s = stoi(in, out, fs);
    ASSERT_TRUE(s.ok()) << describe(s.errors());
    EXPECT_NEAR(s.value().stoi, std::stod(r[6]), 1e-4) << r[0] << " " << r[1];
    EXPECT_NEAR(s.value().estoi, std::stod(r[7]), 1e-4) << r[0] << " " << r[1];
  }
}

TEST(Stoi, IdenticalSignalsScoreOne) {
  const auto x = tone(440.0, 60.0, 16000.0, 2.0);
  auto y = x;
  for (std::size_t i = 0; i < y.size(); i += 3) y[i] *= 0.5f;  // and a distorted copy scores less
  const auto same = stoi(x, x, 16000.0).value();
  EXPECT_NEAR(same.stoi, 1.0, 1e-9);
  EXPECT_NEAR(same.estoi, 1.0, 1e-9);
}

TEST(Stoi, RejectsMismatchedLengthsAndSilence) {
  const auto x = tone(440.0, 60.0, 16000.0, 1.0);
  auto shorter = x;
  shorter.pop_back();
  EXPECT_FALSE(stoi(x, shorter, 16000.0).ok());
  EXPECT_FALSE(stoi(std::vector<float>(16000, 0.0f), std::vector<float>(16000, 0.0f), 16000.0).ok());
  EXPECT_FALSE(stoi(std::vector<float>(100, 0.1f), std::vector<float>(100, 0.1f), 16000.0).ok());
}

}  // namespace
}  // namespace earshot::test
